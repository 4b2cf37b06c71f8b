"""The sessions calendar: a week or a month of class sessions, each a link to its roll call.

``/admin/calendar/?week=2026-W48`` shows a Monday-to-Sunday week and
``/admin/calendar/month?month=2026-11`` a month; without a parameter, or with
one that is not a week or month the calendar shows, the page shows the one that
holds today (in the organisation's time zone) and says why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqladmin import Admin, BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from admin_site.request_context import database
from domain.clock import utcnow
from domain.db.database import Database
from domain.rules.calendar import Span, in_calendar_range, month_grid, month_of, week_of
from domain.rules.schedule import local_date
from domain.services.calendar import CalendarSession, sessions_between
from domain.services.settings import load_settings

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_week(raw: str | None) -> date | None:
    """The Monday of an ISO week such as "2026-W48", or None."""
    found = _WEEK.fullmatch((raw or "").strip())
    if found is None:
        return None
    try:
        monday = date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        return None
    return monday if in_calendar_range(monday) else None


def parse_month(raw: str | None) -> date | None:
    """The first day of a month such as "2026-11", or None."""
    found = _MONTH.fullmatch((raw or "").strip())
    if found is None:
        return None
    try:
        first = date(int(found[1]), int(found[2]), 1)
    except ValueError:
        return None
    return first if in_calendar_range(first) else None


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class CalendarPage:
    """What both views show: the days, their sessions, today, and where to go next."""

    span: Span
    today: date
    by_day: dict[date, list[CalendarSession]]


def _calendar(db: Database, pick: date | None, span_of: Callable[[date], Span]) -> CalendarPage:
    now = utcnow()
    with db.read() as session:
        today = local_date(now, load_settings(session).timezone)
        span = span_of(pick or today)
        by_day: dict[date, list[CalendarSession]] = defaultdict(list)
        for meeting in sessions_between(session, span.first, span.last, now=now):
            by_day[meeting.session_date].append(meeting)
        return CalendarPage(span=span, today=today, by_day=dict(by_day))


def _load(db: Database, pick: date | None, monthly: bool) -> CalendarPage:
    return _calendar(db, pick, month_of if monthly else week_of)


class CalendarView(BaseView):
    name = "Calendar"
    icon = "fa-solid fa-calendar-days"
    identity = "calendar"

    @expose("/calendar/", identity="calendar")
    async def week(self, request: Request) -> Response:
        raw = request.query_params.get("week")
        pick = parse_week(raw)
        page = await run_in_threadpool(_load, database(request), pick, False)
        span = page.span
        context = {
            "title": "Calendar",
            "page": page,
            "view": "week",
            "heading": _week_heading(span),
            "days": span.days(),
            "previous": week_key(span.first - timedelta(days=7)),
            "next": week_key(span.first + timedelta(days=7)),
            "shown": week_key(span.first),
            "current": week_key(page.today),
            "other_view": month_key(span.first),
            "ignored": raw if raw and pick is None else None,
        }
        return await self.templates.TemplateResponse(request, "calendar.html", context)

    @expose("/calendar/month", identity="calendar-month")
    async def month(self, request: Request) -> Response:
        raw = request.query_params.get("month")
        pick = parse_month(raw)
        page = await run_in_threadpool(_load, database(request), pick, True)
        span = page.span
        today_in_month = span.first <= page.today <= span.last
        context = {
            "title": "Calendar",
            "page": page,
            "view": "month",
            "heading": f"{span.first:%B %Y}",
            "weeks": month_grid(span),
            "previous": month_key(span.first - timedelta(days=1)),
            "next": month_key(span.last + timedelta(days=1)),
            "shown": month_key(span.first),
            "current": month_key(page.today),
            "other_view": week_key(page.today if today_in_month else span.first),
            "ignored": raw if raw and pick is None else None,
        }
        return await self.templates.TemplateResponse(request, "calendar.html", context)


def _week_heading(span: Span) -> str:
    first, last = span.first, span.last
    if first.year != last.year:
        return f"{first.day} {first:%B %Y} \u2013 {last.day} {last:%B %Y}"
    if first.month != last.month:
        return f"{first.day} {first:%B} \u2013 {last.day} {last:%B %Y}"
    return f"{first.day}\u2013{last.day} {first:%B %Y}"


def register_calendar(admin: Admin) -> None:
    """Add the sessions calendar (called from ``admin_site.pages``)."""
    admin.add_base_view(CalendarView)
