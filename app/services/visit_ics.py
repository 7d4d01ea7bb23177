"""Export a rep's visit plans to iCalendar (.ics, RFC 5545) for a phone or Outlook calendar.

Written with the `icalendar` package: one VEVENT per plan (UID = the plan's id, so a second import
updates instead of duplicating; SEQUENCE = the plan's version), times with TZID = the calendar's time
zone (setting visits.timezone, Asia/Shanghai) and its VTIMEZONE. Cancelled plans are exported with
STATUS:CANCELLED so the phone removes them. Customers the user may not read appear as 保密客户.
"""
from __future__ import annotations

import uuid
from datetime import date

from icalendar import Calendar, Event

from app.db import Database
from app.domain import visit_rules as R
from app.services import access, visits
from app.services.users import Principal
from models.base import utcnow

PRODID = "-//KeDesk//拜访日历//ZH"


def export_ics(db: Database, *, user: Principal | None, start: date, end: date,
               staff_id: uuid.UUID | None = None) -> bytes:
    plans = visits.list_plans(db, user=user, start=start, end=end, staff_id=staff_id, include_cancelled=True)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "拜访日历" + (f" · {plans[0].staff_name}" if staff_id and plans else ""))
    stamp = utcnow()
    for p in plans:
        ev = Event()
        ev.add("uid", f"{p.id}@kedesk")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", p.starts_at)
        ev.add("dtend", p.ends_at)
        ev.add("sequence", p.version)
        ev.add("summary", f"{R.CONTACT_WAY.label(p.contact_way)}:{p.customer_name}"
                          + (f" — {p.purpose}" if p.purpose else ""))
        if p.place:
            ev.add("location", p.place)
        ev.add("description", "\n".join(x for x in (
            f"客户:{p.customer_name} {p.customer_code}".strip(), f"人员:{p.staff_name} {p.department}".strip(),
            f"目的:{p.purpose}" if p.purpose else "", f"状态:{R.PLAN_STATUS.label(p.status)}") if x))
        ev.add("status", "CANCELLED" if p.status == "cancelled" else "CONFIRMED")
        cal.add_component(ev)
    cal.add_missing_timezones()
    if user is not None:  # the file names customers and leaves the building: logged like every export
        shown = {p.customer_id for p in plans if p.readable}
        access.log_export(db, user, count=len(shown), note=f"拜访日历 {start.isoformat()}–{end.isoformat()}(.ics)")
    return cal.to_ical()
