"""客户销售分析表: products into the regulation's columns, 其他 only when used, totals."""
from decimal import Decimal as D

from app.domain import sales_analysis as sa

COLUMNS = sa.parse_products(sa.DEFAULT_PRODUCTS)


def test_the_regulations_columns_and_a_product_named_before_its_bracket():
    assert COLUMNS[0] == "PE管" and COLUMNS[-1] == "管件(热熔、电熔、涂塑)" and len(COLUMNS) == 7
    assert sa.column_of("管件", COLUMNS) == "管件(热熔、电熔、涂塑)"
    assert sa.column_of("PE管", COLUMNS) == "PE管" and sa.column_of("阀门", COLUMNS) == sa.OTHER


def test_rows_by_total_with_other_only_when_used_and_a_total_row():
    cols, rows, total = sa.table([("甲公司", "K2", "PE管", D("100")), ("甲公司", "K2", "管件", D("50")),
                                  ("乙公司", "K1", "PE管", D("300"))], COLUMNS)
    assert cols == COLUMNS and [r.customer for r in rows] == ["乙公司", "甲公司"]
    assert rows[1].amounts["管件(热熔、电熔、涂塑)"] == D("50") and rows[1].total == D("150")
    assert total.amounts["PE管"] == D("400") and total.total == D("450")
    cols, rows, total = sa.table([("甲公司", "K2", "阀门", D("10"))], COLUMNS)
    assert cols[-1] == sa.OTHER and total.amounts[sa.OTHER] == D("10")
