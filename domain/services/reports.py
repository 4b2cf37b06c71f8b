"""The figures on the admin dashboard, each from one aggregate query.

Page cost stays flat as tables grow: nothing here loads rows to count them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db import tables as t
from domain.enums import PaymentStatus, PricingType
from domain.services.attendance_stats import participants_trained_total
from domain.services.report_charts import (
    CountPoint,
    MoneyPoint,
    RatePoint,
    attendance_per_week,
    confirmed_revenue_clause,
    revenue_per_month,
    signups_per_week,
)
from domain.services.seats import holds_seat_clause
from domain.services.settings import load_settings

_ZERO = Decimal("0.00")
#: Courses in the "Next courses" table; the fill-rate chart shows up to FILL_CHART_COURSES.
NEXT_COURSES = 5
FILL_CHART_COURSES = 8


@dataclass(frozen=True)
class UpcomingCourse:
    course_id: int
    title: str
    starts_at: datetime
    location: str
    seats_taken: int
    seats: int

    @property
    def fill_percent(self) -> int:
        """How full the course is, 0..100, for the progress bar."""
        if self.seats <= 0:
            return 100
        return min(100, round(100 * self.seats_taken / self.seats))


@dataclass(frozen=True)
class RecentContact:
    contact_id: int
    school_id: int
    school_name: str
    staff_name: str
    contacted_at: datetime
    comment: str


@dataclass(frozen=True)
class RecentRegistration:
    registration_id: int
    student_name: str
    course_title: str
    school_name: str
    payment_status: str
    cancelled: bool
    created_at: datetime


@dataclass(frozen=True)
class Dashboard:
    enrolled_schools: int
    pending_signups: int
    courses_this_month: int
    participants_trained: int
    revenue_confirmed: Decimal
    payments_pending_count: int
    payments_pending_total: Decimal
    upcoming: list[UpcomingCourse]
    #: The next courses to start, for the fill-rate chart (``upcoming`` is its head).
    fill: list[UpcomingCourse]
    signups: list[CountPoint]
    revenue: list[MoneyPoint]
    attendance: list[RatePoint]
    recent_contacts: list[RecentContact]
    recent_registrations: list[RecentRegistration]


def month_bounds(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The first instants of this month and the next, in the studio's time zone."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, 1, tzinfo=zone)
    following = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), following.astimezone(UTC)


def dashboard(session: Session, *, now: datetime | None = None) -> Dashboard:
    """Every figure of the admin home page."""
    now = now or utcnow()
    settings = load_settings(session)
    pending_count, pending_total = _pending_payments(session)
    zone = settings.timezone
    # Times are shown in the studio's time zone, as everywhere else staff read them.
    coming = [
        replace(c, starts_at=_local(c.starts_at, zone))
        for c in upcoming_courses(session, now=now, limit=FILL_CHART_COURSES)
    ]
    return Dashboard(
        enrolled_schools=_count(session, select(func.count()).select_from(t.schools)),
        pending_signups=_pending_signups(session, now),
        courses_this_month=_courses_this_month(session, now, settings.timezone),
        participants_trained=participants_trained_total(
            session, today=_today(now, settings.timezone), settings=settings, now=now
        ),
        revenue_confirmed=_revenue_confirmed(session),
        payments_pending_count=pending_count,
        payments_pending_total=pending_total,
        upcoming=coming[:NEXT_COURSES],
        fill=coming,
        signups=signups_per_week(session, now=now, timezone=zone),
        revenue=revenue_per_month(session, now=now, timezone=zone),
        attendance=attendance_per_week(session, now=now, timezone=zone),
        recent_contacts=[
            replace(c, contacted_at=_local(c.contacted_at, settings.timezone))
            for c in recent_contacts(session)
        ],
        recent_registrations=[
            replace(r, created_at=_local(r.created_at, settings.timezone))
            for r in recent_registrations(session)
        ],
    )


def _local(moment: datetime, timezone: str) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(timezone))
    except (KeyError, ValueError):
        return moment


def _today(now: datetime, timezone: str) -> date:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (KeyError, ValueError):
        return now.date()


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.execute(query).scalar_one() or 0)


def _pending_signups(session: Session, now: datetime) -> int:
    r, c = t.registrations.c, t.courses.c
    query = (
        select(func.count())
        .select_from(t.registrations.join(t.courses, c.id == r.course_id))
        .where(c.starts_at > now, holds_seat_clause(now))
    )
    return _count(session, query)


def _courses_this_month(session: Session, now: datetime, timezone: str) -> int:
    start, end = month_bounds(now, timezone)
    c = t.courses.c
    query = select(func.count()).where(c.starts_at >= start, c.starts_at < end)
    return _count(session, query)


def _revenue_confirmed(session: Session) -> Decimal:
    r = t.registrations.c
    query = select(func.coalesce(func.sum(r.amount_due), 0)).where(confirmed_revenue_clause())
    return _money(session.execute(query).scalar_one())


def _pending_payments(session: Session) -> tuple[int, Decimal]:
    r = t.registrations.c
    query = select(func.count(), func.coalesce(func.sum(r.amount_due), 0)).where(
        r.payment_status == PaymentStatus.PENDING, r.cancelled_at.is_(None)
    )
    count, total = session.execute(query).one()
    return int(count), _money(total)


def _money(value: object) -> Decimal:
    # SUM keeps the Money type, so SQLite's cents come back as a Decimal already.
    amount = Decimal(str(value or 0))
    return amount.quantize(Decimal("0.01"))


def upcoming_courses(
    session: Session, *, now: datetime, limit: int = NEXT_COURSES
) -> list[UpcomingCourse]:
    """The next courses to start, with seats taken and seats (the smallest capacity)."""
    r, c, s = t.registrations.c, t.courses.c, t.course_slots.c
    taken = (
        select(func.count())
        .where(r.course_id == c.id, r.pricing_type != PricingType.DROP_IN, holds_seat_clause(now))
        .scalar_subquery()
    )
    smallest_slot = select(func.min(s.capacity)).where(s.course_id == c.id).scalar_subquery()
    query = (
        select(c.id, c.title, c.starts_at, c.location, c.capacity, taken, smallest_slot)
        .where(c.starts_at >= now)
        .order_by(c.starts_at, c.id)
        .limit(limit)
    )
    rows = session.execute(query).all()
    return [
        UpcomingCourse(
            course_id=row[0],
            title=row[1],
            starts_at=row[2],
            location=row[3],
            seats_taken=int(row[5] or 0),
            seats=min(row[4], row[6]) if row[6] is not None else row[4],
        )
        for row in rows
    ]


def recent_contacts(session: Session, *, limit: int = 10) -> list[RecentContact]:
    log, school, staff = t.contact_logs.c, t.schools.c, t.staff_users.c
    query = (
        select(
            log.id,
            log.school_id,
            school.name,
            staff.full_name,
            staff.username,
            log.contacted_at,
            log.comment,
        )
        .select_from(
            t.contact_logs.join(t.schools, school.id == log.school_id).outerjoin(
                t.staff_users, staff.id == log.staff_user_id
            )
        )
        .order_by(log.contacted_at.desc(), log.id.desc())
        .limit(limit)
    )
    return [
        RecentContact(
            contact_id=row[0],
            school_id=row[1],
            school_name=row[2],
            staff_name=row[3] or row[4] or "",
            contacted_at=row[5],
            comment=row[6],
        )
        for row in session.execute(query).all()
    ]


def recent_registrations(session: Session, *, limit: int = 10) -> list[RecentRegistration]:
    r, st, c, sc = t.registrations.c, t.students.c, t.courses.c, t.schools.c
    query = (
        select(
            r.id,
            st.first_name,
            st.last_name,
            c.title,
            sc.name,
            r.payment_status,
            r.cancelled_at,
            r.created_at,
        )
        .select_from(
            t.registrations.join(t.students, st.id == r.student_id)
            .join(t.courses, c.id == r.course_id)
            .outerjoin(t.schools, sc.id == r.school_id)
        )
        .order_by(r.created_at.desc(), r.id.desc())
        .limit(limit)
    )
    return [
        RecentRegistration(
            registration_id=row[0],
            student_name=f"{row[1]} {row[2]}".strip(),
            course_title=row[3],
            school_name=row[4] or "",
            payment_status=row[5],
            cancelled=row[6] is not None,
            created_at=row[7],
        )
        for row in session.execute(query).all()
    ]
