"""The sessions list: upcoming sessions first, and how far each roll call has got."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from markupsafe import Markup
from sqladmin.pagination import Pagination
from sqlalchemy import ColumnElement, Select, case
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from admin_site.views.listing import ListingMixin
from domain import formatting
from domain.clock import utcnow
from domain.db import tables as t
from domain.rules.schedule import local_date
from domain.services.attendance_roster import SessionMarks, marks_of_sessions
from domain.services.settings import load_settings


class SessionListing(ListingMixin):
    """Upcoming sessions first unless staff sort by a column; a page's marks in one query."""

    async def filtered_statement(self, request: Request) -> Select[Any]:
        # "Upcoming" starts on the studio's today, not the server's.
        request.state.studio_today = await run_in_threadpool(self._studio_today)
        return await super().filtered_statement(request)

    def sort_query(self, stmt: Select[Any], request: Request) -> Select[Any]:
        if request.query_params.get("sortBy"):
            return super().sort_query(stmt, request)
        return stmt.order_by(*upcoming_first(request.state.studio_today), *self.pk_columns)

    def _studio_today(self) -> date:
        with self.session_maker() as session:
            return local_date(utcnow(), load_settings(session).timezone)

    async def list(self, request: Request) -> Pagination:
        page = await super().list(request)
        # The page's marked/expected figures in one grouped query, whatever its size.
        ids = [row.id for row in page.rows]
        request.state.session_marks = await run_in_threadpool(self._marks, ids)
        return page

    def _marks(self, session_ids: Sequence[int]) -> dict[int, SessionMarks]:
        with self.session_maker() as session:
            return marks_of_sessions(session, session_ids)


def upcoming_first(today: date) -> list[ColumnElement[Any]]:
    """ORDER BY terms: sessions on or after ``today`` soonest first, then the past ones,
    latest first."""
    day, start = t.class_sessions.c.session_date, t.class_sessions.c.start_time
    ahead = day >= today
    return [
        case((ahead, 0), else_=1).asc(),
        case((ahead, day)).asc(),
        case((ahead, start)).asc(),
        case((~ahead, day)).desc(),
        case((~ahead, start)).desc(),
    ]


def marked_cell(row: Any, name: str, request: Request) -> Markup | str:
    """'12 of 15' under the "Marked" header (``marks_of_sessions``), a link to the session's
    roll call."""
    marks: dict[int, SessionMarks] = getattr(request.state, "session_marks", {})
    found = marks.get(row.id)
    if found is None:
        return ""
    return Markup('<a class="text-nowrap" href="{}" title="{} of {} marked">{} of {}</a>').format(
        request.url_for("admin:view-rollcall", session_id=row.id).path,
        found.marked,
        found.total,
        found.marked,
        found.total,
    )


def when_cell(row: Any, name: str) -> Markup:
    """'Tue 1 Dec 2026 19:00': the session's day and start; a narrow column breaks it only
    before the year and before the time."""
    day, _, year = formatting.local_date(row.session_date).rpartition(" ")
    start = formatting.clock_time(row.start_time)
    return Markup(" ").join(
        Markup('<span class="text-nowrap">{}</span>').format(part) for part in (day, year, start)
    )
