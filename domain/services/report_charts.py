"""The series behind the dashboard's charts, each from one aggregate query.

Periods are weeks (Monday to Sunday) and months in the studio's time zone. Their
edges are computed here and every period becomes one ``SUM(CASE ...)`` column of
a single-row query, so that a chart costs one statement on SQLite and PostgreSQL
alike, whatever the table size, and no row is loaded to be counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from domain.db import tables as t
from domain.enums import PaymentStatus
from domain.rules.attendance import ATTENDED_STATUSES

#: Weeks shown by the weekly charts, this week included.
WEEKS = 12
#: Months shown by the revenue chart, this month included.
MONTHS = 12


@dataclass(frozen=True)
class Period:
    """A week or a month: its first day (local) and the instants that bound it (UTC)."""

    first_day: date
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class CountPoint:
    period: Period
    count: int


@dataclass(frozen=True)
class MoneyPoint:
    period: Period
    amount: Decimal


@dataclass(frozen=True)
class RatePoint:
    """Sessions' marks in a week: attended (present or late) out of marked."""

    period: Period
    attended: int
    marked: int

    @property
    def percent(self) -> int | None:
        """Whole percent attended, or None for a week with no mark."""
        if self.marked == 0:
            return None
        return round(100 * self.attended / self.marked)


def confirmed_revenue_clause() -> ColumnElement[bool]:
    """Registrations whose payment counts as revenue: completed and not refunded."""
    r = t.registrations.c
    return and_(r.payment_status == PaymentStatus.COMPLETED, r.refunded_at.is_(None))


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _instant(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def recent_weeks(now: datetime, timezone: str, count: int = WEEKS) -> list[Period]:
    """The last ``count`` weeks, oldest first, ending with the one holding ``now``."""
    zone = _zone(timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    firsts = [monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]
    return [
        Period(day, _instant(day, zone), _instant(day + timedelta(weeks=1), zone)) for day in firsts
    ]


def recent_months(now: datetime, timezone: str, count: int = MONTHS) -> list[Period]:
    """The last ``count`` months, oldest first, ending with the one holding ``now``."""
    zone = _zone(timezone)
    today = now.astimezone(zone).date()
    index = today.year * 12 + today.month - 1
    firsts = [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 2)]
    return [
        Period(first, _instant(first, zone), _instant(following, zone))
        for first, following in pairwise(firsts)
    ]


def _in(column: Any, low: Any, high: Any) -> ColumnElement[bool]:
    return and_(column >= low, column < high)


def _sums(
    session: Session,
    column: Any,
    bounds: Sequence[tuple[Any, Any]],
    value: Any,
    where: Sequence[ColumnElement[bool]],
) -> list[Any]:
    """One SUM per period of ``value`` over rows whose ``column`` falls in it."""
    columns = [
        func.coalesce(func.sum(case((_in(column, low, high), value), else_=0)), 0)
        for low, high in bounds
    ]
    query = select(*columns).where(_in(column, bounds[0][0], bounds[-1][1]), *where)
    return list(session.execute(query).one())


def signups_per_week(session: Session, *, now: datetime, timezone: str) -> list[CountPoint]:
    """Registrations made each week (cancelled later or not: they were sign-ups)."""
    weeks = recent_weeks(now, timezone)
    column = t.registrations.c.created_at
    totals = _sums(session, column, [(w.starts, w.ends) for w in weeks], 1, [])
    return [CountPoint(week, int(total)) for week, total in zip(weeks, totals, strict=True)]


def revenue_per_month(session: Session, *, now: datetime, timezone: str) -> list[MoneyPoint]:
    """Money of the payments confirmed each month and not refunded since."""
    months = recent_months(now, timezone)
    r = t.registrations.c
    bounds = [(m.starts, m.ends) for m in months]
    totals = _sums(
        session, r.payment_confirmed_at, bounds, r.amount_due, [confirmed_revenue_clause()]
    )
    return [
        MoneyPoint(month, Decimal(str(total or 0)).quantize(Decimal("0.01")))
        for month, total in zip(months, totals, strict=True)
    ]


def attendance_per_week(session: Session, *, now: datetime, timezone: str) -> list[RatePoint]:
    """Of the marks taken at each week's sessions, how many were present or late.

    Sessions are placed by their date, which is already a local date; weeks still
    to come hold no mark yet and show as empty.
    """
    weeks = recent_weeks(now, timezone)
    a, cs = t.attendance.c, t.class_sessions.c
    day = cs.session_date
    bounds = [(w.first_day, w.first_day + timedelta(weeks=1)) for w in weeks]
    attended = case((a.status.in_(ATTENDED_STATUSES), 1), else_=0)
    columns = [
        func.coalesce(func.sum(case((_in(day, low, high), value), else_=0)), 0)
        for low, high in bounds
        for value in (attended, 1)
    ]
    query = (
        select(*columns)
        .select_from(t.attendance.join(t.class_sessions, cs.id == a.session_id))
        .where(_in(day, bounds[0][0], bounds[-1][1]))
    )
    row = list(session.execute(query).one())
    return [RatePoint(week, int(row[2 * n]), int(row[2 * n + 1])) for n, week in enumerate(weeks)]
