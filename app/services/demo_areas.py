"""Demo visit areas and customer coordinates (演示数据:拜访区域与客户坐标).

Every demo customer without coordinates gets a point within ~2.5 km of the centre of the district its
address names — as if the rep had read it off a map (source 'entered'), so demo routes have real
distances instead of every customer of a district sitting on one point. The home city's districts are
split into two areas, and each other 华中 city is one area, each with a demo rep as owner. Deterministic
by seed (the same customers by code get the same points); bulk inserts (app.db.bulk.insert_stored); no audit rows (system data).
Areas are made once per database: a second run only adds coordinates.
"""
from __future__ import annotations

import math
import uuid

from sqlalchemy import insert, select

from app.db import Database
from app.db.bulk import insert_stored, stored, stored_id
from app.domain import geo
from app.services import demo_names as N
from app.services.demo_draws import Dice
from models import Customer, CustomerLocation, Staff, VisitArea, VisitAreaPlace
from models.base import utcnow

JITTER_KM = 2.5
HOME_AREAS = (("武汉江北片区", ("江岸区", "江汉区", "硚口区")), ("武汉江南片区", ("武昌区", "洪山区")))
CHUNK = 5000
_LOCATIONS = CustomerLocation.__table__
_COLUMNS = ("customer_id", "lat", "lon", "source", "place_code", "updated_by", "updated_at")  # as SQLite stores them


def generate(db: Database, *, seed: int) -> dict[str, int]:
    """{'客户坐标': n, '拜访区域': m} — what was added."""
    salt = f"kedesk-demo-areas:{seed}"
    table = geo.builtin_table()

    def work(s) -> dict[str, int]:
        located = set(s.scalars(select(stored_id(CustomerLocation.customer_id, db.dialect))))
        rows, now = [], utcnow()
        stamp = stored(_LOCATIONS, "updated_at", now)
        customers = (select(stored_id(Customer.id, db.dialect), Customer.code, Customer.address)
                     .where(Customer.merged_into_id.is_(None)).order_by(Customer.code))
        for cid, code, address in s.execute(customers):
            if cid in located:
                continue
            place = geo.match_address(address, table)
            if place is None:
                continue
            point = Dice(f"{salt}:{code}")  # per customer: stable whatever else the database holds
            distance, bearing = JITTER_KM * math.sqrt(point.random()), point.random() * 2 * math.pi
            lat = place.lat + distance * math.cos(bearing) / 111.0
            lon = place.lon + distance * math.sin(bearing) / (111.0 * math.cos(math.radians(place.lat)))
            rows.append((cid, round(lat, 6), round(lon, 6), "entered", place.code, "演示数据", stamp))
        for i in range(0, len(rows), CHUNK):
            insert_stored(s, _LOCATIONS, _COLUMNS, rows[i:i + CHUNK])
        made = 0
        if s.scalar(select(VisitArea.id).limit(1)) is None:
            reps = list(s.scalars(select(Staff.id).where(Staff.active.is_(True)).order_by(Staff.name)))
            index = {(p.city, p.district): p.code for p in table}
            areas = [(name, [index[(N.HOME_CITY, d)] for d in districts]) for name, districts in HOME_AREAS]
            areas += [(f"{c.name}全市", [index[(c.name, "")]]) for c in N.CITIES
                      if c.region == "华中" and c.name != N.HOME_CITY]
            for k, (name, codes) in enumerate(areas):
                area_id = uuid.uuid4()
                s.execute(insert(VisitArea), [{"id": area_id, "name": name, "owner_id": reps[k % len(reps)] if reps
                                               else None, "note": "演示数据", "created_at": now}])
                s.execute(insert(VisitAreaPlace), [{"place_code": c, "area_id": area_id} for c in codes])
                made += 1
        return {"客户坐标": len(rows), "拜访区域": made}

    return db.transact(work)
