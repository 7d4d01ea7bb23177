"""The calendar itself: month (a grid of days with entries), week and day (hour rows), painted by hand.

One widget for the three views. It keeps the entries, lays them out once per change (`_layout`), paints
only what fits (a month cell shows one line per visit while they fit; a busy day packs the customers' short
names several to a line, and only what still does not fit is "+n more"), marks statutory holidays (休, red)
and make-up working days (班) from `set_day_marks`, and hit-tests the same layout
for clicks, double-clicks and drags. Dragging an entry to another day (month) or day and time (week /
day, 15-minute steps) emits `moved(plan_id, new_start)`; the tab reschedules through the service and
shows its warnings. `move_entry` does the same from code (tests, keyboard).
Times are naive local datetimes in the calendar's time zone.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ui.tr import N_


def _tr(text: str) -> str:
    return QCoreApplication.translate("CalendarView", text)


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
FIRST_HOUR, LAST_HOUR = 7, 21  # the hour rows shown in week and day views
SNAP_MINUTES = 15
HEADER = 24
GUTTER = 46
LINE = 17
COLORS = {"planned": ("#e3efff", "#2f6fd6"), "done": ("#e6f4ea", "#2e7d32"), "cancelled": ("#eeeeee", "#888888")}


@dataclass(frozen=True)
class Entry:
    id: uuid.UUID
    start: datetime  # naive, local
    end: datetime
    title: str  # customer
    detail: str  # rep · purpose
    status: str = "planned"
    movable: bool = True


_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")


def short_name(title: str) -> str:
    """A customer's name without its company suffix (武汉华盛建筑工程有限公司 → 武汉华盛建筑工程), for packed cells."""
    for suffix in _SUFFIXES:
        if title.endswith(suffix) and len(title) > len(suffix) + 1:
            return title[: -len(suffix)]
    return title


def month_grid_start(anchor: date) -> date:
    first = anchor.replace(day=1)
    return first - timedelta(days=first.weekday())


