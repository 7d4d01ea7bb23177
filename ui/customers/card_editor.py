"""The card form (客户关系卡): every field, with its Chinese validation message in place.

Saving never clears what the user typed: on an error the form stays as it is, with messages.
"""
from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.services.customers import CustomerCard
from ui import vocab as vlabels
from ui.tr import N_
from ui.widgets import FieldBox, combo, date_edit, format_value, read_date

# (field key, English label for translation, editor kind)
FIELDS = (
    ("code", N_("Customer code"), "line"),
    ("name", N_("Customer name"), "line"),
    ("legal_representative", N_("Legal representative"), "line"),
    ("uscc", N_("Unified social credit code"), "line"),
    ("phone", N_("Phone"), "line"),
    ("fax", N_("Fax"), "line"),
    ("address", N_("Address"), "line"),
    ("postcode", N_("Postcode"), "line"),
    ("industry", N_("Industry"), "industry"),
    ("customer_type", N_("Customer type"), "customer_type"),
    ("registered_capital", N_("Registered capital (yuan)"), "line"),
    ("annual_revenue", N_("Annual revenue (yuan)"), "line"),
    ("headcount", N_("Headcount"), "line"),
    ("size", N_("Enterprise size"), "size"),
    ("region", N_("Region"), "line"),
    ("distance_km", N_("Distance from company (km)"), "line"),
    ("source", N_("Source"), "source"),
    ("channel_level", N_("Information channel level"), "channel_level"),
    ("status", N_("Cooperation status"), "status"),
    ("grade", N_("Grade"), "grade"),
    ("credit_limit", N_("Credit limit (yuan)"), "line"),
    ("lost_reason", N_("Reason for loss"), "line"),
    ("owner_id", N_("Owner"), "staff"),
    ("department_id", N_("Department"), "department"),
    ("confidentiality", N_("Confidentiality"), "confidentiality"),
    ("last_verified_on", N_("Last verified on"), "date"),
    ("unsuitable_visit_times", N_("Unsuitable visit times"), "line"),
    ("business_scope", N_("Business scope"), "text"),
    ("note", N_("Notes"), "text"),
)
VOCABS = {"industry": vocab.INDUSTRY, "customer_type": vocab.CUSTOMER_TYPE, "size": vocab.SIZE,
          "source": vocab.SOURCE, "status": vocab.STATUS, "confidentiality": vocab.CONFIDENTIALITY}


def _tr(text: str) -> str:
    return QCoreApplication.translate("CardEditor", text)


