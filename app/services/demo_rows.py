"""One demo customer's rows (演示客户的各行): the card, key persons, relations, archive, blacklist entry.

Maker draws them with demo_draws into a Batch, which demo inserts chunk by chunk; Taken keeps names,
USCCs and phones unique against the database and each other.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import mul

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.bulk_load import BulkLoad
from app.db.row_ids import RowIds
from app.domain import size as size_rule
from app.services import blacklist
from app.services import customers as customer_service
from app.services import demo_names as N
from app.services.demo_draws import (
    CHANNEL,
    CITY,
    COMPANY_TYPE,
    CONFIDENTIALITY,
    CONTACT_KIND,
    DEAL_GRADE,
    EDUCATION,
    INTENT_GRADE,
    PERSON_COUNT,
    RECEIVABLE_KIND,
    SECTIONS,
    SOURCE,
    STATUS,
    SUFFIX,
    TIER,
    Dice,
    distance_km,
    money,
    person_name,
    spell,
    unique,
)
from models import ArchiveEntry, BlacklistEntry, Customer, KeyPerson, KeyPersonRelation
from models.base import utcnow

_CUSTOMER, _PERSON, _RELATION = Customer.__table__, KeyPerson.__table__, KeyPersonRelation.__table__
_ARCHIVE, _BLACKLIST = ArchiveEntry.__table__, BlacklistEntry.__table__
# ids in the form RowIds makes them (SQLite's stored form there), passed through bulk_insert as they are
_ID_KEYS = ("id", "customer_id", "owner_id", "department_id", "from_person_id", "to_person_id", "merged_into_id")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check digit
# GB 32100 check digit, as stdnum.cn.uscc.calc_check_digit computes it but without cleaning the input
# first: that cleaning was a tenth of drawing a customer
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CN_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Person:
    """An active staff member (员工), as the maker assigns them to cards and records."""

    id: uuid.UUID
    name: str
    department_id: uuid.UUID | None
    department: str
    position: str


@dataclass
class Org:
    """Who owns cards (reps) and who records finance, legal and front-desk entries."""

    reps: list[Person]
    key_account_reps: list[Person]
    finance: list[str]
    legal: list[str]
    front: list[str]


@dataclass
class Taken:
    """Values that must stay unique: names, USCCs and phones already in the database or generated."""

    names: set[str]
    usccs: set[str]
    phones: set[str]

    @classmethod
    def load(cls, s: Session) -> Taken:
        rows = s.execute(select(Customer.name, Customer.uscc, Customer.phone)).all()
        return cls({r[0] for r in rows}, {r[1] for r in rows if r[1]}, {r[2] for r in rows if r[2]})


@dataclass
class Batch:
    """One chunk of customers' rows, table by table, inserted together."""

    customers: list[dict] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    archive: list[dict] = field(default_factory=list)
    blacklist: list[dict] = field(default_factory=list)

    TABLES = (_CUSTOMER, _PERSON, _RELATION, _ARCHIVE, _BLACKLIST)  # in insertion order: parents first
    COUNTED = ("客户", "关键人", "关键人关系", "档案记录", "黑名单")  # the tables' keys in demo's counts

    def insert(self, load: BulkLoad, counts: dict[str, int]) -> None:
        tables = (self.customers, self.persons, self.relations, self.archive, self.blacklist)
        for table, rows, key in zip(self.TABLES, tables, self.COUNTED, strict=True):
            if rows:
                load.insert(table, rows, ready=_ID_KEYS)
                counts[key] += len(rows)


def _cn_number(n: int) -> str:
    """2 → 二, 12 → 十二, 35 → 三十五 (up to 99)."""
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (_CN_DIGITS[ones] if ones else "")


