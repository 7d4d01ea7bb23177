"""Visit areas, customer coordinates and routes (拜访区域 / 客户坐标 / 路线规划, DOMAIN.md §4).

- Coordinates: typed in by hand on a customer (customer.edit, the card's confidentiality applies, audited
  as entity customer_location), or filled in bulk from the addresses' text with the centre of the
  district (or city) they name (visits.areas.manage; app.domain.geo). Hand-entered ones are never
  overwritten by the bulk fill.
- Areas: a named set of districts or whole cities with an owner rep; a place is in at most one area
  (models.visit_area), a clash is refused naming the area and the place.
- Routes: the customers of an area or of a rep, readable by the user (access.readable); lost, blacklisted
  and merged customers, and those without coordinates, are listed apart with the reason and never routed.
  The order, distance and time come from app.domain.routes with the route settings.
- Tables: 客户地址分类表 and 客户区域分析表 as rows for the screen, Excel and PDF (reports.visit_tables).
"""
from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.exc import IntegrityError

from app import settings
from app.db import Database
from app.domain import geo, route_times
from app.domain import routes as R
from app.domain.vocab import CUSTOMER_TYPE
from app.errors import UserError, ValidationFailed
from app.services import access, audit
from app.services.users import Principal
from models import (
    AuditRecord,
    BlacklistEntry,
    Customer,
    CustomerLocation,
    SalesRecord,
    Staff,
    VisitArea,
    VisitAreaPlace,
)
from models.base import utcnow

SOURCE_LABELS = {"entered": "手工录入", "district": "按区县中心", "city": "按城市中心"}


@dataclass(frozen=True)
class Location:
    customer_id: uuid.UUID
    lat: float
    lon: float
    source: str  # entered / district / city
    place_code: str

    @property
    def text(self) -> str:
        return f"{self.lat:.5f}, {self.lon:.5f}({SOURCE_LABELS.get(self.source, self.source)})"


@dataclass(frozen=True)
class FillResult:
    filled: int  # coordinates found from the address
    unmatched: int  # addresses that name no known district or city
    kept: int  # coordinates already there (hand-entered ones are never replaced)


@dataclass(frozen=True)
class AreaInfo:
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    owner_name: str
    place_codes: tuple[str, ...]
    note: str

    @property
    def places_text(self) -> str:
        index = geo.by_code()
        return "、".join(index[c].label if c in index else c for c in self.place_codes)


@dataclass(frozen=True)
class VisitCustomer:
    id: uuid.UUID
    code: str
    name: str
    address: str
    region: str
    status: str
    customer_type: str
    unsuitable_times: str
    note: str
    card_distance_km: Decimal | None  # 距公司距离 as typed on the card
    lat: float | None
    lon: float | None
    source: str  # '' without coordinates
    excluded: str  # why it is not routed (无效客户); '' when it can be visited

    @property
    def point(self) -> R.Point | None:
        return None if self.lat is None or self.lon is None else R.Point(self.lat, self.lon)


@dataclass(frozen=True)
class RouteStop:
    customer: VisitCustomer
    leg_km: float  # road km from the office or the previous customer
    arrival: float | None = None  # estimated arrival, minutes after midnight of the route's day
    clash: bool = False  # arrives in one of the customer's unsuitable hours of that day (不宜拜访时间)


@dataclass(frozen=True)
class RouteResult:
    stops: tuple[RouteStop, ...]
    excluded: tuple[VisitCustomer, ...]
    office: R.Point
    return_to_office: bool
    back_km: float  # the leg back to the office (0 when not returning)
    distance_km: float
    minutes: float
    input_distance_km: float  # the same customers in the order they were picked
    exact: bool
    moved_for_times: bool = False  # the shortest order was changed to keep out of unsuitable hours


@dataclass(frozen=True)
class AddressRow:
    """客户地址分类表 — one customer."""

    no: int
    name: str
    code: str
    address: str
    distance_km: Decimal | None
    business_type: str
    unsuitable_times: str
    note: str


@dataclass(frozen=True)
class RegionRow:
    """客户区域分析表 — one region in one year."""

    year: int
    region: str
    customers: int
    customer_share: Decimal  # 0–1
    sales: Decimal | None  # None: no sales figures given
    sales_share: Decimal | None


# ---------------------------------------------------------------- coordinates


def location(db: Database, *, customer_id: uuid.UUID, user: Principal | None) -> Location | None:
    with db.read() as s:
        access.ensure_may(s, user, customer_id, action="open")
        row = s.get(CustomerLocation, customer_id)
        return None if row is None else Location(row.customer_id, row.lat, row.lon, row.source, row.place_code)