class CalendarView(QWidget):
    moved = Signal(object, object)  # plan id, new start (naive local datetime)
    activated = Signal(object)  # plan id (double-click)
    empty_activated = Signal(object)  # naive local datetime of an empty slot (double-click)
    selected = Signal(object)  # plan id or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mode = "month"
        self.anchor = date.today()
        self.entries: list[Entry] = []
        self.selected_id: uuid.UUID | None = None
        self._rects: list[tuple[QRectF, Entry]] | None = None
        self._more: list[tuple[QRectF, int]] = []
        self._packed: set[uuid.UUID] = set()  # entries drawn by short name only (a busy month cell)
        self.marks: dict[date, tuple[str, bool]] = {}  # day → (holiday name, is a rest day)
        self._press: tuple[Entry, QPointF, datetime] | None = None
        self._drag_target: datetime | None = None
        self.setMouseTracking(False)
        self.setMinimumSize(560, 420)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # ------------------------------------------------------------ what is shown
    def days(self) -> list[date]:
        if self.mode == "month":
            start = month_grid_start(self.anchor)
            return [start + timedelta(days=i) for i in range(42)]
        if self.mode == "week":
            start = self.anchor - timedelta(days=self.anchor.weekday())
            return [start + timedelta(days=i) for i in range(7)]
        return [self.anchor]

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._changed()

    def set_anchor(self, day: date) -> None:
        self.anchor = day
        self._changed()

    def set_entries(self, entries: list[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: (e.start, e.title))
        self._changed()

    def set_day_marks(self, marks: dict[date, tuple[str, bool]]) -> None:
        """Holidays and make-up working days to mark (app.services.workdays.day_marks)."""
        self.marks = dict(marks)
        self.update()

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        return small

    def _changed(self) -> None:
        self._rects = None
        self.update()

    def resizeEvent(self, event) -> None:
        self._rects = None
        super().resizeEvent(event)

    # ------------------------------------------------------------ geometry
    def _columns(self) -> int:
        return 7 if self.mode in ("month", "week") else 1

    def _cell(self, index: int) -> QRectF:
        """Month: the rect of day cell `index` (0..41)."""
        w = (self.width() - 1) / 7
        h = (self.height() - HEADER - 1) / 6
        return QRectF(index % 7 * w, HEADER + index // 7 * h, w, h)

    def _hour_height(self) -> float:
        return (self.height() - HEADER - 9) / (LAST_HOUR - FIRST_HOUR)  # room for the last hour's label

    def _column_rect(self, index: int) -> QRectF:
        w = (self.width() - GUTTER - 1) / self._columns()
        return QRectF(GUTTER + index * w, HEADER, w, self.height() - HEADER - 1)

    def _y_of(self, t: datetime) -> float:
        hours = t.hour + t.minute / 60 - FIRST_HOUR
        return HEADER + max(0.0, min(LAST_HOUR - FIRST_HOUR, hours)) * self._hour_height()

    def _layout(self) -> list[tuple[QRectF, Entry]]:
        if self._rects is not None:
            return self._rects
        rects, self._more, self._packed = [], [], set()
        days = self.days()
        index = {d: i for i, d in enumerate(days)}
        by_day: dict[int, list[Entry]] = {}
        for e in self.entries:
            i = index.get(e.start.date())
            if i is not None:
                by_day.setdefault(i, []).append(e)
        if self.mode == "month":
            metrics = QFontMetrics(self._small_font())
            for i, items in by_day.items():
                cell = self._cell(i)
                room = max(0, int((cell.height() - LINE - 2) // LINE))
                if len(items) <= room:
                    for n, e in enumerate(items):
                        rects.append((QRectF(cell.x() + 2, cell.y() + LINE + 1 + n * LINE, cell.width() - 4,
                                             LINE - 1), e))
                    continue
                placed = self._pack(cell, items, room, metrics)
                if len(placed) < len(items):  # the last line says how many more
                    placed = self._pack(cell, items, room - 1, metrics)
                    self._more.append((QRectF(cell.x() + 2, cell.y() + LINE + 1 + (room - 1) * LINE,
                                              cell.width() - 4, LINE - 1), len(items) - len(placed)))
                rects += placed
                self._packed |= {e.id for _r, e in placed}
        else:
            for i, items in by_day.items():
                col = self._column_rect(i)
                lanes: list[datetime] = []  # end time of the last entry in each lane
                placed = []
                for e in items:
                    lane = next((n for n, end in enumerate(lanes) if end <= e.start), None)
                    if lane is None:
                        lanes.append(e.end)
                        lane = len(lanes) - 1
                    else:
                        lanes[lane] = e.end
                    placed.append((lane, e))
                width = (col.width() - 4) / max(1, len(lanes))
                for lane, e in placed:
                    top, bottom = self._y_of(e.start), self._y_of(min(e.end, datetime.combine(e.start.date(), time.max)))
                    rects.append((QRectF(col.x() + 2 + lane * width, top + 1, width - 2, max(LINE, bottom - top - 2)), e))
        self._rects = rects
        return rects

    def _pack(self, cell: QRectF, items: list[Entry], lines: int, metrics: QFontMetrics) -> list[tuple[QRectF, Entry]]:
        """Short names side by side, line after line, as many as fit in `lines` lines of the cell."""
        out: list[tuple[QRectF, Entry]] = []
        left, right = cell.x() + 2, cell.right() - 2
        x, line = left, 0
        for e in items:
            width = min((right - left) / 2, metrics.horizontalAdvance(short_name(e.title)) + 8)  # two a line at least
            if x + width > right and x > left:
                line, x = line + 1, left
            if line >= lines:
                break
            out.append((QRectF(x, cell.y() + LINE + 1 + line * LINE, width - 1, LINE - 1), e))
            x += width
        return out

    def rect_of(self, plan_id: uuid.UUID) -> QRectF | None:
        return next((r for r, e in self._layout() if e.id == plan_id), None)

    def entry_at(self, pos: QPointF) -> Entry | None:
        for r, e in reversed(self._layout()):
            if r.contains(pos):
                return e
        return None

    def time_at(self, pos: QPointF) -> datetime | None:
        """The day (month: at 09:00) or the day and time (15-minute step) under a point."""
        days = self.days()
        if pos.y() < HEADER:
            return None
        if self.mode == "month":
            for i in range(42):
                if self._cell(i).contains(pos):
                    return datetime.combine(days[i], time(9))
            return None
        for i in range(self._columns()):
            if self._column_rect(i).contains(pos):
                minutes = (pos.y() - HEADER) / self._hour_height() * 60
                minutes = int(minutes // SNAP_MINUTES * SNAP_MINUTES)
                return datetime.combine(days[i], time(FIRST_HOUR)) + timedelta(minutes=minutes)
        return None

    # ------------------------------------------------------------ actions
    def move_entry(self, plan_id: uuid.UUID, new_start: datetime) -> None:
        self.moved.emit(plan_id, new_start)

    def _target(self, entry: Entry, grab: datetime, pos: QPointF) -> datetime | None:
        at = self.time_at(pos)
        if at is None:
            return None
        if self.mode == "month":  # another day, the same time of day
            return datetime.combine(at.date(), entry.start.time())
        return entry.start + (at - grab)

    def mousePressEvent(self, event) -> None:
        pos = event.position()
        entry = self.entry_at(pos)
        self.selected_id = entry.id if entry else None
        self.selected.emit(self.selected_id)
        grab = self.time_at(pos)
        self._press = (entry, pos, grab) if entry and entry.movable and grab else None
        self._drag_target = None
        self.update()

    def mouseMoveEvent(self, event) -> None:
        if self._press is None:
            return
        entry, origin, grab = self._press
        if (event.position() - origin).manhattanLength() < 6 and self._drag_target is None:
            return
        self._drag_target = self._target(entry, grab, event.position())
        self.update()

    def mouseReleaseEvent(self, event) -> None:
        press, self._press = self._press, None
        if press is not None and self._drag_target is None and (event.position() - press[1]).manhattanLength() >= 6:
            self._drag_target = self._target(press[0], press[2], event.position())
        target, self._drag_target = self._drag_target, None
        if press is not None and target is not None and target != press[0].start:
            self.moved.emit(press[0].id, target)
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:
        entry = self.entry_at(event.position())
        if entry is not None:
            self.activated.emit(entry.id)
        elif (at := self.time_at(event.position())) is not None:
            self.empty_activated.emit(at)

    # ------------------------------------------------------------ painting
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        grid = QPen(QColor("#d6d6d6"))
        small = self._small_font()
        days = self.days()
        today = date.today()
        p.setPen(QColor("#555555"))
        if self.mode == "month":
            w = (self.width() - 1) / 7
            for i, name in enumerate(WEEKDAYS):
                p.drawText(QRectF(i * w, 0, w, HEADER), Qt.AlignmentFlag.AlignCenter, _tr(name))
            for i, day in enumerate(days):
                cell = self._cell(i)
                if day.month != self.anchor.month:
                    p.fillRect(cell, QColor("#f6f6f6"))
                mark = self.marks.get(day)
                if mark and mark[1]:
                    p.fillRect(cell, QColor("#fdeeee"))
                if day == today:
                    p.fillRect(cell, QColor("#fff8e1"))
                p.setPen(grid)
                p.drawRect(cell)
                rest = mark[1] if mark else day.weekday() >= 5
                p.setPen(QColor("#b00020") if rest else QColor("#333333"))
                p.drawText(cell.adjusted(4, 1, -4, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                           str(day.day) if day.day != 1 else f"{day.month}/{day.day}")
                if mark:
                    p.setFont(small)
                    p.setPen(QColor("#b00020") if mark[1] else QColor("#1f5fbf"))
                    label = f"{_tr('Off')} {mark[0]}" if mark[1] else _tr("Make-up working day")
                    p.drawText(cell.adjusted(30, 2, -4, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                               QFontMetrics(small).elidedText(label, Qt.TextElideMode.ElideRight, int(cell.width()) - 36))
                    p.setFont(self.font())
        else:
            for i, day in enumerate(days):
                col = self._column_rect(i)
                mark = self.marks.get(day)
                if mark and mark[1]:
                    p.fillRect(col, QColor("#fdeeee"))
                if day == today:
                    p.fillRect(col, QColor("#fff8e1"))
                rest = mark[1] if mark else day.weekday() >= 5
                p.setPen(QColor("#b00020") if rest else QColor("#333333"))
                head = f"{_tr(WEEKDAYS[day.weekday()])} {day.month}-{day.day:02d}"
                if mark:
                    head += f" {mark[0]}" if mark[1] else f" {_tr('Make-up working day')}"
                p.drawText(QRectF(col.x(), 0, col.width(), HEADER), Qt.AlignmentFlag.AlignCenter, head)
            hh = self._hour_height()
            for n in range(LAST_HOUR - FIRST_HOUR + 1):
                y = HEADER + n * hh
                p.setPen(grid)
                p.drawLine(QPointF(GUTTER, y), QPointF(self.width(), y))
                p.setPen(QColor("#777777"))
                p.drawText(QRectF(0, y - 8, GUTTER - 6, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           f"{FIRST_HOUR + n:02d}:00")
            p.setPen(grid)
            for i in range(len(days) + 1):
                x = GUTTER + i * (self.width() - GUTTER - 1) / len(days)
                p.drawLine(QPointF(x, HEADER), QPointF(x, self.height()))
        p.setFont(small)
        metrics = QFontMetrics(small)
        for rect, e in self._layout():
            fill, edge = COLORS.get(e.status, COLORS["planned"])
            p.fillRect(rect, QColor(fill))
            p.setPen(QPen(QColor("#000000") if e.id == self.selected_id else QColor(edge),
                          2 if e.id == self.selected_id else 1))
            p.drawRect(rect)
            p.setPen(QColor("#1a1a1a"))
            text = short_name(e.title) if e.id in self._packed else f"{e.start:%H:%M} {e.title}"
            if self.mode == "month":  # one line, cut with an ellipsis
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()) - 5)
                p.drawText(rect.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
                continue
            if rect.height() >= 2 * LINE:
                text += f"\n{e.detail}"
            p.drawText(rect.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWordWrap, text)
        p.setPen(QColor("#555555"))
        for rect, n in self._more:
            p.drawText(rect.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       _tr("+{n} more").format(n=n))
        if self._press is not None and self._drag_target is not None:
            self._paint_ghost(p, self._press[0], self._drag_target)
        p.end()

    def _paint_ghost(self, p: QPainter, entry: Entry, start: datetime) -> None:
        days = self.days()
        if start.date() not in days:
            return
        i = days.index(start.date())
        if self.mode == "month":
            cell = self._cell(i)
            rect = QRectF(cell.x() + 2, cell.bottom() - LINE - 2, cell.width() - 4, LINE)
        else:
            col = self._column_rect(i)
            top = self._y_of(start)
            rect = QRectF(col.x() + 2, top, col.width() - 4, max(LINE, self._y_of(start + (entry.end - entry.start)) - top))
        p.setPen(QPen(QColor("#2f6fd6"), 1, Qt.PenStyle.DashLine))
        p.fillRect(rect, QColor(47, 111, 214, 60))
        p.drawRect(rect)
        p.drawText(rect.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                   f"{start:%m-%d %H:%M} {entry.title}")
