"""Sales and payment records (销售与回款记录): typed in by hand, imported from Excel, listed per customer.

Records are facts, never edited (models/sales.py): a wrong figure is corrected by a negative record.
Adding needs sales.edit and the right to edit the customer's archive (access.ensure_may); each record is
audited on the card. A payment typed in runs the late-payment rule for its customer at once
(grade_policy.notice_term_drops): two late payments in one quarter drop the payment terms a level.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.db.bulk import bulk_insert
from app.domain.sales_rules import check_payment, check_sale
from app.errors import NotFound, UserError, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import Customer, PaymentRecord, SalesRecord
from models.base import utcnow
from reports.excel_columns import ReadResult, RowError, Spec, cell_text, data_rows

CHUNK = 5000


def _actor(user: Principal | None) -> str:
    return user.display_name if user is not None else "系统"


def add_sale(db: Database, *, user: Principal | None, customer_id: uuid.UUID, values: dict,
             today: date | None = None) -> uuid.UUID:
    """One sales record typed in by hand; ValidationFailed with a Chinese message per field."""
    if user is not None:
        user.require("sales.edit", "录入销售记录")
    clean, errors = check_sale(values, today=today or date.today())
    if errors:
        raise ValidationFailed(errors)

    def work(s: Session) -> uuid.UUID:
        access.ensure_may(s, user, customer_id, action="edit")
        rid = uuid.uuid4()
        s.add(SalesRecord(id=rid, customer_id=customer_id, source="manual", entered_by=_actor(user), **clean))
        period = f"{clean['year']}年" + (f"{clean['month']}月" if clean["month"] else "全年")
        audit.record(s, actor=_actor(user), action="create", entity="sales_record", entity_id=rid,
                     customer_id=customer_id, note=f"{period} {clean['product']} 销售额 {clean['amount']:.2f}")
        return rid

    return db.transact(work)


def add_payment(db: Database, *, user: Principal | None, customer_id: uuid.UUID, values: dict,
                today: date | None = None) -> uuid.UUID:
    """One payment record (amount due on a date, paid on a date or not yet); late payments are checked."""
    from app.services import grade_policy

    if user is not None:
        user.require("sales.edit", "录入回款记录")
    clean, errors = check_payment(values)
    if errors:
        raise ValidationFailed(errors)
    today = today or date.today()

    def work(s: Session) -> uuid.UUID:
        access.ensure_may(s, user, customer_id, action="edit")
        rid = uuid.uuid4()
        s.add(PaymentRecord(id=rid, customer_id=customer_id, entered_by=_actor(user), **clean))
        paid = clean["paid_on"].isoformat() if clean["paid_on"] else "未付"
        audit.record(s, actor=_actor(user), action="create", entity="payment_record", entity_id=rid,
                     customer_id=customer_id,
                     note=f"{clean['reference']} {clean['amount']:.2f} 应付 {clean['due_on'].isoformat()} 实付 {paid}")
        s.flush()
        grade_policy.notice_in(s, actor=_actor(user), today=today, customer_id=customer_id)
        return rid

    return db.transact(work)


def record_paid(db: Database, *, user: Principal | None, payment_id: uuid.UUID, paid_on: date,
                today: date | None = None) -> None:
    """收款登记: the day an open receivable was paid — the one change a payment record takes, once.

    A receivable is entered when it falls due and paid later; without this it would stay "unpaid" and
    count as late for ever. Audited; the late-payment rule is checked again (paid late still counts)."""
    from app.services import grade_policy

    if user is not None:
        user.require("sales.edit", "登记回款")
    today = today or date.today()
    if not isinstance(paid_on, date):
        raise ValidationFailed({"paid_on": "请填写实付日期,例如 2026-11-25"})
    if paid_on > today:
        raise ValidationFailed({"paid_on": "实付日期不能晚于今天"})

    def work(s: Session) -> None:
        p = s.get(PaymentRecord, payment_id, with_for_update=True)
        if p is None:
            raise NotFound("回款记录不存在")
        access.ensure_may(s, user, p.customer_id, action="edit")
        if p.paid_on is not None:
            raise UserError(f"该笔款项已于 {p.paid_on.isoformat()} 登记收款,不能再改;如有差错请录入冲减记录")
        p.paid_on = paid_on
        audit.record(s, actor=_actor(user), action="update", entity="payment_record", entity_id=p.id,
                     customer_id=p.customer_id, diffs=[("paid_on", "未付", paid_on.isoformat())])
        s.flush()
        grade_policy.notice_in(s, actor=_actor(user), today=today, customer_id=p.customer_id)

    db.transact(work)


@dataclass(frozen=True)
class SalesLine:
    year: int
    product: str
    amount: Decimal
    profit: Decimal
    orders: int
    months: int  # months with a record (0-month yearly figures count as 12)


def sales_by_year(db: Database, *, user: Principal | None, customer_id: uuid.UUID) -> list[SalesLine]:
    """The customer's sales by year and product, newest year first (needs the right to open the card)."""
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        rows = s.execute(select(SalesRecord.year, SalesRecord.product, func.sum(SalesRecord.amount),
                                func.sum(SalesRecord.profit), func.sum(SalesRecord.orders),
                                func.count(func.distinct(SalesRecord.month)))
                         .where(SalesRecord.customer_id == customer_id)
                         .group_by(SalesRecord.year, SalesRecord.product)
                         .order_by(SalesRecord.year.desc(), SalesRecord.product)).all()
        return [SalesLine(y, p, Decimal(a or 0), Decimal(pr or 0), int(o or 0), int(m)) for y, p, a, pr, o, m in rows]