def set_location(db: Database, *, customer_id: uuid.UUID, lat: str | float, lon: str | float,
                 user: Principal) -> Location:
    """Coordinates typed in by hand (validated, Chinese messages per field); audited on the customer."""
    user.require("customer.edit", "修改客户坐标")
    checked = geo.check_coordinates(str(lat), str(lon))
    if isinstance(checked, dict):
        raise ValidationFailed(checked)
    new_lat, new_lon = checked

    def work(s) -> Location:
        access.ensure_may(s, user, customer_id, action="edit")
        address = s.scalar(select(Customer.address).where(Customer.id == customer_id))
        if address is None:
            raise UserError("客户不存在或已被删除。")
        place = geo.match_address(address)
        row = s.get(CustomerLocation, customer_id)
        before = "" if row is None else Location(customer_id, row.lat, row.lon, row.source, row.place_code).text
        if row is None:
            row = CustomerLocation(customer_id=customer_id, lat=new_lat, lon=new_lon, source="entered")
            s.add(row)
        row.lat, row.lon, row.source = new_lat, new_lon, "entered"
        row.place_code = place.code if place else ""
        row.updated_by, row.updated_at = user.display_name, utcnow()
        after = Location(customer_id, new_lat, new_lon, "entered", row.place_code)
        audit.record(s, actor=user.display_name, action="update", entity="customer_location", entity_id=customer_id,
                     customer_id=customer_id, diffs=[("坐标", before, after.text)])
        return after

    return db.transact(work)


def fill_locations(db: Database, *, user: Principal, refresh_guessed: bool = False) -> FillResult:
    """Coordinates for every customer that has none, from the district its address names (bulk).

    With refresh_guessed, coordinates taken from addresses earlier are looked up again (after addresses
    were corrected); hand-entered ones are always kept. One audit row per customer changed.
    """
    user.require("visits.areas.manage", "补全客户坐标")

    def work(s) -> FillResult:
        existing = {cid: src for cid, src in s.execute(select(CustomerLocation.customer_id, CustomerLocation.source))}
        rows = s.execute(select(Customer.id, Customer.address).where(Customer.merged_into_id.is_(None)))
        now, actor = utcnow(), user.display_name
        new, changed, audits, unmatched, kept = [], [], [], 0, 0
        for cid, address in rows:
            source = existing.get(cid)
            if source is not None and (source == "entered" or not refresh_guessed):
                kept += 1
                continue
            place = geo.match_address(address)
            if place is None:
                unmatched += 1
                continue
            values = {"customer_id": cid, "lat": place.lat, "lon": place.lon,
                      "source": "district" if place.district else "city", "place_code": place.code,
                      "updated_by": actor, "updated_at": now}
            (changed if source is not None else new).append(values)
            audits.append({"id": uuid.uuid4(), "at": now, "actor": actor, "action": "update",
                           "entity": "customer_location", "entity_id": cid, "customer_id": cid, "field": "坐标",
                           "old_value": "", "new_value": f"{place.lat:.5f}, {place.lon:.5f}({place.label}中心)"})
        if changed:
            s.execute(delete(CustomerLocation).where(CustomerLocation.customer_id.in_([v["customer_id"] for v in changed])))
        for chunk in range(0, len(new) + len(changed), 5000):
            s.execute(insert(CustomerLocation), (new + changed)[chunk:chunk + 5000])
        for chunk in range(0, len(audits), 5000):
            s.execute(insert(AuditRecord), audits[chunk:chunk + 5000])
        return FillResult(filled=len(new) + len(changed), unmatched=unmatched, kept=kept)

    return db.transact(work)


# ---------------------------------------------------------------- areas


def list_areas(db: Database, *, user: Principal) -> list[AreaInfo]:
    user.require("visits.routes", "查看拜访区域")
    with db.read() as s:
        places: dict[uuid.UUID, list[str]] = {}
        for code, area_id in s.execute(select(VisitAreaPlace.place_code, VisitAreaPlace.area_id)):
            places.setdefault(area_id, []).append(code)
        q = (select(VisitArea, Staff.name).outerjoin(Staff, Staff.id == VisitArea.owner_id)
             .order_by(VisitArea.name))
        return [AreaInfo(a.id, a.name, a.owner_id, owner or "", tuple(sorted(places.get(a.id, []))), a.note)
                for a, owner in s.execute(q)]