class CardEditor(QScrollArea):
    """Form only: load a card, read values, show errors. The tab decides what saving means."""

    changed = Signal()

    def __init__(self, staff: list, departments: list, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.boxes: dict[str, FieldBox] = {}
        self.card: CustomerCard | None = None
        self.may_set_stage = True  # the tab turns it off for users without grading.override
        body = QWidget()
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        row = col = 0
        for key, text, kind in FIELDS:
            editor = self._editor(kind, staff, departments)
            if isinstance(editor, QComboBox):  # a long staff or vocabulary entry must not widen the card
                editor.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                editor.setMinimumContentsLength(8)
            box = FieldBox(editor)
            box.editor.setObjectName(f"field_{key}")
            self.boxes[key] = box
            caption = QLabel(_tr(text))
            if key == "name":
                caption.setText(_tr(text) + " *")
            if kind == "text":  # long texts take the full width
                if col:
                    row, col = row + 1, 0
                grid.addWidget(caption, row, 0)
                grid.addWidget(box, row, 1, 1, 3)
                row += 1
                continue
            grid.addWidget(caption, row, col * 2)
            grid.addWidget(box, row, col * 2 + 1)
            col = 1 - col
            row += col == 0
        # 分级政策: what the customer's grade entitles it to (read-only, from app.services.grade_policy)
        self.policy = QGroupBox(_tr("Policy for this grade"))
        self.policy.setObjectName("grade_policy")
        policy_layout = QVBoxLayout(self.policy)
        self.policy_text = QLabel()
        self.policy_text.setWordWrap(True)
        self.policy_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy_layout.addWidget(self.policy_text)
        self.policy.hide()
        grid.addWidget(self.policy, row + 1, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(row + 2, 1)
        self.setWidget(body)
        self.boxes["registered_capital"].editor.setPlaceholderText(_tr("e.g. 500万 or 5000000"))
        self.boxes["code"].editor.setPlaceholderText(_tr("generated when left empty"))
        self.boxes["phone"].editor.setPlaceholderText("010-62345678")

    def _editor(self, kind: str, staff: list, departments: list) -> QWidget:
        if kind == "text":
            edit = QPlainTextEdit()
            edit.setFixedHeight(54)
            edit.textChanged.connect(self.changed)
            return edit
        if kind == "date":
            edit = date_edit()
            edit.textEdited.connect(self.changed)
            return edit
        if kind in VOCABS:
            box = combo(vlabels.choices(VOCABS[kind]), blank="" if kind == "size" else None)
        elif kind == "channel_level":
            box = combo([(int(c), vlabels.label(vocab.CHANNEL_LEVEL, c)) for c in vocab.CHANNEL_LEVEL.codes()])
        elif kind == "grade":
            box = combo([(g, g) for g in vocab.GRADES], blank="")
        elif kind == "staff":
            box = combo([(str(s.id), f"{s.name}({s.department})" if s.department else s.name)
                         for s in staff if s.active], blank="")
        elif kind == "department":
            box = combo([(str(i), n) for i, n in departments], blank="")
        else:
            edit = QLineEdit()
            edit.textEdited.connect(self.changed)
            return edit
        box.currentIndexChanged.connect(self.changed)
        return box

    def load(self, card: CustomerCard | None) -> None:
        """Show a card, or an empty form for a new customer."""
        self.card = card
        values = card.values if card else {"status": "potential", "confidentiality": "department",
                                           "customer_type": "end_user", "source": "sales_visit",
                                           "industry": "other", "channel_level": 1}
        for key, box in self.boxes.items():
            box.set_value(values.get(key))
            box.set_error(None)
        # an existing card's stage and grade move by their procedures (进阶申请, 分级确认), not by typing
        locked = card is not None and not self.may_set_stage
        for key in ("status", "grade"):
            self.boxes[key].editor.setEnabled(not locked)
            self.boxes[key].editor.setToolTip(
                _tr("Changed by an advancement application or a grading run") if locked else "")

    def values(self) -> tuple[dict, dict[str, str]]:
        """(values to save, UI-level errors such as an unreadable date)."""
        out, errors = {}, {}
        for key, box in self.boxes.items():
            value = box.value()
            if key == "last_verified_on":
                value, ok = read_date(value)
                if not ok:
                    errors[key] = _tr("Dates are written like 2026-11-25")
                    continue
                if value is None:
                    continue
            if key in ("owner_id", "department_id") and value == "":
                value = None
            if key == "code" and self.card is None and not value:
                continue
            out[key] = value
        return out, errors

    def show_errors(self, errors: dict[str, str]) -> None:
        first = None
        for key, box in self.boxes.items():
            box.set_error(errors.get(key))
            if key in errors and first is None:
                first = box
        if first is not None:
            self.ensureWidgetVisible(first)
            first.editor.setFocus()

    def show_policy(self, found) -> None:
        """The grade's policy (a grade_policy.CustomerPolicy), or None to hide the box."""
        if found is None:
            self.policy.hide()
            return
        p = found.policy
        terms = p.payment_terms
        if p.dropped:
            terms += "  " + _tr("(one level down: {n} late payments in {quarter})").format(
                n=found.late_count, quarter=found.late_quarter)
        lines = [
            _tr("Grade: {grade}").format(grade=p.grade or _tr("none (treated as C)")),
            _tr("Price: {text}").format(text=p.price_text),
            _tr("Payment: {text}").format(text=terms),
            _tr("Delivery within {days} days; rush orders: {rush}").format(
                days=p.delivery_days, rush=_tr("yes") if p.rush_orders else _tr("no")),
            _tr("Inquiries answered within {hours} hours").format(hours=p.reply_hours),
        ]
        if p.visit_days:
            lines.append(_tr("Call or visit at least every {n} days").format(n=p.visit_days))
        self.policy_text.setText("\n".join(lines))
        self.policy.setStyleSheet("QGroupBox { color: #b00020; }" if p.dropped else "")
        self.policy.show()

    def customer_id(self) -> uuid.UUID | None:
        return self.card.id if self.card else None

    def text_of(self, key: str) -> str:
        return format_value(self.boxes[key].value())