def opening_choice(db: Database, *, user: Principal | None, today: date | None = None
                   ) -> tuple[uuid.UUID | None, int]:
    """Where the 销售与回款 panel opens: the latest year (up to this one) with sales among the customers the user
    may read, and that year's biggest customer — not an empty page. (None, this year) when nobody sold."""
    year_now = (today or date.today()).year
    readable = access.readable(user) if user is not None else Customer.id.isnot(None)
    with db.read() as s:
        year = s.scalar(select(func.max(SalesRecord.year)).join(Customer, Customer.id == SalesRecord.customer_id)
                        .where(SalesRecord.year <= year_now, SalesRecord.amount > 0, readable,
                               Customer.merged_into_id.is_(None)))
        if year is None:
            return None, year_now
        top = s.execute(select(SalesRecord.customer_id).join(Customer, Customer.id == SalesRecord.customer_id)
                        .where(SalesRecord.year == year, readable, Customer.merged_into_id.is_(None))
                        .group_by(SalesRecord.customer_id, Customer.code)
                        .order_by(func.sum(SalesRecord.amount).desc(), Customer.code).limit(1)).scalar()
        return top, year


@dataclass(frozen=True)
class MonthLine:
    month: int  # 0: a whole-year figure
    product: str
    amount: Decimal
    profit: Decimal
    orders: int
    records: int  # how many records make the line (corrections included)


def sales_in_year(db: Database, *, user: Principal | None, customer_id: uuid.UUID, year: int) -> list[MonthLine]:
    """The customer's sales of one year by month and product (whole-year figures first), for the sales window."""
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        rows = s.execute(select(SalesRecord.month, SalesRecord.product, func.sum(SalesRecord.amount),
                                func.sum(SalesRecord.profit), func.sum(SalesRecord.orders), func.count())
                         .where(SalesRecord.customer_id == customer_id, SalesRecord.year == year)
                         .group_by(SalesRecord.month, SalesRecord.product)
                         .order_by(SalesRecord.month, SalesRecord.product)).all()
        return [MonthLine(int(m), p or "", Decimal(a or 0), Decimal(pr or 0), int(o or 0), int(n))
                for m, p, a, pr, o, n in rows]


@dataclass(frozen=True)
class PaymentLine:
    id: uuid.UUID
    reference: str
    amount: Decimal
    due_on: date
    paid_on: date | None
    late: bool  # paid after due, or unpaid past due
    entered_by: str


def payments_in_year(db: Database, *, user: Principal | None, customer_id: uuid.UUID, year: int,
                     today: date | None = None) -> list[PaymentLine]:
    """The customer's payments due in the year, by due date, each marked late or not as of today."""
    from app.domain.sales_rules import is_late

    today = today or date.today()
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        rows = s.scalars(select(PaymentRecord)
                         .where(PaymentRecord.customer_id == customer_id,
                                PaymentRecord.due_on >= date(year, 1, 1), PaymentRecord.due_on <= date(year, 12, 31))
                         .order_by(PaymentRecord.due_on, PaymentRecord.entered_at)).all()
        return [PaymentLine(p.id, p.reference, Decimal(p.amount), p.due_on, p.paid_on,
                            is_late(p.due_on, p.paid_on, today), p.entered_by) for p in rows]


# ---------------------------------------------------------------- Excel import

