"""销控表筛选: one building or unit type, sold and left counts and totals."""
from dataclasses import dataclass
from decimal import Decimal as D

from app.domain.grid_filter import choices, narrow, summary


@dataclass
class Cell:
    building: str
    unit_type: str
    status: str
    area: D
    total: D | None


CELLS = [Cell("1号楼", "三室两厅", "chosen", D("98.50"), D("581150.00")),
         Cell("1号楼", "两室两厅", "released", D("80.00"), D("480000.00")),
         Cell("2号楼", "三室两厅", "certified", D("98.50"), D("600000.00")),
         Cell("2号楼", "三室两厅", "reserved", D("98.50"), D("600000.00")),
         Cell("2号楼", "三室两厅", "relationship", D("98.50"), D("590000.00"))]


def test_narrow_and_sum_what_is_sold_and_left():
    s = summary(CELLS)
    assert (s.flats, s.sold, s.left) == (5, 2, 2) and s.sold_amount == D("1181150.00")
    assert s.left_amount == D("1070000.00") and s.sold_area == D("197.00")
    two = summary(narrow(CELLS, building="2号楼", unit_type="三室两厅"))
    assert (two.flats, two.sold, two.left, two.sold_amount) == (3, 1, 1, D("600000.00"))
    assert narrow(CELLS, unit_type="两室两厅")[0].status == "released"
    assert choices(CELLS) == (["1号楼", "2号楼"], ["三室两厅", "两室两厅"])