def save_area(db: Database, *, user: Principal, name: str, owner_id: uuid.UUID | None, place_codes: Iterable[str],
              note: str = "", area_id: uuid.UUID | None = None) -> uuid.UUID:
    """Create or change an area; refuses a place another area holds (拜访区域不得重叠), naming the clash."""
    user.require("visits.areas.manage", "划分拜访区域")
    name, codes = (name or "").strip(), sorted(set(place_codes))
    errors = {}
    if not name:
        errors["name"] = "请填写区域名称"
    elif len(name) > 40:
        errors["name"] = "区域名称不能超过40个字"
    known = geo.by_code()
    unknown = [c for c in codes if c not in known]
    if not codes:
        errors["places"] = "请至少选择一个区县或城市"
    elif unknown:
        errors["places"] = f"未知的区划代码:{'、'.join(unknown)}"
    if errors:
        raise ValidationFailed(errors)

    def work(s) -> uuid.UUID:
        q = select(VisitAreaPlace.place_code, VisitArea.name).join(VisitArea, VisitArea.id == VisitAreaPlace.area_id)
        if area_id is not None:
            q = q.where(VisitAreaPlace.area_id != area_id)
        clashes = geo.area_clashes(codes, {code: area for code, area in s.execute(q)})
        if clashes:
            raise ValidationFailed({"places": "拜访区域不能重叠:" + ";".join(clashes) + "。"})
        same_name = select(VisitArea.id).where(VisitArea.name == name)
        if area_id is not None:
            same_name = same_name.where(VisitArea.id != area_id)
        if s.scalar(same_name) is not None:
            raise ValidationFailed({"name": f"已有名为“{name}”的拜访区域"})
        if area_id is None:
            area = VisitArea(id=uuid.uuid4(), name=name, owner_id=owner_id, note=note)
            s.add(area)
        else:
            area = s.get(VisitArea, area_id)
            if area is None:
                raise UserError("拜访区域不存在或已被删除。")
            area.name, area.owner_id, area.note = name, owner_id, note
            s.execute(delete(VisitAreaPlace).where(VisitAreaPlace.area_id == area_id))
        s.flush()
        s.execute(insert(VisitAreaPlace), [{"place_code": c, "area_id": area.id} for c in codes])
        return area.id

    try:
        return db.transact(work)
    except IntegrityError:  # another desk took one of the places at the same moment
        raise ValidationFailed({"places": "其中的区县刚被其他拜访区域划走,请刷新后重试"}) from None


def delete_area(db: Database, *, area_id: uuid.UUID, user: Principal) -> None:
    user.require("visits.areas.manage", "删除拜访区域")
    db.transact(lambda s: s.execute(delete(VisitArea).where(VisitArea.id == area_id)))


# ---------------------------------------------------------------- the customers of an area or a rep


def _area_codes(s, area_id: uuid.UUID) -> set[str]:
    codes = set(s.scalars(select(VisitAreaPlace.place_code).where(VisitAreaPlace.area_id == area_id)))
    if not codes:
        raise UserError("拜访区域不存在或没有划入任何区县。")
    return geo.covered(codes)


def visit_customers(db: Database, *, user: Principal, area_id: uuid.UUID | None = None,
                    owner_id: uuid.UUID | None = None, customer_ids: Iterable[uuid.UUID] | None = None,
                    limit: int = 2000) -> list[VisitCustomer]:
    """The customers of an area, of a rep, or those given — only those the user may read — with the reason
    each invalid one is left out of routes. Sorted by code."""
    user.require("visits.routes", "规划拜访路线")
    listed = exists().where(BlacklistEntry.customer_id == Customer.id, BlacklistEntry.removed_on.is_(None))
    q = (select(Customer.id, Customer.code, Customer.name, Customer.address, Customer.region, Customer.status,
                Customer.customer_type, Customer.unsuitable_visit_times, Customer.note, Customer.distance_km,
                Customer.merged_into_id, listed.label("listed"), CustomerLocation.lat, CustomerLocation.lon,
                CustomerLocation.source)
         .outerjoin(CustomerLocation, CustomerLocation.customer_id == Customer.id)
         .where(access.readable(user)).order_by(Customer.code).limit(limit))
    with db.read() as s:
        if area_id is not None:
            q = q.where(CustomerLocation.place_code.in_(sorted(_area_codes(s, area_id))))
        if owner_id is not None:
            q = q.where(Customer.owner_id == owner_id)
        if customer_ids is not None:
            q = q.where(Customer.id.in_(list(customer_ids)))
        rows = s.execute(q).all()
    return [VisitCustomer(r.id, r.code, r.name, r.address, r.region, r.status, r.customer_type,
                          r.unsuitable_visit_times, r.note, r.distance_km, r.lat, r.lon, r.source or "",
                          R.why_not_visited(status=r.status, blacklisted=bool(r.listed),
                                            merged=r.merged_into_id is not None, located=r.lat is not None))
            for r in rows]


def _office(values: Mapping) -> R.Point:
    return R.Point(float(values["routes.office_lat"]), float(values["routes.office_lon"]))


