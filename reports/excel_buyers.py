"""A commissioning unit's buyer list (购房者名单): 序号, 姓名, 身份证号, optional 电话/部门.

Streams the sheet into plain rows with per-row Chinese errors: 序号 must be a unique positive integer
(the notarised draw refers to it), the ID number must be valid. Same person twice, or on two units'
lists, is for audit (app.domain.buyers.audit_flags), not a reading error.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.domain.buyers import id_problem, normalise_id
from reports import excel_columns as xc

SPECS = (
    xc.Spec("index", "序号", ("编号", "顺序号", "排序号", "no", "no.")),
    xc.Spec("name", "姓名", ("名字", "购房人", "购房者", "购房人姓名", "职工姓名", "员工姓名")),
    xc.Spec("id_number", "身份证号", ("身份证", "身份证号码", "证件号码", "证件号", "公民身份号码"), text=True),
    xc.Spec("phone", "电话", ("手机", "手机号", "手机号码", "联系电话", "电话号码"), required=False, text=True),
    xc.Spec("department", "部门", ("所在部门", "科室", "单位部门"), required=False),
)
EXAMPLE = (1, "张三", "110105199001011232", "13800138000", xc.EXAMPLE_NOTE)


@dataclass(frozen=True)
class BuyerRow:
    """One buyer as read: sheet row, 序号, 姓名, 身份证号 (normalised), 电话, 部门."""

    row: int
    index: int
    name: str
    id_number: str
    phone: str = ""
    department: str = ""


def parse_index(value) -> int:
    text = xc.cell_text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"序号“{text}”不是整数") from None
    if not number.is_finite() or number != number.to_integral_value() or number <= 0:
        raise ValueError(f"序号“{text}”应为正整数")
    return int(number)


def id_text(value) -> str:
    """The ID cell as text; a number Excel rounded (1.10105199001012E+17) is refused."""
    if isinstance(value, float):
        raise ValueError("身份证号被 Excel 存成了数字,末几位可能已丢失:请把该列设为“文本”格式后重新输入")
    return normalise_id(xc.cell_text(value))


def read_buyers(path: Path) -> xc.ReadResult:
    """Rows of a 购房者名单 and the errors of the rows that cannot be used (one message per row)."""
    result = xc.ReadResult()
    seen: dict[int, int] = {}
    for number, get in xc.data_rows(path, SPECS, result, headers_hint="序号、姓名、身份证号"):
        problems: list[str] = []
        index = xc.required(get, "index", "序号", parse_index, problems)
        if index is not None:
            if index in seen:
                problems.append(f"序号 {index} 与第 {seen[index]} 行重复")
            else:
                seen[index] = number
        name = " ".join(xc.cell_text(get("name")).split())
        if not name:
            problems.append("姓名为空")
        try:
            id_number = id_text(get("id_number"))
            problem = id_problem(id_number)
            if problem:
                problems.append(problem.rstrip("。"))
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            result.errors.append(xc.RowError(number, ";".join(problems) + "。"))
            continue
        result.rows.append(BuyerRow(number, index, name, id_number, xc.cell_text(get("phone")),
                                    xc.cell_text(get("department"))))
    return result


def write_template(path: Path) -> None:
    """An empty 购房者名单 with the headers and one example row (the example is skipped on import)."""
    xc.write_template(path, SPECS, EXAMPLE, title="购房者名单")