SALES_SPECS = (
    Spec("code", "客户代码", ("客户编号", "编号", "客户编码")),
    Spec("year", "年度", ("年", "年份")),
    Spec("month", "月份", ("月",), required=False),
    Spec("product", "产品", ("产品名称", "品种"), required=False),
    Spec("amount", "销售额", ("销售金额", "金额")),
    Spec("profit", "毛利", ("利润", "销售利润"), required=False),
    Spec("orders", "订单数", ("订单", "订单量"), required=False),
)


@dataclass
class SalesImportResult:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    cancelled: bool = False
    error_report: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled


class _Refused(Exception):
    pass


class _Cancelled(Exception):
    pass


PAYMENT_SPECS = (
    Spec("code", "客户代码", ("客户编号", "编号", "客户编码")),
    Spec("reference", "合同/发票号", ("合同号", "发票号", "单号"), required=False, text=True),
    Spec("amount", "金额", ("应付金额", "回款金额")),
    Spec("due_on", "应付日期", ("到期日", "应收日期")),
    Spec("paid_on", "实付日期", ("付款日期", "回款日期"), required=False),
)


@dataclass(frozen=True)
class _Kind:
    specs: tuple[Spec, ...]
    hint: str
    what: str  # the refusal's action, 导入销售记录
    title: str  # the template's sheet
    example: Callable[[str], tuple]


KINDS = {
    "sales": _Kind(SALES_SPECS, "客户代码、年度、销售额", "导入销售记录", "销售记录",
                   lambda note: ("KH000001", date.today().year - 1, 3, note, 120000, 15000, 2)),
    "payments": _Kind(PAYMENT_SPECS, "客户代码、金额、应付日期", "导入回款记录", "回款记录",
                      lambda note: ("KH000001", note, 150000, f"{date.today().year}-03-31",
                                    f"{date.today().year}-03-30")),
}


@dataclass(frozen=True)
class SalesPreview:
    headers: list[str]
    mapped: dict[str, bool]  # header → read by the import
    rows: list[list[str]]
    total_rows: int
    missing_required: list[str]
    numbers: list[int] = field(default_factory=list)  # the sheet row number of each row shown


def preview_sales(path: Path, *, limit: int = 20, kind: str = "sales") -> SalesPreview:
    """What the import dialog shows first: the headers (and which are read), the first rows, the row count
    (kind "sales" or "payments")."""
    from reports.excel_columns import find_columns, is_example
    from reports.excel_customers import display, open_sheet

    specs = KINDS[kind].specs
    with open_sheet(Path(path)) as sheet:
        columns, missing = find_columns(sheet.header, specs)
        used = set(columns.values())
        rows, numbers, total = [], [], 0
        for number, values in sheet.data():
            if is_example(values):
                continue
            if len(rows) < limit:
                rows.append([display(v) for v in values])
                numbers.append(number)
            total += 1
        headers = list(sheet.header)
    return SalesPreview(headers, {h: i in used for i, h in enumerate(headers)}, rows, total,
                        missing if headers else [s.label for s in specs if s.required], numbers)


def write_sales_template(path: Path, *, kind: str = "sales") -> None:
    """An empty workbook with the import's column names and one example row (skipped on import)."""
    from reports.excel_columns import EXAMPLE_NOTE, write_template

    k = KINDS[kind]
    write_template(Path(path), k.specs, k.example(EXAMPLE_NOTE), title=k.title)


def import_sales(db: Database, *, user: Principal | None, path: Path, today: date | None = None,
                 progress: Callable[[int], None] | None = None, max_errors: int = 200,
                 mode: str = "all_or_nothing", cancelled: Callable[[], bool] | None = None,
                 error_report_path: Path | None = None) -> SalesImportResult:
    """Import a sales workbook row by row (streamed), in one transaction.

    mode "all_or_nothing": any bad row imports nothing and the result lists every problem by sheet row
    (up to max_errors); "valid_only": the good rows are imported and the bad ones listed. `cancelled()` is
    asked between rows: a cancelled import writes nothing. With error_report_path, a workbook of the rows
    with a last column 错误说明 is written when there were errors (valid_only: the bad rows only, so the
    corrected report can be imported again without doubling the good rows)."""
    return _import(db, "sales", user=user, path=path, today=today, progress=progress, max_errors=max_errors,
                   mode=mode, cancelled=cancelled, error_report_path=error_report_path)


def import_payments(db: Database, *, user: Principal | None, path: Path, today: date | None = None,
                    progress: Callable[[int], None] | None = None, max_errors: int = 200,
                    mode: str = "all_or_nothing", cancelled: Callable[[], bool] | None = None,
                    error_report_path: Path | None = None) -> SalesImportResult:
    """Import a payments workbook (客户代码, 合同/发票号, 金额, 应付日期, 实付日期) like import_sales; the
    late-payment rule runs in the same transaction (two late in one quarter drop the terms a level)."""
    return _import(db, "payments", user=user, path=path, today=today, progress=progress, max_errors=max_errors,
                   mode=mode, cancelled=cancelled, error_report_path=error_report_path)


