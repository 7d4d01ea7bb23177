"""Rules of the visit calendar (拜访日历, DOMAIN.md §4 and §3), pure: no Qt, no database.

- Frequency by grade: the longest gap between two contacts is a setting per grade
  (`visits.interval_days.A` … `.E`; A = 90 days, the regulation's "A级客户至少每季度电话或拜访一次";
  0 means no minimum). A customer never contacted is overdue at once.
- Rotation (巡回访问): customers nobody contacted in the current calendar quarter.
- The monthly market report is due on the first Monday (setting `visits.market_report_weekday`) of
  each month.
- Greetings: key persons' birthdays (29 February falls on 28 February in other years) and the holiday
  list (setting `visits.holidays`) within `visits.greeting_days`.
- Warnings for a plan: it falls in one of the customer's unsuitable times (不宜拜访时间) or on a holiday.
  Plans are warned about, never refused.

Unsuitable times are free text on the card. `parse_unsuitable` reads, segment by segment (separated by
，,;；、/ or spaces):
  weekdays      周一 … 周日, 星期X, 礼拜X, 周末 (Sat–Sun), 工作日 (Mon–Fri), ranges 周一至周三 / 周一到周三 /
                周一-周三, lists 周一周三;
  parts of day  上午 08:00–12:00, 中午 12:00–14:00, 下午 14:00–18:00, 晚上 18:00–22:00, 全天;
  clock times   12:00-14:00, 12:00–14:00, 12:00至14:00, 9点-11点, 9:30~11;
  month days    月初 (1st–5th), 月底 / 月末 (the last 5 days of the month), 每月25日 / 25号.
A segment with a weekday but no time covers the whole day; a time without weekday is every day. What it
cannot read is returned as not understood, so the card can say so.
"""
from __future__ import annotations

import calendar
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.domain.vocab import ARCHIVE_KIND, Term, Vocabulary

CONTACT_WAY = ARCHIVE_KIND["contact"]  # 上门拜访 / 电话 / 信函 / 传真 / 邮件 — the archive's contact kinds
PLAN_STATUS = Vocabulary(
    Term("planned", "计划中", "Planned"),
    Term("done", "已完成", "Done"),
    Term("cancelled", "已取消", "Cancelled"),
)
GRADED = ("A", "B", "C", "D", "E")

# ------------------------------------------------------------------ frequency and rotation


def interval_days(grade: str, rules: dict) -> int:
    """The longest allowed gap in days for a grade; 0 = no minimum (ungraded customers have none)."""
    return int(rules.get(f"visits.interval_days.{grade}", 0) or 0) if grade in GRADED else 0


@dataclass(frozen=True)
class FrequencyDue:
    customer_id: uuid.UUID
    grade: str
    last_contact: date | None
    due_on: date | None  # None: never contacted, due at once
    days_overdue: int | None  # None: never contacted


def overdue(customers: Iterable[tuple[uuid.UUID, str, date | None]], today: date, rules: dict) -> list[FrequencyDue]:
    """(customer id, grade, last contact date) → the overdue ones, never contacted first, then most overdue."""
    out = []
    for cid, grade, last in customers:
        days = interval_days(grade, rules)
        if days <= 0:
            continue
        if last is None:
            out.append(FrequencyDue(cid, grade, None, None, None))
            continue
        due = last + timedelta(days=days)
        if due < today:
            out.append(FrequencyDue(cid, grade, last, due, (today - due).days))
    return sorted(out, key=lambda f: (f.days_overdue is not None, -(f.days_overdue or 0), f.grade))


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    month = start.month + 2
    return date(start.year, month, calendar.monthrange(start.year, month)[1])


def rotation(customers: Iterable[tuple[uuid.UUID, date | None]], today: date) -> list[uuid.UUID]:
    """巡回访问: the customers with no contact since the start of this quarter, longest unseen first."""
    start = quarter_start(today)
    rows = [(cid, last) for cid, last in customers if last is None or last < start]
    rows.sort(key=lambda r: (r[1] is not None, r[1] or date.min))
    return [cid for cid, _ in rows]


