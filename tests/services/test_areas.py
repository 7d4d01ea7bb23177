"""Customer coordinates, visit areas without overlap, routes that skip invalid customers, the two tables."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.domain import geo
from app.domain.permissions import DEFAULT_ROLES
from app.errors import ValidationFailed
from app.services import areas, audit, blacklist, customers, staff
from app.services.users import PermissionDenied, Principal, system_principal
from models import Customer, CustomerLocation, SalesRecord

ADDRESSES = {
    "江岸物流": "湖北省武汉市江岸区人民路12号",
    "江汉商贸": "湖北省武汉市江汉区解放路8号国贸大厦5层",
    "武昌科技": "武汉市武昌区中山路100号",
    "洪山建材": "湖北省武汉市洪山区光明路3号",
    "硚口机械": "湖北省武汉市硚口区建设路55号",
    "朝阳软件": "北京市朝阳区长春路9号",
    "无名商行": "某某街道18号",
}


def _role(code: str, staff_id=None, department_id=None) -> Principal:
    name, perms = DEFAULT_ROLES[code]
    return Principal(None, code, name, code, name, frozenset(perms), staff_id, department_id)


@pytest.fixture
def office(db):
    dept = staff.add_department(db, name="销售一部")
    rep = staff.add_staff(db, name="王丽", department_id=dept)
    other = staff.add_staff(db, name="李强", department_id=dept)
    ids = {}
    for i, (short, address) in enumerate(ADDRESSES.items()):
        ids[short] = customers.create_customer(db, actor="建档", values={
            "name": f"{short}有限公司", "address": address, "status": "deal", "region": "华中" if i < 5 else "华北",
            "owner_id": rep if i % 2 == 0 else other, "department_id": dept, "confidentiality": "department"})
    return db, dept, rep, other, ids


def test_addresses_find_their_district_and_ambiguous_names_need_the_city():
    assert geo.match_address("湖北省武汉市江岸区人民路12号").label == "武汉市江岸区"
    assert geo.match_address("北京市朝阳区长春路9号").label == "北京市朝阳区"  # not 长春's 朝阳区
    assert geo.match_address("吉林省长春市朝阳区人民大街").code == "220104"
    assert geo.match_address("朝阳区某路") is None  # Beijing or Changchun: not guessed
    assert geo.match_address("江岸区某路").code == "420102"  # only Wuhan has one
    assert geo.match_address("广州市某路1号").label == "广州市"
    assert geo.match_address("") is None


def test_typed_coordinates_are_checked_with_chinese_messages():
    assert geo.check_coordinates("30.6", "114.3") == (30.6, 114.3)
    assert geo.check_coordinates("abc", "114.3") == {"lat": "请填写纬度,例如 30.593"}
    assert "经度应在" in geo.check_coordinates("30", "190")["lon"]
    assert "填反" in geo.check_coordinates("114.3", "30.6")["lat"]
    assert "中国境内" in geo.check_coordinates("51.5", "-0.1")["lat"]


def test_bulk_fill_takes_district_centres_and_never_replaces_hand_entered_ones(office):
    db, _, _, _, ids = office
    gm = system_principal("经理")
    areas.set_location(db, customer_id=ids["江岸物流"], lat="30.61", lon="114.30", user=gm)
    result = areas.fill_locations(db, user=gm)
    assert result == areas.FillResult(filled=5, unmatched=1, kept=1)
    jianghan = areas.location(db, customer_id=ids["江汉商贸"], user=gm)
    assert (jianghan.source, jianghan.place_code) == ("district", "420103")
    assert areas.location(db, customer_id=ids["无名商行"], user=gm) is None
    again = areas.fill_locations(db, user=gm, refresh_guessed=True)
    assert again.kept == 1 and again.filled == 5
    kept = areas.location(db, customer_id=ids["江岸物流"], user=gm)
    assert (kept.lat, kept.lon, kept.source) == (30.61, 114.30, "entered")
    history = audit.history(db, customer_id=ids["江岸物流"], user=None)
    assert [(h.entity, h.field, h.new_value) for h in history if h.entity == "客户坐标"] == [
        ("客户坐标", "坐标", "30.61000, 114.30000(手工录入)")]


def test_hand_entered_coordinates_need_the_right_to_edit_the_card_and_valid_numbers(office):
    db, _, rep, _, ids = office
    with pytest.raises(ValidationFailed) as bad:
        areas.set_location(db, customer_id=ids["江汉商贸"], lat="91", lon="114", user=system_principal())
    assert "纬度应在" in bad.value.errors["lat"]
    stranger = _role("sales_rep", staff_id=None, department_id=None)
    with pytest.raises(PermissionDenied):
        areas.set_location(db, customer_id=ids["江汉商贸"], lat="30.6", lon="114.3", user=stranger)
    with pytest.raises(PermissionDenied):
        areas.fill_locations(db, user=_role("sales_rep", rep))


def test_areas_cannot_overlap_and_the_refusal_names_the_clash(office):
    db, _, rep, other, _ = office
    gm = system_principal()
    north = areas.save_area(db, user=gm, name="江北片区", owner_id=rep, place_codes=["420102", "420103", "420104"])
    with pytest.raises(ValidationFailed) as clash:
        areas.save_area(db, user=gm, name="江南片区", owner_id=other, place_codes=["420106", "420103"])
    assert "“武汉市江汉区”已划入拜访区域“江北片区”" in clash.value.errors["places"]
    with pytest.raises(ValidationFailed) as whole_city:
        areas.save_area(db, user=gm, name="武汉全市", owner_id=other, place_codes=["420100"])
    assert "与拜访区域“江北片区”的“武汉市江岸区”重叠" in whole_city.value.errors["places"]
    south = areas.save_area(db, user=gm, name="江南片区", owner_id=other, place_codes=["420106", "420111"])
    # changing an area keeps its own places; the name stays unique
    areas.save_area(db, user=gm, area_id=north, name="江北片区", owner_id=rep, place_codes=["420102", "420103"])
    with pytest.raises(ValidationFailed) as same:
        areas.save_area(db, user=gm, area_id=south, name="江北片区", owner_id=other, place_codes=["420106"])
    assert "已有名为" in same.value.errors["name"]
    listed = {a.name: a for a in areas.list_areas(db, user=gm)}
    assert listed["江北片区"].places_text == "武汉市江岸区、武汉市江汉区" and listed["江南片区"].owner_name == "李强"
    with pytest.raises(PermissionDenied):
        areas.save_area(db, user=_role("sales_rep", rep), name="我的", owner_id=rep, place_codes=["110105"])


def test_route_through_an_area_leaves_out_lost_blacklisted_and_unlocated_customers(office):
    db, _, rep, other, ids = office
    gm = system_principal()
    areas.fill_locations(db, user=gm)
    area = areas.save_area(db, user=gm, name="武汉", owner_id=rep, place_codes=["420100"])
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == ids["洪山建材"]).values(status="lost"))
    blacklist.add(db, actor="经理", customer_id=ids["硚口机械"], criterion="恶意拖欠", reason="欠款", user=None)
    in_area = {c.name: c for c in areas.visit_customers(db, user=gm, area_id=area)}
    assert set(in_area) == {f"{n}有限公司" for n in ("江岸物流", "江汉商贸", "武昌科技", "洪山建材", "硚口机械")}
    assert in_area["洪山建材有限公司"].excluded == "流失客户"
    assert in_area["硚口机械有限公司"].excluded == "黑名单客户"

    picked = [ids[n] for n in ("武昌科技", "洪山建材", "江岸物流", "无名商行", "江汉商贸", "硚口机械")]
    route = areas.plan_route(db, customer_ids=picked, user=gm)
    assert [s.customer.name for s in route.stops] == ["江岸物流有限公司", "江汉商贸有限公司", "武昌科技有限公司"] or \
        [s.customer.name for s in route.stops] == ["武昌科技有限公司", "江汉商贸有限公司", "江岸物流有限公司"]
    assert {c.name: c.excluded for c in route.excluded} == {
        "洪山建材有限公司": "流失客户", "无名商行有限公司": "没有坐标(地址未能识别,请手工录入)",
        "硚口机械有限公司": "黑名单客户"}
    assert route.return_to_office and route.distance_km == pytest.approx(
        sum(s.leg_km for s in route.stops) + route.back_km)
    assert route.minutes == pytest.approx(route.distance_km / 30 * 60 + 3 * 30)
    assert route.distance_km <= route.input_distance_km + 1e-9


def test_a_monday_route_keeps_a_monday_morning_customer_out_of_the_morning(office):
    from datetime import date

    from app import settings

    db, _, rep, _other, ids = office
    gm = system_principal()
    areas.fill_locations(db, user=gm)
    settings.put(db, "routes.start_time", 11 * 60)  # leave at 11:00: the third visit falls after noon
    picked = [ids[n] for n in ("武昌科技", "江岸物流", "江汉商贸")]
    tuesday = areas.plan_route(db, customer_ids=picked, user=gm, day=date(2026, 12, 1))
    first = tuesday.stops[0].customer.id  # the shortest order
    customers.update_customer(db, actor="测试", customer_id=first, values={"unsuitable_visit_times": "周一上午不宜"},
                              user=None)
    monday = areas.plan_route(db, customer_ids=picked, user=gm, day=date(2026, 11, 30))
    marked = next(s for s in monday.stops if s.customer.id == first)
    assert marked.arrival >= 12 * 60 and not marked.clash and monday.moved_for_times
    assert monday.stops[-1].customer.id == first and monday.distance_km >= tuesday.distance_km
    again = areas.plan_route(db, customer_ids=picked, user=gm, day=date(2026, 12, 1))
    assert again.stops[0].customer.id == first and not again.moved_for_times  # Tuesday: no detour
    assert tuesday.stops[0].arrival == pytest.approx(11 * 60 + tuesday.stops[0].leg_km / 30 * 60)


def test_a_rep_sees_only_the_customers_they_may_read(office):
    db, dept, rep, other, ids = office
    areas.fill_locations(db, user=system_principal())
    me = _role("sales_rep", rep, None)  # not a manager: only their own department-level cards
    mine = {c.name for c in areas.visit_customers(db, user=me)}
    assert mine == {f"{n}有限公司" for n in ("江岸物流", "武昌科技", "硚口机械", "无名商行")}
    theirs = areas.plan_route(db, customer_ids=[ids["江汉商贸"], ids["江岸物流"]], user=me)
    assert [s.customer.name for s in theirs.stops] == ["江岸物流有限公司"]
    with pytest.raises(PermissionDenied):
        areas.visit_customers(db, user=_role("finance"))


def test_address_table_uses_the_card_distance_or_the_road_estimate_and_marks_invalid_customers(office):
    db, _, rep, _, ids = office
    gm = system_principal()
    areas.fill_locations(db, user=gm)
    with db.write() as s:
        s.execute(update(Customer).where(Customer.id == ids["江岸物流"]).values(distance_km=Decimal("4.5"),
                                                                              unsuitable_visit_times="周一上午"))
    rows = {r.name: r for r in areas.address_table(db, user=gm, owner_id=rep)}
    assert [r.no for r in rows.values()] == [1, 2, 3, 4]
    assert rows["江岸物流有限公司"].distance_km == Decimal("4.5")
    assert rows["江岸物流有限公司"].unsuitable_times == "周一上午"
    assert Decimal("1") < rows["武昌科技有限公司"].distance_km < Decimal("20")
    assert rows["无名商行有限公司"].distance_km is None and "没有坐标" in rows["无名商行有限公司"].note
    assert rows["江岸物流有限公司"].business_type == "终端客户"


def test_region_table_counts_the_customers_with_sales_in_the_year(office):
    db, _, _, _, ids = office
    gm = system_principal()
    year = customers_year(db)
    assert areas.region_table(db, user=gm, year=year) == []  # cards on file but nobody bought anything
    with db.write() as s:
        s.add_all([SalesRecord(customer_id=ids["江汉商贸"], year=year, month=3, amount=Decimal("600")),
                   SalesRecord(customer_id=ids["武昌科技"], year=year, month=4, amount=Decimal("300")),
                   SalesRecord(customer_id=ids["朝阳软件"], year=year, month=5, amount=Decimal("100")),
                   # a sale and its full return in one year: no sales, not counted
                   SalesRecord(customer_id=ids["江岸物流"], year=year, month=5, amount=Decimal("50")),
                   SalesRecord(customer_id=ids["江岸物流"], year=year, month=6, amount=Decimal("-50")),
                   # a year before the cards were created (imported history): that year is filled too
                   SalesRecord(customer_id=ids["朝阳软件"], year=year - 1, month=5, amount=Decimal("5000")),
                   SalesRecord(customer_id=ids["洪山建材"], year=year - 1, month=5, amount=Decimal("1000"))])
    rows = areas.region_table(db, user=gm, year=year)
    assert [(r.region, r.customers, r.customer_share, r.sales, r.sales_share) for r in rows] == [
        ("华中", 2, Decimal("0.6667"), Decimal("900"), Decimal("0.9000")),
        ("华北", 1, Decimal("0.3333"), Decimal("100"), Decimal("0.1000"))]
    past = {r.region: (r.customers, r.sales_share) for r in areas.region_table(db, user=gm, year=year - 1)}
    assert past == {"华北": (1, Decimal("0.8333")), "华中": (1, Decimal("0.1667"))}
    sales = {ids["江岸物流"]: Decimal("300"), ids["朝阳软件"]: Decimal("100")}
    with_sales = {r.region: r for r in areas.region_table(db, user=gm, year=year, sales_by_customer=sales)}
    assert with_sales["华中"].sales == Decimal("300") and with_sales["华中"].sales_share == Decimal("0.7500")
    assert areas.region_table(db, user=gm, year=year - 2) == []


def customers_year(db) -> int:
    with db.read() as s:
        return s.scalar(select(Customer.created_at)).year


def test_removing_a_customer_location_with_the_card(office):
    db, _, _, _, ids = office
    areas.fill_locations(db, user=system_principal())
    with db.read() as s:
        assert s.scalar(select(CustomerLocation.source).where(CustomerLocation.customer_id == ids["江汉商贸"])) == "district"


def test_demo_coordinates_lie_near_their_district_and_the_demo_areas_do_not_overlap(sqlite_db):
    from app.services import demo

    counts = demo.generate(sqlite_db, customers=120, seed=5)
    assert counts["客户坐标"] == 120 and counts["拜访区域"] == 4
    gm = system_principal()
    index = geo.by_code()
    with sqlite_db.read() as s:
        points = list(s.execute(select(CustomerLocation.lat, CustomerLocation.lon, CustomerLocation.place_code)))
    from app.domain.routes import Point, haversine_km
    assert max(haversine_km(Point(a, o), index[c].point) for a, o, c in points) <= 2.6
    names = {a.name for a in areas.list_areas(sqlite_db, user=gm)}
    assert {"武汉江北片区", "武汉江南片区", "长沙全市", "郑州全市"} == names
    assert demo.generate(sqlite_db, customers=10, seed=5)["拜访区域"] == 0


def test_the_sales_analysis_table_by_product_names_only_readable_customers(office):
    from app.services import sales_analysis

    db, _dept, rep, _other, ids = office
    with db.write() as s:
        s.add_all([SalesRecord(customer_id=ids["江汉商贸"], year=2025, month=3, product="PE管", amount=Decimal("600")),
                   SalesRecord(customer_id=ids["江汉商贸"], year=2025, month=4, product="管件", amount=Decimal("40")),
                   SalesRecord(customer_id=ids["江岸物流"], year=2025, month=5, product="PE钢丝管",
                               amount=Decimal("900"))])
    cols, rows, total = sales_analysis.sales_table(db, user=system_principal(), year=2025)
    assert cols[0] == "PE管" and [r.customer for r in rows] == ["江岸物流有限公司", "江汉商贸有限公司"]
    assert rows[1].amounts["管件(热熔、电熔、涂塑)"] == Decimal("40") and total.total == Decimal("1540")
    me = _role("sales_rep", rep, None)  # reads only the cards they own
    assert [r.customer for r in sales_analysis.sales_table(db, user=me, year=2025)[1]] == ["江岸物流有限公司"]