def plan_route(db: Database, *, customer_ids: list[uuid.UUID], user: Principal,
               day: date | None = None) -> RouteResult:
    """The day's route through the chosen customers, from the office (settings), shortest first — exact up to
    `routes.exact_limit` stops — and, for a given day, out of each customer's unsuitable hours of that day
    (不宜拜访时间: 周一上午不宜 puts that customer in the afternoon of a Monday where the day allows)."""
    rules = settings.get_all(db)
    chosen = {c.id: c for c in visit_customers(db, user=user, customer_ids=customer_ids)}
    picked = [chosen[i] for i in dict.fromkeys(customer_ids) if i in chosen]  # in the order picked
    valid = [c for c in picked if not c.excluded]
    depot, back = _office(rules), bool(rules["routes.return_to_office"])
    windows = [route_times.windows_on(c.unsuitable_times, day) for c in valid] if day is not None else None
    plan = R.plan_route([c.point for c in valid], depot=depot, return_to_depot=back,
                        rules=settings.route_rules(rules), exact_limit=int(rules["routes.exact_limit"]),
                        windows=windows, start_minute=int(rules["routes.start_time"]))
    clashes = set(plan.clashes)
    stops = tuple(RouteStop(valid[i], plan.legs_km[k], plan.arrivals[k] if plan.arrivals else None, i in clashes)
                  for k, i in enumerate(plan.order))
    return RouteResult(stops=stops, excluded=tuple(c for c in picked if c.excluded), office=depot,
                       return_to_office=back, back_km=plan.legs_km[-1] if back and valid else 0.0,
                       distance_km=plan.distance_km, minutes=plan.minutes, input_distance_km=plan.input_distance_km,
                       exact=plan.exact, moved_for_times=plan.moved_for_times)


# ---------------------------------------------------------------- tables


def _km(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def address_table(db: Database, *, user: Principal, area_id: uuid.UUID | None = None,
                  owner_id: uuid.UUID | None = None, customer_ids: Iterable[uuid.UUID] | None = None
                  ) -> list[AddressRow]:
    """客户地址分类表: the distance is the card's 距公司距离 when typed, else the road estimate from the
    coordinates (straight line × road factor); invalid customers say why in the notes."""
    rules = settings.get_all(db)
    depot, factor = _office(rules), float(rules["routes.road_factor"])
    out = []
    for no, c in enumerate(visit_customers(db, user=user, area_id=area_id, owner_id=owner_id,
                                           customer_ids=customer_ids), start=1):
        distance = c.card_distance_km
        if distance is None and c.point is not None:
            distance = _km(R.haversine_km(depot, c.point) * factor)
        notes = [x for x in (c.excluded, c.note.strip().splitlines()[0] if c.note.strip() else "") if x]
        out.append(AddressRow(no, c.name, c.code, c.address, distance, CUSTOMER_TYPE.label(c.customer_type),
                              c.unsuitable_times, ";".join(notes)))
    return out


def region_table(db: Database, *, user: Principal, year: int,
                 sales_by_customer: Mapping[uuid.UUID, Decimal] | None = None) -> list[RegionRow]:
    """客户区域分析表 for one year: per region, the customers **with sales in that year** (net sales > 0, merged
    cards not counted) — not the cards created by then, so a past year shows the customers who bought then —
    their share of all such customers, and the region's share of the year's sales.

    Counts every customer, not only those the user may read: the table names no customer. The sales come from
    the year's sales records, or from `sales_by_customer` (customer id → amount) when given. Regions sorted by
    customer count, largest first; a year without sales gives no rows.
    """
    user.require("visits.routes", "查看客户区域分析表")
    with db.read() as s:
        if sales_by_customer is None:
            per_customer = s.execute(
                select(Customer.id, Customer.region, func.sum(SalesRecord.amount))
                .join(Customer, Customer.id == SalesRecord.customer_id)
                .where(SalesRecord.year == year, Customer.merged_into_id.is_(None))
                .group_by(Customer.id, Customer.region)).all()
        else:
            regions = dict(s.execute(select(Customer.id, Customer.region).where(
                Customer.merged_into_id.is_(None), Customer.id.in_(list(sales_by_customer)))).all())
            per_customer = [(cid, regions[cid], amount) for cid, amount in sales_by_customer.items()
                            if cid in regions]
    counts: Counter[str] = Counter()
    sales: Counter[str] = Counter()
    for _cid, region, amount in per_customer:
        amount = Decimal(amount or 0)
        if amount > 0:
            counts[region or "未分区域"] += 1
        sales[region or "未分区域"] += amount
    total = sum(counts.values())
    all_sales = sum(sales.values(), Decimal(0))
    share = lambda part, whole: (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)  # noqa: E731
    return [RegionRow(year, region, n, share(n, total), sales[region],
                      share(sales[region], all_sales) if all_sales > 0 else None)
            for region, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