class Maker:
    """Draws one customer at a time, with its key persons, relations, archive and blacklist entry."""

    def __init__(self, dice: Dice, today: date, thresholds: dict, org: Org, taken: Taken, start: int,
                 ids: RowIds):
        self.dice, self.today, self.thresholds, self.org, self.taken = dice, today, thresholds, org, taken
        self.now = utcnow()
        self._id = ids
        self._keys = {p.id: (ids.key(p.id), ids.key(p.department_id)) for p in org.reps}  # owner, department
        self.ref_counters: dict[tuple[str, int], int] = {}
        self.ref_start = start  # document numbers continue after an earlier run, like the codes
        self.day0 = today.toordinal()

    def _days_ago(self, days: int) -> date:
        return date.fromordinal(self.day0 - days)

    # -- the card

    def customer(self, batch: Batch, code: str, *, blacklisted: bool) -> None:
        d = self.dice
        city = CITY(d)
        district, division = d.one(city.districts)
        name, industry, scope, ctype, uscc_prefix, brand = self._name(city)
        status = STATUS(d)
        lost_reason = d.one(N.LOST_REASONS) if status == "lost" else ""
        criterion = ""
        if blacklisted:
            criterion = d.one(blacklist.CRITERIA)
            status, lost_reason = "lost", f"列入黑名单:{criterion}"
        tier = TIER(d)
        revenue, headcount, capital = self._scale(tier)
        grade = self._grade(status)
        owner = self._owner(tier, grade)
        owner_key, department_key = self._keys[owner.id]
        cid = self._id()
        row = {
            "id": cid, "code": code, "name": name, "legal_representative": person_name(d)[0],
            "address": self._address(city, district), "postcode": f"{city.postcode}{d.below(1000):03d}",
            "phone": unique(self._phone_maker(city), self.taken.phones),
            "fax": self._landline(city) if d.random() < 0.5 else "",
            "business_scope": scope, "registered_capital": capital, "uscc": self._uscc(uscc_prefix, division),
            "industry": industry, "annual_revenue": revenue, "headcount": headcount,
            "size": size_rule.classify(revenue, headcount, self.thresholds),
            "region": city.region, "distance_km": distance_km(city, d),
            "unsuitable_visit_times": "、".join(d.few(N.UNSUITABLE_TIMES, d.between(1, 2)))
            if d.random() < 0.55 else "",
            "customer_type": ctype, "source": SOURCE(d), "channel_level": CHANNEL(d),
            "status": status, "grade": grade, "credit_limit": self._credit(status, grade),
            "lost_reason": lost_reason, "owner_id": owner_key, "department_id": department_key,
            "confidentiality": CONFIDENTIALITY(d),
            # ~70% verified within the quarter, ~10% due soon, ~20% overdue (每季度重新核定)
            "last_verified_on": self._days_ago(int(d.rng.triangular(0, 155, 30))),
            "note": d.one(N.CUSTOMER_NOTES) if d.random() < 0.2 else "",
            "merged_into_id": None, "created_at": self.now, "updated_at": self.now, "version": 1,
        }
        row |= customer_service._search_fields(row)  # exactly what a saved card gets
        batch.customers.append(row)
        persons = self._persons(batch, row, brand)
        self._relations(batch, cid, persons)
        self._archive(batch, row, owner)
        if blacklisted:
            batch.blacklist.append({
                "id": self._id(), "customer_id": cid, "criterion": criterion,
                "reason": N.BLACKLIST_REASONS[criterion], "listed_on": self._days_ago(d.between(10, 700)),
                "listed_by": d.one(self.org.legal), "removed_on": None, "removed_by": "", "removal_reason": ""})

    def _name(self, city: N.City):
        """(name, industry, scope, customer type, USCC prefix, brand); names never repeat."""
        d = self.dice
        for _ in range(8):
            brand = d.one(N.BRANDS)
            if d.random() < 0.08:
                ctype, industry, pattern, scope, prefix, office = d.one(N.SPECIAL_TYPES)
                name = pattern.format(city=city.name, brand=brand, bank=d.one(N.BANKS), road=d.one(N.ROADS))
            else:
                word, industry, scope = d.one(N.INDUSTRIES)
                suffix, ctype, prefix, office = SUFFIX(d), COMPANY_TYPE(d), "91", "分公司"
                if d.random() < 0.2:  # e.g. 华盛(上海)信息技术有限公司
                    name = f"{brand}({city.name}){word}{suffix}"
                else:
                    name = f"{city.name}{brand}{word}{suffix}"
            if name not in self.taken.names:
                break
        else:  # a crowded pattern: a second (third …) office of the same firm
            base, n = name, 2
            while (name := f"{base}(第{_cn_number(n)}{office})") in self.taken.names:
                n += 1
        self.taken.names.add(name)
        return name, industry, scope, ctype, prefix, brand

    _SCALES = {  # revenue range, headcount range, registered capitals
        "small": ((500_000, 20_000_000), (5, 299), (500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000)),
        "medium": ((20_000_000, 400_000_000), (150, 999), (10_000_000, 20_000_000, 50_000_000, 100_000_000)),
        "large": ((400_000_000, 5_000_000_000), (800, 20_000), (100_000_000, 200_000_000, 500_000_000)),
    }

    def _scale(self, tier: str) -> tuple[Decimal | None, int | None, Decimal]:
        d = self.dice
        revenue_range, heads_range, capitals = self._SCALES[tier]
        capital = Decimal(d.one(capitals))
        if d.random() < 0.05:  # not known yet
            return None, None, capital
        return money(d.log_uniform(*revenue_range)), int(d.log_uniform(*heads_range)), capital

    def _grade(self, status: str) -> str:
        d = self.dice
        if status == "deal":
            return DEAL_GRADE(d)
        if status == "intent" and d.random() < 0.3:
            return INTENT_GRADE(d)
        if status == "lost" and d.random() < 0.5:
            return d.one("DE")
        return ""

    _CREDIT = {"A": (1_000_000, 5_000_000), "B": (300_000, 1_000_000), "C": (50_000, 300_000)}

    def _credit(self, status: str, grade: str) -> Decimal | None:
        if status != "deal" or grade not in self._CREDIT:
            return None
        low, high = self._CREDIT[grade]
        return money(low + self.dice.random() * (high - low))

    def _owner(self, tier: str, grade: str) -> Person:
        important = tier == "large" or grade == "A"
        pool = self.org.key_account_reps if important and self.dice.random() < 0.6 else self.org.reps
        return self.dice.one(pool)

    def _landline(self, city: N.City) -> str:
        return f"{city.area_code}-{self.dice.between(2, 8)}{self.dice.below(10**7):07d}"

    def _mobile(self) -> str:
        return f"1{self.dice.one('3456789')}{self.dice.below(10**9):09d}"

    def _phone_maker(self, city: N.City) -> Callable[[], str]:
        return (lambda: self._landline(city)) if self.dice.random() < 0.7 else self._mobile

    def _address(self, city: N.City, district: str) -> str:
        d = self.dice
        place = f"{city.province}{city.name}市{district}{d.one(N.ROADS)}{d.between(1, 999)}号"
        if d.random() < 0.6:
            floor = d.between(2, 32)
            place += f"{d.one(N.BUILDINGS)}{floor}层{floor}{d.between(1, 20):02d}室"
        return place

    def _uscc(self, prefix: str, division: str) -> str:
        """18 characters: authority+type, division code, organisation code (GB 11714), check digit."""
        while True:
            body = str(10**7 + self.dice.below(9 * 10**7))
            rest = 11 - sum(map(mul, map(int, body), _ORG_WEIGHTS)) % 11
            partial = prefix + division + body + ("X" if rest == 10 else "0" if rest == 11 else str(rest))
            code = partial + _USCC_ALPHABET[-sum(map(mul, map(_USCC_VALUE.__getitem__, partial), _USCC_WEIGHTS)) % 31]
            if code not in self.taken.usccs:
                self.taken.usccs.add(code)
                return code

    # -- key persons and their relations

    def _persons(self, batch: Batch, customer: dict, brand: str) -> list[dict]:
        d, year = self.dice, self.today.year
        count = PERSON_COUNT(d)
        positions = [d.one(N.TOP_POSITIONS), *d.few(N.OTHER_POSITIONS, count - 1)]
        domain = f"{spell(brand)}{d.one(('', 'group', 'tech', 'cn'))}.com"
        landline = customer["phone"] if "-" in customer["phone"] else ""
        names: list[str] = []
        out = []
        for n, (position, role) in enumerate(positions):
            if n == 0 and d.random() < 0.7:  # the boss is usually the legal representative
                name, spelled = customer["legal_representative"], ""
            else:
                name, spelled = person_name(d)
                while name in names:
                    name, spelled = person_name(d)
            names.append(name)
            mobile = self._mobile()
            wechat = "" if d.random() < 0.6 else mobile if d.random() < 0.5 else f"wxid_{d.below(16**8):08x}"
            out.append({
                "id": self._id(), "customer_id": customer["id"], "name": name, "work_unit": customer["name"],
                "position": position, "address": customer["address"],
                "phone": f"{landline}转{d.between(800, 8999)}" if landline and d.random() < 0.6 else "",
                "mobile": mobile, "email": f"{spelled}@{domain}" if spelled and d.random() < 0.5 else "",
                "wechat": wechat, "decision_role": role, "personality": d.one(N.PERSONALITIES),
                "hobbies": "、".join(d.few(N.HOBBIES, d.between(1, 3))), "family": d.one(N.FAMILIES),
                "education": EDUCATION(d),
                "birthday": date.fromordinal(date(year - d.between(28, 62), 1, 1).toordinal() + d.below(365)),
                "id_number": "", "is_key": (role == "decider" and customer["grade"] in ("A", "B"))
                or d.random() < 0.15, "note": "", "created_at": self.now, "updated_at": self.now, "version": 1,
            })
        batch.persons.extend(out)
        return out

    def _relations(self, batch: Batch, customer_id: str | uuid.UUID, persons: list[dict]) -> None:
        d = self.dice
        if len(persons) < 2 or d.random() < 0.55:
            return
        boss, other = persons[0], d.one(persons[1:])
        rows = [("上下级", boss, other, f"{other['position']}向{boss['position']}汇报")]
        if len(persons) > 2 and d.random() < 0.5:
            a, b = d.few(persons, 2)
            relation, notes = d.one(N.RELATIONS)
            rows.append((relation, a, b, d.one(notes)))
        for relation, a, b, note in rows:
            batch.relations.append({"id": self._id(), "customer_id": customer_id, "from_person_id": a["id"],
                                    "to_person_id": b["id"], "relation": relation, "note": note})

    # -- archive sections (合同协议 / 欠款还款 / 投诉折价 / 联络记录)

    def _archive(self, batch: Batch, customer: dict, owner: Person) -> None:
        d = self.dice
        section_of = SECTIONS[customer["status"]]
        for _ in range(d.between(2, 6)):
            section = section_of(d)
            entry = {"id": self._id(), "customer_id": customer["id"], "section": section,
                     "entry_date": self._days_ago(d.below(3 * 365)), "amount": None, "due_date": None,
                     "reference": "", "content": "", "recorded_by": owner.name,
                     "created_at": self.now, "updated_at": self.now, "version": 1}
            self._SECTION_MAKERS[section](self, entry, customer)
            batch.archive.append(entry)

    def _reference(self, prefix: str, day: date) -> str:
        key = (prefix, day.year)
        n = self.ref_counters.get(key, self.ref_start)
        self.ref_counters[key] = n + 1
        return f"{prefix}-{day.year}-{n:04d}"

    def _contract(self, entry: dict, customer: dict) -> None:
        d, day = self.dice, entry["entry_date"]
        if d.random() < 0.7:
            entry |= {"kind": "contract", "subject": d.one(N.CONTRACT_SUBJECTS),
                      "amount": money(d.log_uniform(50_000, 50_000_000), 100),
                      "reference": self._reference("HT", day), "due_date": day + timedelta(days=365),
                      "content": f"付款方式:{d.one(N.PAYMENT_TERMS)}"}
        else:
            subject = d.one(N.AGREEMENT_SUBJECTS)
            entry |= {"kind": "agreement", "subject": subject, "reference": self._reference("XY", day),
                      "amount": None if subject in ("保密协议", "战略合作协议") else
                      money(d.log_uniform(100_000, 20_000_000), 100)}

    def _receivable(self, entry: dict, customer: dict) -> None:
        d, day = self.dice, entry["entry_date"]
        kind = RECEIVABLE_KIND(d)
        entry |= {"kind": kind, "subject": N.RECEIVABLE_SUBJECTS[kind], "recorded_by": d.one(self.org.finance)}
        if kind == "credit_limit":
            entry["amount"] = customer["credit_limit"] or money(50_000 + d.random() * 450_000)
        elif kind == "extension":
            entry |= {"due_date": day + timedelta(days=d.one((30, 60, 90))), "content": "经部长审批同意延期"}
        else:
            entry |= {"amount": money(d.log_uniform(10_000, 3_000_000), 100),
                      "reference": self._reference("SK" if kind == "repayment" else "YS", day)}
            if kind != "repayment":
                entry["due_date"] = day + timedelta(days=d.one((30, 45, 60, 90)))

    def _complaint(self, entry: dict, customer: dict) -> None:
        d, day = self.dice, entry["entry_date"]
        if d.random() < 0.7:
            entry |= {"kind": "complaint", "subject": d.one(N.COMPLAINTS), "content": d.one(N.COMPLAINT_RESULTS)}
            if d.random() < 0.3:
                entry["recorded_by"] = d.one(self.org.front)
        else:
            entry |= {"kind": "concession", "subject": d.one(N.CONCESSIONS),
                      "amount": money(d.log_uniform(5_000, 200_000), 100), "reference": self._reference("ZJ", day)}

    def _contact(self, entry: dict, customer: dict) -> None:
        kind = CONTACT_KIND(self.dice)
        entry |= {"kind": kind, "subject": self.dice.one(N.CONTACT_SUBJECTS[kind])}

    _SECTION_MAKERS = {"contract": _contract, "receivable": _receivable, "complaint": _complaint,
                       "contact": _contact}