# ------------------------------------------------------------------ the monthly market report


def first_weekday(year: int, month: int, iso_weekday: int = 1) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(iso_weekday - first.isoweekday()) % 7)


def market_report_due(today: date, iso_weekday: int = 1, calendar=None) -> date:
    """The next due day of the monthly market report: the first Monday of this month, or of the next — moved
    to the next working day when that Monday is a holiday (with a working-day calendar, app.domain.workdays)."""
    def due_in(year: int, month: int) -> date:
        day = first_weekday(year, month, iso_weekday)
        return calendar.next_working_day(day) if calendar is not None else day

    due = due_in(today.year, today.month)
    if due >= today:
        return due
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return due_in(year, month)


# ------------------------------------------------------------------ birthdays and holidays


@dataclass(frozen=True)
class Holiday:
    month: int
    day: int
    name: str
    year: int | None = None  # None: every year


_HOLIDAY = re.compile(r"(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?\s*(.+)")


def parse_holidays(text: str) -> tuple[list[Holiday], list[str]]:
    """'01-01 元旦; 2026-02-17 春节' → holidays, and the parts that are not such an entry."""
    out, bad = [], []
    for part in re.split(r"[;；\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = _HOLIDAY.fullmatch(part)
        try:
            if not m:
                raise ValueError(part)
            year = int(m.group(1)) if m.group(1) else None
            month, day = int(m.group(2)), int(m.group(3))
            date(year or 2000, month, day)  # 2000: a leap year, so 02-29 is a valid yearly date
            out.append(Holiday(month, day, m.group(4).strip(), year))
        except ValueError:
            bad.append(part)
    return out, bad


def _occurs(month: int, day: int, year: int) -> date:
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def holidays_on(holidays: Iterable[Holiday], day: date) -> list[str]:
    return [h.name for h in holidays if (h.year in (None, day.year)) and _occurs(h.month, h.day, day.year) == day]


def holidays_within(holidays: Iterable[Holiday], today: date, days: int) -> list[tuple[date, str]]:
    """The holidays from today to today + days, in date order."""
    last = today + timedelta(days=days)
    out = set()
    for h in holidays:
        for year in {today.year, last.year}:
            if h.year not in (None, year):
                continue
            when = _occurs(h.month, h.day, year)
            if today <= when <= last:
                out.add((when, h.name))
    return sorted(out)


def next_birthday(birthday: date, today: date) -> date:
    when = _occurs(birthday.month, birthday.day, today.year)
    return when if when >= today else _occurs(birthday.month, birthday.day, today.year + 1)


def birthdays_within(persons: Iterable[tuple[uuid.UUID, date | None]], today: date,
                     days: int) -> list[tuple[uuid.UUID, date, int]]:
    """(person id, birthday) → (id, the coming birthday, the age then) within `days`, soonest first."""
    out = []
    for pid, born in persons:
        if born is None:
            continue
        when = next_birthday(born, today)
        if (when - today).days <= days:
            out.append((pid, when, when.year - born.year))
    return sorted(out, key=lambda r: (r[1], str(r[0])))


# ------------------------------------------------------------------ unsuitable times (不宜拜访时间)

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": -1}
_PART_OF_DAY = {"上午": (time(8), time(12)), "中午": (time(12), time(14)), "午休": (time(12), time(14)),
                "下午": (time(14), time(18)), "晚上": (time(18), time(22)), "晚间": (time(18), time(22)),
                "早上": (time(7), time(9)), "全天": (time.min, time.max)}
_DAY_NAME = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天末])")
_DAY_RANGE = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天])\s*(?:至|到|-|–|~)\s*(?:周|星期|礼拜)?([一二三四五六日天])")
_CLOCK = r"(\d{1,2})(?:[:：点](\d{2})?分?)?"
_TIME_RANGE = re.compile(_CLOCK + r"\s*(?:-|–|—|~|至|到)\s*" + _CLOCK)
_MONTH_DAY = re.compile(r"(?:每月)?(\d{1,2})[日号]")
_MONTH_DAYS = re.compile(r"每月\s*(\d{1,2})\s*[-–—~至到]\s*(\d{1,2})\s*[日号]")
_SPLIT = re.compile(r"[,，;；、/\s]+")


