"""The 客户卡片 tab: search and filters over a paged list, and the card with its sections."""
from __future__ import annotations

import html
import uuid

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.errors import DuplicateFound, UserError, ValidationFailed
from app.services import audit, customer_search, customers, grade_policy, staff
from app.services.customer_search import CustomerFilter
from ui import vocab as vlabels
from ui.context import DeskContext
from ui.customers.archive_panel import ArchivePanel
from ui.customers.card_editor import CardEditor
from ui.customers.contacts_panel import ContactsPanel, warning_text
from ui.customers.dialogs import BlacklistDialog, DuplicateDialog
from ui.customers.history_view import HistoryView
from ui.customers.key_persons_panel import KeyPersonsPanel
from ui.customers.list_model import CustomerListModel
from ui.widgets import combo, side_by_side

SEARCH_DELAY_MS = 180  # type-ahead: wait for a pause before querying


CARD_MIN_WIDTH = 420  # the card column's least width; wider content scrolls inside it


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerTab", text)


class CustomerTab(QWidget):
    search_finished = Signal(int)  # row count; tests and the status bar listen

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self._dirty = False
        self.flt = CustomerFilter()

        self.search = QLineEdit()
        self.search.setObjectName("customer_search")
        self.search.setPlaceholderText(_tr("Search name, pinyin, initials, phone, code or credit code"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = combo(vlabels.choices(vocab.STATUS), blank=_tr("All statuses"))
        self.grade_filter = combo([(g, _tr("Grade {g}").format(g=g)) for g in vocab.GRADES], blank=_tr("All grades"))
        self.region_filter = QComboBox()
        self.owner_filter = QComboBox()
        self.blacklist_filter = combo([("yes", _tr("Blacklisted only")), ("no", _tr("Not blacklisted"))],
                                      blank=_tr("Blacklist: all"))
        self.reverify_filter = combo([("due", _tr("Re-verification due")), ("overdue", _tr("Re-verification overdue"))],
                                     blank=_tr("Re-verification: all"))
        self.contacts_filter = combo([("short", _tr("Important, short of contact staff"))],
                                     blank=_tr("Contact staff: all"))
        self.contacts_filter.setObjectName("contacts_filter")
        self.count_label = QLabel()
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("empty_hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #5f6b7a; font-size: 14px;")
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())

        self._rules = None  # the re-verification rules of the last search, reused for its later pages
        self.model = CustomerListModel(
            lambda ids: customer_search.fetch_rows(ctx.db, ids, user=ctx.user, rules=self._rules), self)
        self.view = QTableView()
        self.view.setObjectName("customer_list")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort)
        header.setStretchLastSection(True)
        for col, width in enumerate((90, 260, 80, 50, 90, 70, 70, 120)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.view)
        self.list_stack.addWidget(self.empty_hint)

        # the card side
        self.title = QLabel(_tr("No customer selected"))
        self.title.setObjectName("card_title")
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.badges = QLabel()
        self.badges.setObjectName("card_badges")
        self.new_button = QPushButton(_tr("New customer"))
        self.save_button = QPushButton(_tr("Save"))
        self.save_button.setObjectName("save_card")
        self.save_button.setDefault(True)
        self.verify_button = QPushButton(_tr("Mark re-verified"))
        self.blacklist_button = QPushButton(_tr("Blacklist…"))
        self.new_button.clicked.connect(self.new_customer)
        self.save_button.clicked.connect(self.save)
        self.verify_button.clicked.connect(self.mark_verified)
        self.blacklist_button.clicked.connect(self.edit_blacklist)
        self.message = QLabel()
        self.message.setObjectName("card_message")
        self.message.setWordWrap(True)

        people = staff.list_staff(ctx.db)
        self.editor = CardEditor(people, staff.departments(ctx.db))
        self.editor.may_set_stage = customers.may_set_stage(ctx.user)
        self.editor.changed.connect(self._mark_dirty)
        self.persons = KeyPersonsPanel(ctx)
        self.contacts = ContactsPanel(ctx)
        self.archive = ArchivePanel(ctx)
        self.history = HistoryView()
        self.persons.changed.connect(self._reload_history)
        self.contacts.changed.connect(self._contacts_changed)
        self.archive.changed.connect(self._reload_history)
        self.sections = QTabWidget()
        self.sections.addTab(self.editor, _tr("Basic data"))
        self.sections.addTab(self.persons, _tr("Key persons"))
        self.sections.addTab(self.contacts, _tr("Contact staff"))
        self.sections.addTab(self.archive, _tr("Archive"))
        self.sections.addTab(self.history, _tr("History"))
        self._fill_filter_lists(people)
        # connected only once the lists are filled: filling them must not run a search per item
        for box in (self.status_filter, self.grade_filter, self.region_filter, self.owner_filter,
                    self.blacklist_filter, self.reverify_filter, self.contacts_filter):
            box.currentIndexChanged.connect(lambda _i: self.run_search())
        self._layout()
        self.show_card(None)
        self.run_search()  # the list shows the customers when the window opens, before anything is typed

    def _layout(self) -> None:
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)
        # two rows of filters whose boxes may shrink below their longest entry: at 1366×768 the list and the
        # card must both fit, in every language
        filters = QGridLayout()
        boxes = (self.status_filter, self.grade_filter, self.region_filter, self.owner_filter,
                 self.blacklist_filter, self.reverify_filter, self.contacts_filter)
        for i, box in enumerate(boxes):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            filters.addWidget(box, i // 4, i % 4)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(search_row)
        lv.addLayout(filters)
        lv.addWidget(self.list_stack, 1)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.badges)
        actions = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.verify_button, self.blacklist_button):
            actions.addWidget(b)
        actions.addStretch()
        card = QWidget()
        rv = QVBoxLayout(card)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addLayout(head)
        rv.addLayout(actions)
        rv.addWidget(self.message)
        rv.addWidget(self.sections, 1)
        # the card scrolls rather than pushing the window wider than a 1366-pixel front-desk screen
        right = QScrollArea()
        right.setObjectName("card_scroll")
        right.setWidgetResizable(True)
        right.setFrameShape(QFrame.Shape.NoFrame)
        right.setWidget(card)
        right.setMinimumWidth(CARD_MIN_WIDTH)
        side_by_side(self, left, right, (5, 4))

    def _fill_filter_lists(self, people) -> None:
        self.region_filter.addItem(_tr("All regions"), "")
        for region in customer_search.distinct_regions(self.ctx.db):
            self.region_filter.addItem(region, region)
        self.owner_filter.addItem(_tr("All owners"), "")
        for p in people:
            self.owner_filter.addItem(p.name, str(p.id))

    # --- list ----------------------------------------------------------------------
    def current_filter(self) -> CustomerFilter:
        owner = self.owner_filter.currentData()
        black = self.blacklist_filter.currentData()
        self.flt.text = self.search.text()
        self.flt.status = self.status_filter.currentData() or None
        self.flt.grade = self.grade_filter.currentData() or None
        self.flt.region = self.region_filter.currentData() or None
        self.flt.owner_id = uuid.UUID(owner) if owner else None
        self.flt.blacklisted = {"yes": True, "no": False}.get(black)
        self.flt.reverify = self.reverify_filter.currentData() or None
        self.flt.contacts_short = self.contacts_filter.currentData() == "short"
        return CustomerFilter(**vars(self.flt))

    def run_search(self, select_id: uuid.UUID | None = None) -> None:
        self._timer.stop()
        self._generation += 1
        generation, flt, db = self._generation, self.current_filter(), self.ctx.db
        self.count_label.setText(_tr("Searching…"))

        def done(result):
            if generation != self._generation:
                return  # a newer query was typed meanwhile
            keep = select_id or self.editor.customer_id()
            ids, self._rules = result.keys, result.rules
            self.model.set_ids(ids, result.rows)
            self.count_label.setText(_tr("{n} customers").format(n=f"{len(ids):,}"))
            self._show_empty_hint(not ids, flt)
            row = self.model.row_of(keep) if keep else -1
            if row >= 0:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.view.scrollTo(self.model.index(row, 0))
            self.search_finished.emit(len(ids))

        user = self.ctx.user
        self.ctx.tasks.run(lambda: customer_search.search_page(db, flt, user=user), done, self._search_failed)

    def _show_empty_hint(self, empty: bool, flt: CustomerFilter) -> None:
        filtered = any((flt.text, flt.status, flt.grade, flt.region, flt.owner_id, flt.reverify,
                        flt.contacts_short, flt.blacklisted is not None))
        if filtered:
            self.empty_hint.setText(_tr("No customer matches. Try fewer letters or clear the filters."))
        else:
            self.empty_hint.setText(_tr("No customers yet.\nClick “New customer”, or import a list with "
                                        "File → Import customers from Excel."))
        self.list_stack.setCurrentWidget(self.empty_hint if empty else self.view)

    def _search_failed(self, exc: Exception) -> None:
        self.count_label.setText(_tr("Search failed: {e}").format(e=exc))

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        key = self.model.sort_key(column)
        if key is None:
            return
        self.flt.sort, self.flt.descending = key, order == Qt.SortOrder.DescendingOrder
        self.run_search()

    def _row_changed(self, current, _previous) -> None:
        cid = self.model.id_at(current.row())
        if cid is None or cid == self.editor.customer_id():
            return
        if not self.confirm_discard():
            return
        self.open_customer(cid)

    # --- card ----------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self, _tr("Unsaved changes"), _tr("The card has unsaved changes. Save them first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _mark_dirty(self) -> None:
        self._dirty = True

    def open_customer(self, customer_id: uuid.UUID) -> None:
        try:
            card = customers.get_card(self.ctx.db, customer_id=customer_id, user=self.ctx.user)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.show_card(card)

    def show_card(self, card) -> None:
        self._card = card
        self.editor.load(card)
        cid = card.id if card else None
        self.editor.show_policy(self._policy(cid))
        self.persons.load(cid)
        self.contacts.load(cid)
        self.archive.load(cid)
        self.history.show_history(audit.history(self.ctx.db, customer_id=cid, user=self.ctx.user) if cid else [])
        self.persons.set_editable(self._may("customer.edit"))
        self.contacts.set_editable(self._may("customer.edit"))
        self.archive.set_editable(self._may("customer.edit"))
        for w, needs in ((self.verify_button, "customer.edit"), (self.blacklist_button, "blacklist.edit")):
            w.setEnabled(cid is not None and self._may(needs))
        for index in range(1, self.sections.count()):
            self.sections.setTabEnabled(index, cid is not None)
        self.message.clear()
        self._dirty = False
        if card is None:
            self.title.setText(_tr("New customer"))
            self.badges.clear()
            return
        self.title.setText(f"{card.values['name']}  ({card.values['code']})")
        self._show_badges()

    def _policy(self, cid):
        if cid is None:
            return None
        try:
            return grade_policy.policy_for(self.ctx.db, user=self.ctx.user, customer_id=cid)
        except UserError:
            return None

    def _show_badges(self) -> None:
        card, badges = self._card, []
        if card is None:
            return
        if card.blacklist:
            badges.append(f"<span style='color:#fff;background:#b00020;padding:2px'>&nbsp;{_tr('Blacklisted')}"
                          f":{card.blacklist[0].criterion}&nbsp;</span>")
        if card.reverify_status in ("due", "overdue"):
            text = _tr("Re-verification overdue") if card.reverify_status == "overdue" else _tr("Re-verification due")
            badges.append(f"<span style='color:#c25e00'>{text} ({card.reverify_due})</span>")
        if short := warning_text(self.contacts.team):
            badges.append(f"<span style='color:#8a3b00'>{_tr('Contact staff short')} "
                          f"({self.contacts.team.counted}/{self.contacts.team.minimum})</span>")
            self.badges.setToolTip(short)
        else:
            self.badges.setToolTip("")
        self.badges.setText("  ".join(badges))

    def _contacts_changed(self) -> None:
        """A contact assigned or the 重要客户 flag changed: history, badge and the filtered list follow."""
        self._reload_history()
        self._show_badges()
        if self.flt.contacts_short:
            self.run_search()

    def _may(self, permission: str) -> bool:
        return self.ctx.user is None or self.ctx.user.can(permission)

    def _reload_history(self) -> None:
        cid = self.editor.customer_id()
        if cid:
            self.history.show_history(audit.history(self.ctx.db, customer_id=cid, user=self.ctx.user))

    def new_customer(self) -> None:
        if self.confirm_discard():
            self.view.clearSelection()
            self.show_card(None)
            self.sections.setCurrentIndex(0)
            self.editor.boxes["name"].editor.setFocus()

    def save(self) -> bool:
        values, ui_errors = self.editor.values()
        cid = self.editor.customer_id()
        try:
            if ui_errors:
                raise ValidationFailed(ui_errors)
            if cid is None:
                cid = self._create(values)
                if cid is None:
                    return False
            else:
                customers.update_customer(self.ctx.db, actor=self.ctx.actor, customer_id=cid, values=values,
                                          expected_version=self.editor.card.version, user=self.ctx.user)
        except ValidationFailed as exc:
            self.editor.show_errors(exc.errors)
            self.sections.setCurrentIndex(0)
            self.message.setText(f"<span style='color:#b00020'>{_tr('Not saved: please correct the marked fields.')}"
                                 "</span>")
            return False
        except UserError as exc:  # e.g. 已被他人修改: both versions listed, what was typed stays in the form
            text = html.escape(exc.message).replace("\n", "<br>")
            self.message.setText(f"<span style='color:#b00020'>{text}</span>")
            return False
        self._dirty = False
        try:  # the form shows the saved card, never the typed text under 新建客户 (an invitation to save twice)
            self.show_card(customers.get_card(self.ctx.db, customer_id=cid, user=self.ctx.user))
            self.message.setText(_tr("Saved."))
        except UserError:  # e.g. the front desk saved a card for a rep of another department
            self.show_card(None)
            self.message.setText(_tr("Saved. The card belongs to its owner's department; you may not open it."))
        self.run_search(select_id=cid)  # resets the model: the edited row is read afresh
        return True

    def _create(self, values: dict, allow_duplicate: bool = False) -> uuid.UUID | None:
        try:
            return customers.create_customer(self.ctx.db, actor=self.ctx.actor, values=values,
                                             allow_duplicate=allow_duplicate, user=self.ctx.user)
        except DuplicateFound as exc:
            dialog = DuplicateDialog(exc.candidates, self)
            choice = dialog.exec()
            if choice == DuplicateDialog.OPEN:
                self._dirty = False
                return dialog.chosen().id
            if choice == DuplicateDialog.MERGE:
                new_id = customers.create_customer(self.ctx.db, actor=self.ctx.actor, values=values,
                                                   allow_duplicate=True, user=self.ctx.user)
                try:
                    customers.merge_customers(self.ctx.db, actor=self.ctx.actor, keep_id=dialog.chosen().id,
                                              merge_id=new_id, user=self.ctx.user)
                except UserError as exc:  # e.g. the other card is above this user's level: keep the new one
                    QMessageBox.warning(self, _tr("Merge"), exc.message)
                    return new_id
                return dialog.chosen().id
            if choice == DuplicateDialog.CREATE:
                return self._create(values, allow_duplicate=True)
            return None

    def mark_verified(self) -> None:
        cid = self.editor.customer_id()
        if cid and self.confirm_discard():
            try:
                customers.mark_verified(self.ctx.db, actor=self.ctx.actor, customer_id=cid, user=self.ctx.user)
            except UserError as exc:
                self.message.setText(exc.message)
                return
            self.open_customer(cid)
            self.model.refresh_rows()

    def edit_blacklist(self) -> None:
        cid = self.editor.customer_id()
        if cid is None:
            return
        listed = bool(self.editor.card.blacklist)
        if BlacklistDialog(self.ctx, cid, listed, self).exec():
            self.open_customer(cid)
            self.model.refresh_rows()