def _import(db: Database, kind: str, *, user: Principal | None, path: Path, today: date | None,
            progress: Callable[[int], None] | None, max_errors: int, mode: str,
            cancelled: Callable[[], bool] | None, error_report_path: Path | None) -> SalesImportResult:
    from app.services import grade_policy

    k = KINDS[kind]
    if user is not None:
        user.require("sales.edit", k.what)
    if mode not in ("all_or_nothing", "valid_only"):
        raise ValueError(mode)
    today = today or date.today()
    result = SalesImportResult()
    read = ReadResult()
    stop = cancelled or (lambda: False)
    limit = max_errors if mode == "all_or_nothing" else None
    keys = [spec.key for spec in k.specs if spec.key != "code"]

    def work(s: Session) -> int:
        pending: list[tuple[int, str, dict]] = []
        count = 0
        for number, get in data_rows(Path(path), k.specs, read, headers_hint=k.hint):
            if number % 200 == 0 and stop():
                raise _Cancelled
            code = cell_text(get("code"))
            raw = {key: get(key) for key in keys}
            values, errors = check_sale(raw, today=today) if kind == "sales" else check_payment(raw)
            if not code:
                errors = {"code": "客户代码为空", **errors}
            if errors:
                result.errors.append(RowError(number, ";".join(errors.values())))
            else:
                pending.append((number, code, values))
            if len(pending) >= CHUNK:
                count += _insert(s, user, pending, result, kind)
            if limit is not None and len(result.errors) >= limit:
                break
            if progress and number % 1000 == 0:
                progress(number)
        count += _insert(s, user, pending, result, kind)
        result.errors.sort(key=lambda e: e.row)  # customer codes are looked up a chunk at a time
        result.errors[:0] = read.errors
        if stop():
            raise _Cancelled
        if result.errors and (mode == "all_or_nothing" or read.errors):
            raise _Refused
        if kind == "payments" and count:
            s.flush()
            grade_policy.notice_in(s, actor=_actor(user), today=today)
        return count

    try:
        result.imported = db.transact(work)
    except _Refused:
        result.imported = 0
    except _Cancelled:
        result.imported, result.errors, result.cancelled = 0, [], True
        return result
    if error_report_path is not None and result.errors and not read.errors:
        _write_report(Path(path), Path(error_report_path), result, only_errors=mode == "valid_only")
    return result


def _write_report(source: Path, target: Path, result: SalesImportResult, *, only_errors: bool) -> None:
    from app.errors import UserError
    from reports.excel_customers import open_sheet, write_error_report

    if target.resolve() == source.resolve():
        raise UserError("错误报告不能覆盖要导入的文件,请另选位置")
    messages: dict[int, list[str]] = {}
    for e in result.errors:
        messages.setdefault(e.row, []).append(e.message)

    def rows():
        for number, values in sheet.data():
            message = ";".join(messages.get(number, ()))
            if message or not only_errors:
                yield values, message

    with open_sheet(source) as sheet:
        write_error_report(target, sheet.header, rows())
    result.error_report = target


def _insert(s: Session, user: Principal | None, pending: list, result: SalesImportResult, kind: str = "sales") -> int:
    if not pending:
        return 0
    codes = {code for _n, code, _v in pending}
    known = dict(s.execute(select(Customer.code, Customer.id).where(Customer.code.in_(codes))).all())
    if user is not None:
        allowed = {cid for (cid,) in s.execute(select(Customer.id).where(Customer.id.in_(known.values()),
                                                                        access.readable(user)))}
    else:
        allowed = set(known.values())
    rows, now = [], utcnow()
    for number, code, values in pending:
        cid = known.get(code)
        if cid is None:
            result.errors.append(RowError(number, f"客户代码 {code} 不存在"))
        elif cid not in allowed:
            result.errors.append(RowError(number, f"您无权修改客户 {code} 的档案"))
        else:
            extra = {"source": "import"} if kind == "sales" else {}
            rows.append({"id": uuid.uuid4(), "customer_id": cid, "entered_by": _actor(user), "entered_at": now,
                         **extra, **values})
    pending.clear()
    bulk_insert(s, (SalesRecord if kind == "sales" else PaymentRecord).__table__, rows)
    return len(rows)