@dataclass(frozen=True)
class Unsuitable:
    text: str  # the segment as typed, shown in the warning
    weekdays: frozenset[int] | None = None  # 0 = Monday; None: every day
    times: tuple[tuple[time, time], ...] = ()  # empty: the whole day
    month_days: frozenset[int] | None = None  # 1..31; -1..-10 count from the month's end
    months: frozenset[int] | None = None  # 1..12; None: every month (季度末, 年底)

    @property
    def day_bound(self) -> bool:
        """Tied to certain days (a weekday, days of the month), not only to hours of every day."""
        return self.weekdays is not None or self.month_days is not None


def _clock(h: str, m: str | None) -> time | None:
    hour, minute = int(h), int(m or 0)
    if hour == 24 and minute == 0:
        return time.max
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _segment(seg: str) -> Unsuitable | None:
    rest, weekdays, times, month_days, months = seg, set(), [], set(), set()
    for m in _DAY_RANGE.finditer(seg):
        a, b = _WEEKDAY[m.group(1)], _WEEKDAY[m.group(2)]
        weekdays |= set(range(a, b + 1)) if a <= b else set(range(a, 7)) | set(range(0, b + 1))
    rest = _DAY_RANGE.sub(" ", rest)
    for m in _DAY_NAME.finditer(rest):
        weekdays |= {5, 6} if _WEEKDAY[m.group(1)] == -1 else {_WEEKDAY[m.group(1)]}
    rest = _DAY_NAME.sub(" ", rest)
    if "工作日" in rest:
        weekdays |= {0, 1, 2, 3, 4}
        rest = rest.replace("工作日", " ")
    # 每月1-5日 before the clock ranges, which would read 1-5 as one to five o'clock
    for m in _MONTH_DAYS.finditer(rest):
        a, b = int(m.group(1)), int(m.group(2))
        if 1 <= a <= b <= 31:
            month_days |= set(range(a, b + 1))
    rest = _MONTH_DAYS.sub(" ", rest)
    for m in _TIME_RANGE.finditer(rest):
        start, end = _clock(m.group(1), m.group(2)), _clock(m.group(3), m.group(4))
        if start is None or end is None or end <= start:
            return None
        times.append((start, end))
    rest = _TIME_RANGE.sub(" ", rest)
    for word, span in _PART_OF_DAY.items():
        if word in rest:
            times.append(span)
            rest = rest.replace(word, " ")
    for word in ("季度末", "季末"):  # the last 10 days of March, June, September, December
        if word in rest:
            months |= {3, 6, 9, 12}
            month_days |= set(range(-10, 0))
            rest = rest.replace(word, " ")
    for word in ("年底", "年末"):  # from 20 December
        if word in rest:
            months |= {12}
            month_days |= set(range(20, 32))
            rest = rest.replace(word, " ")
    if "月初" in rest:
        month_days |= {1, 2, 3, 4, 5}
        rest = rest.replace("月初", " ")
    for word in ("月底", "月末"):
        if word in rest:
            month_days |= {-1, -2, -3, -4, -5}
            rest = rest.replace(word, " ")
    for m in _MONTH_DAY.finditer(rest):
        if 1 <= int(m.group(1)) <= 31:
            month_days.add(int(m.group(1)))
    rest = _MONTH_DAY.sub(" ", rest)
    if not (weekdays or times or month_days):
        return None  # nothing of a time in it ("看心情"): the card shows it as not understood
    # words besides the times ("休息", "财务关账") describe them: shown with the warning, not a reason to drop it
    return Unsuitable(seg, frozenset(weekdays) or None, tuple(times), frozenset(month_days) or None,
                      frozenset(months) or None)


