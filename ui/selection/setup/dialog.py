"""选房活动设置 — the event set-up window: project and stock, commissioning units and release, pricing and its
approval chain, the buyer list and its review, and the notarised draw. Every action goes through the
services with the signed-in user; refusals show in place."""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout

from app.services.selection import catalog
from app.services.users import Principal
from ui.context import DeskContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventSetup", text)


class EventSetupDialog(QDialog):
    def __init__(self, ctx: DeskContext, user: Principal, parent=None):
        from ui.selection.setup.buyers_tab import BuyersTab
        from ui.selection.setup.draw_tab import DrawTab
        from ui.selection.setup.pricing_tab import PricingTab
        from ui.selection.setup.stock_tab import StockTab
        from ui.selection.setup.unit_tab import UnitTab

        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_tr("Event set-up"))
        self.resize(1040, 720)
        self.project_box, self.unit_box = QComboBox(), QComboBox()
        self.project_box.setMinimumWidth(260)
        self.unit_box.setMinimumWidth(260)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Project")))
        top.addWidget(self.project_box)
        top.addSpacing(16)
        top.addWidget(QLabel(_tr("Commissioning unit")))
        top.addWidget(self.unit_box)
        top.addStretch(1)
        self.stock, self.unit = StockTab(self), UnitTab(self)
        self.pricing, self.buyers, self.draw = PricingTab(self), BuyersTab(self), DrawTab(self)
        self.tabs = QTabWidget()
        for page, title in ((self.stock, _tr("Project and stock")), (self.unit, _tr("Commissioning units")),
                            (self.pricing, _tr("Pricing and approval")), (self.buyers, _tr("Buyer list")),
                            (self.draw, _tr("Notarised draw"))):
            self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.project_box.currentIndexChanged.connect(lambda _i: self.reload_units())
        self.unit_box.currentIndexChanged.connect(lambda _i: self.refresh_unit_pages())
        self.reload_projects()

    # --- the current project and unit -------------------------------------------------------------------
    @property
    def project_id(self) -> uuid.UUID | None:
        data = self.project_box.currentData()
        return uuid.UUID(data) if data else None

    @property
    def commission_id(self) -> uuid.UUID | None:
        data = self.unit_box.currentData()
        return uuid.UUID(data) if data else None

    @property
    def commission_name(self) -> str:
        return self.unit_box.currentText() if self.commission_id else ""

    def reload_projects(self, select: uuid.UUID | None = None) -> None:
        keep = select or self.project_id
        self.project_box.blockSignals(True)
        self.project_box.clear()
        for p in catalog.projects(self.ctx.db):
            self.project_box.addItem(f"{p.name}({p.code})", str(p.id))
        if keep is not None:
            self.project_box.setCurrentIndex(max(self.project_box.findData(str(keep)), 0))
        self.project_box.blockSignals(False)
        self.reload_units()

    def reload_units(self, select: uuid.UUID | None = None) -> None:
        keep = select or self.commission_id
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        if self.project_id is not None:
            for c in catalog.commissions(self.ctx.db, project_id=self.project_id):
                self.unit_box.addItem(c.name, str(c.id))
        if keep is not None and self.unit_box.findData(str(keep)) >= 0:
            self.unit_box.setCurrentIndex(self.unit_box.findData(str(keep)))
        self.unit_box.blockSignals(False)
        self.stock.refresh()
        self.refresh_unit_pages()

    def refresh_unit_pages(self) -> None:
        for page in (self.unit, self.pricing, self.buyers, self.draw):
            page.refresh()
