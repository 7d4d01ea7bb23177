"""Coordinates of customers (客户坐标): validation, and finding a district centre from an address's text.

The built-in table (resources/geo/districts.csv) holds the centres of the provinces' capitals, the
municipalities and the districts the company works in, each with its 6-digit division code; a centre
is approximate (±3 km) — good enough for ordering a day's visits and the distance column of
客户地址分类表, and replaced by coordinates typed in by hand whenever the rep knows better.

Matching an address: find the city first ("武汉市", or the bare name "武汉"), then a district of that
city ("江岸区"); names such as 鼓楼区 / 朝阳区 / 和平区 exist in several cities, so a district alone is
used only when exactly one city has it. No district: the city centre. Nothing: no match.
"""
from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.domain.routes import Point

LAT_RANGE = (-90.0, 90.0)
LON_RANGE = (-180.0, 180.0)
CHINA = (3.0, 54.0, 73.0, 136.0)  # lat from, lat to, lon from, lon to: a typo (swapped lat/lon) shows


@dataclass(frozen=True)
class Place:
    province: str
    city: str
    district: str  # '' for the city centre
    code: str  # 6-digit administrative division code
    lat: float
    lon: float

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)

    @property
    def label(self) -> str:
        return f"{self.city}市{self.district}" if self.district else f"{self.city}市"


def parse_table(text: str) -> tuple[Place, ...]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return tuple(Place(p, c, d, code, float(lat), float(lon)) for p, c, d, code, lat, lon in csv.reader(io.StringIO(
        "\n".join(lines))))


def _table_path() -> Path:
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "resources" / "geo" / "districts.csv"


@cache
def builtin_table() -> tuple[Place, ...]:
    return parse_table(_table_path().read_text(encoding="utf-8"))


def match_address(address: str, table: tuple[Place, ...] | None = None) -> Place | None:
    """The district (or city) centre an address names, or None."""
    text = (address or "").replace(" ", "")
    if not text:
        return None
    index = _index(table if table is not None else builtin_table())
    # "武汉市" beats a bare "武汉"; the longest name first so 乌鲁木齐 is not cut short
    found = [c for c in index.cities if f"{c}市" in text]
    found = found or [c for c in index.cities if c in text]
    if found:
        city = min(found, key=lambda c: text.find(c))  # the first named: "北京市朝阳区长春路" is in Beijing
        in_city = index.by_city[city]
        districts = [p for p in in_city if p.district and p.district in text]
        if districts:
            return max(districts, key=lambda p: len(p.district))
        return next((p for p in in_city if not p.district), None)
    districts = [p for p in index.districts if p.district in text]
    return districts[0] if len({(p.city, p.district) for p in districts}) == 1 else None


class _Index:
    """A table's cities (longest first), places by city and places with a district, made once per table:
    100,000 demo addresses are matched in a row."""

    def __init__(self, places: tuple[Place, ...]):
        self.places = places
        self.cities = sorted({p.city for p in places}, key=len, reverse=True)
        self.by_city: dict[str, list[Place]] = {}
        for p in places:
            self.by_city.setdefault(p.city, []).append(p)
        self.districts = [p for p in places if p.district]


_last_index: _Index | None = None


def _index(places: tuple[Place, ...]) -> _Index:
    global _last_index
    index = _last_index
    if index is None or index.places is not places:  # by identity: hashing a whole table costs a match
        index = _last_index = _Index(places)
    return index


def check_coordinates(lat_text: str, lon_text: str) -> tuple[float, float] | dict[str, str]:
    """Typed latitude and longitude as numbers, or {field: Chinese message}."""
    errors: dict[str, str] = {}
    values: dict[str, float] = {}
    for field, text, name, example in (("lat", lat_text, "纬度", "30.593"), ("lon", lon_text, "经度", "114.305")):
        try:
            values[field] = float((text or "").strip().rstrip("°"))
        except ValueError:
            errors[field] = f"请填写{name},例如 {example}"
    if errors:
        return errors
    lat, lon = values["lat"], values["lon"]
    in_china = lambda a, o: CHINA[0] <= a <= CHINA[1] and CHINA[2] <= o <= CHINA[3]  # noqa: E731
    if not in_china(lat, lon) and in_china(lon, lat):
        return {"lat": "纬度和经度好像填反了:纬度在前(如 30.59),经度在后(如 114.31)"}
    for field, value, (low, high), name in (("lat", lat, LAT_RANGE, "纬度"), ("lon", lon, LON_RANGE, "经度")):
        if not low <= value <= high:
            errors[field] = f"{name}应在 {low:g} 与 {high:g} 之间"
    if errors:
        return errors
    if not in_china(lat, lon):
        return {"lat": "坐标不在中国境内,请核对纬度和经度"}
    return lat, lon


def by_code(table: tuple[Place, ...] | None = None) -> dict[str, Place]:
    return {p.code: p for p in (table if table is not None else builtin_table())}


def covered(codes, table: tuple[Place, ...] | None = None) -> set[str]:
    """The place codes an area holding `codes` covers: a city covers itself and all its districts."""
    places = table if table is not None else builtin_table()
    index = by_code(places)
    out: set[str] = set()
    for code in codes:
        out.add(code)
        p = index.get(code)
        if p is not None and not p.district:
            out |= {q.code for q in places if q.city == p.city}
    return out


def area_clashes(codes, taken: dict[str, str], table: tuple[Place, ...] | None = None) -> list[str]:
    """Chinese sentences naming each place of `codes` that overlaps a place another area holds.

    `taken` maps the place codes other areas hold to the area's name (拜访区域不得重叠).
    """
    index = by_code(table)
    label = lambda c: index[c].label if c in index else c  # noqa: E731
    out = []
    for code in sorted(codes):
        mine = covered([code], table)
        for other, area in sorted(taken.items()):
            if mine & covered([other], table):
                if other == code:
                    out.append(f"“{label(code)}”已划入拜访区域“{area}”")
                else:
                    out.append(f"“{label(code)}”与拜访区域“{area}”的“{label(other)}”重叠")
    return out