def parse_unsuitable(text: str) -> tuple[list[Unsuitable], list[str]]:
    """The card's 不宜拜访时间 → the rules read, and the segments not understood (for the card to show)."""
    rules, unknown = [], []
    # keep "周一 上午" together: a space between a weekday and its time belongs to one segment
    normalised = re.sub(r"([一二三四五六日天末])\s+(?=[上中下晚早全\d])", r"\1", text or "")
    normalised = re.sub(r"\s*([-–—~至到])\s*", r"\1", normalised)  # "9:00 - 11:00" is one range
    for seg in _SPLIT.split(normalised):
        if not seg:
            continue
        rule = _segment(seg)
        (rules.append(rule) if rule else unknown.append(seg))
    return rules, unknown


def falls_on(rule: Unsuitable, day: date) -> bool:
    """Whether the rule applies on that day (its hours, if any, not considered)."""
    if rule.weekdays is not None and day.weekday() not in rule.weekdays:
        return False
    if rule.months is not None and day.month not in rule.months:
        return False
    if rule.month_days is not None:
        last = calendar.monthrange(day.year, day.month)[1]
        if day.day not in rule.month_days and (day.day - last - 1) not in rule.month_days:
            return False
    return True


def unsuitable_hits(rules: Iterable[Unsuitable], start: datetime, end: datetime) -> list[str]:
    """The segments a plan from start to end (local times, same tz) falls in."""
    out = []
    for rule in rules:
        day = start.date()
        while day <= end.date():
            if falls_on(rule, day):
                if not rule.times:
                    out.append(rule.text)
                    break
                day_start = datetime.combine(day, time.min, start.tzinfo)
                lo = max(start, day_start)
                hi = min(end, day_start + timedelta(days=1))
                if any(lo < datetime.combine(day, b, start.tzinfo) and datetime.combine(day, a, start.tzinfo) < hi
                       for a, b in rule.times):
                    out.append(rule.text)
                    break
            day += timedelta(days=1)
    return out


def plan_warnings(*, start: datetime, end: datetime, unsuitable_text: str, holidays: Iterable[Holiday],
                  customer_name: str = "") -> list[str]:
    """Chinese warnings for a plan at start–end (local times); empty when nothing is wrong."""
    out = []
    rules, _unknown = parse_unsuitable(unsuitable_text)
    hits = unsuitable_hits(rules, start, end)
    if hits:
        who = f"“{customer_name}”" if customer_name else "客户"
        out.append(f"{who}不宜拜访时间:{'、'.join(hits)}")
    holidays = list(holidays)
    day = start.date()
    while day <= end.date():
        for name in holidays_on(holidays, day):
            out.append(f"{day.isoformat()} 是节日({name})")
        day += timedelta(days=1)
    return out


def validate_plan(fields: dict) -> dict[str, str]:
    """In-place messages for a plan: customer, staff, start before end, a known contact way."""
    errors = {}
    if not fields.get("customer_id"):
        errors["customer_id"] = "请选择客户"
    if not fields.get("staff_id"):
        errors["staff_id"] = "请选择拜访人员"
    start, end = fields.get("starts_at"), fields.get("ends_at")
    if not isinstance(start, datetime):
        errors["starts_at"] = "请填写开始时间,例如 2026-11-25 09:30"
    if not isinstance(end, datetime):
        errors["ends_at"] = "请填写结束时间,例如 2026-11-25 10:30"
    elif isinstance(start, datetime) and end <= start:
        errors["ends_at"] = "结束时间应晚于开始时间"
    if fields.get("contact_way", "visit") not in CONTACT_WAY:
        errors["contact_way"] = "请选择联络方式"
    if len(fields.get("purpose") or "") > 200:
        errors["purpose"] = "目的最多200字"
    if len(fields.get("place") or "") > 200:
        errors["place"] = "地点最多200字"
    return errors


_DT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(?:(\d{1,2})[:：点](\d{2})?分?)?")


def parse_local_datetime(text: str) -> datetime | None:
    """'2026-11-25 09:30' (or 2026/11/25 9:30, 2026年11月25日9点) → a naive local datetime; '' → None."""
    raw = (text or "").strip()
    if not raw:
        return None
    m = _DT.fullmatch(raw)
    if not m:
        raise ValueError(raw)
    return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4) or 0), int(m.group(5) or 0))
