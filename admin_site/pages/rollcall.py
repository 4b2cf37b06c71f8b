"""Roll call: mark who came to a class session, one tap per student, no page reload.

``/admin/sessions/{id}/rollcall/`` shows a session's roster, grouped by school when
the course has students from schools, with the unpaid ones flagged;
``/admin/sessions/{id}/rollcall/sheet`` is the same roster as a printable sign-in
sheet; ``/admin/courses/{id}/rollcall/`` lists the course's sessions (today marked,
how many marked of how many) or goes straight to a single-session course's one
session. Each tap is a POST that ``rollcall.js`` sends with fetch; without
JavaScript the same forms still work, one page load per tap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, time
from itertools import groupby
from typing import Any, TypeVar

from sqladmin import Admin, BaseView, expose
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from admin_site.request_context import csrf_token, current_actor, database
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import class_sessions
from domain.enums import AttendanceStatus, values
from domain.errors import DomainError, NotFound
from domain.model import ClassSession, Course
from domain.rules.identifiers import parse_id
from domain.rules.schedule import local_date
from domain.services.attendance import mark_all_present, mark_attendance
from domain.services.attendance_roster import (
    RosterLine,
    SessionMarks,
    marks_per_session,
    neighbouring_sessions,
    roster,
)
from domain.services.attendance_stats import session_stats
from domain.services.sessions import generate_sessions
from domain.services.settings import load_settings

T = TypeVar("T")
NO_SCHOOL = "No school"


@dataclass(frozen=True)
class SchoolGroup:
    school_name: str
    lines: list[RosterLine]


def group_by_school(lines: list[RosterLine]) -> list[SchoolGroup]:
    """Schools in name order, students without a school last, names in order within each.

    A course with no one from a school is one group without a heading (``school_name`` "").
    """
    if not any(line.school_name for line in lines):
        return [SchoolGroup(school_name="", lines=lines)] if lines else []

    def key(line: RosterLine) -> tuple[bool, str]:
        return (not line.school_name, (line.school_name or "").lower())

    ordered = sorted(lines, key=lambda line: (key(line), line.student_name.lower()))
    return [
        SchoolGroup(school_name=name or NO_SCHOOL, lines=list(group))
        for (_, name), group in groupby(ordered, key=lambda line: (key(line), line.school_name))
    ]


def _counts(db: Database, session_id: int) -> dict[str, int]:
    with db.read() as s:
        return {k: int(v) for k, v in asdict(session_stats(s, session_id)).items()}


@dataclass(frozen=True)
class Meeting:
    """A session as the roll call page shows it (plain values: the unit of work is over)."""

    id: int
    course_id: int
    course_title: str
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str


def _meeting(meeting: ClassSession, course: Course) -> Meeting:
    assert meeting.id is not None and course.id is not None
    return Meeting(
        id=meeting.id,
        course_id=course.id,
        course_title=course.title,
        session_date=meeting.session_date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        location=meeting.location or course.location,
    )


def _session_page(db: Database, session_id: int) -> dict[str, Any]:
    with db.read() as s:
        meeting = s.get(ClassSession, session_id)
        course = s.get(Course, meeting.course_id) if meeting else None
        if meeting is None or course is None:
            raise HTTPException(status_code=404, detail="No such session.")
        previous, following = neighbouring_sessions(s, session_id)
        return {
            "meeting": _meeting(meeting, course),
            "previous_id": previous,
            "next_id": following,
            "groups": group_by_school(roster(s, session_id)),
            "counts": asdict(session_stats(s, session_id)),
            "statuses": [(value, value.capitalize()) for value in values(AttendanceStatus)],
        }


@dataclass(frozen=True)
class CourseSessions:
    """The session chooser: the course's sessions with how far each roll call has got."""

    title: str
    meetings: list[Meeting]
    marks: dict[int, SessionMarks]
    today: date


def _course_sessions(db: Database, course_id: int) -> CourseSessions:
    with db.read() as s:
        course = s.get(Course, course_id)
        if course is None:
            raise HTTPException(status_code=404, detail="No such course.")
        query = (
            select(ClassSession)
            .where(class_sessions.c.course_id == course_id)
            .order_by(class_sessions.c.session_date, class_sessions.c.start_time)
        )
        return CourseSessions(
            title=course.title,
            meetings=[_meeting(meeting, course) for meeting in s.scalars(query)],
            marks=marks_per_session(s, course_id),
            today=local_date(utcnow(), load_settings(s).timezone),
        )


async def _in_thread(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await run_in_threadpool(func, *args, **kwargs)


def _parse_registration_id(raw: object) -> int:
    registration_id = parse_id(str(raw)) if isinstance(raw, str | int) else None
    if registration_id is None:
        raise DomainError("Choose a student from the roster.")
    return registration_id


def _parse_status(raw: object) -> AttendanceStatus | None:
    text = str(raw or "").strip().lower()
    if not text:
        return None
    if text not in values(AttendanceStatus):
        raise DomainError(f"Unknown attendance status {text!r}: use present, absent or late.")
    return AttendanceStatus(text)


class RollCallView(BaseView):
    name = "Roll call"
    identity = "rollcall"

    def is_visible(self, request: Request) -> bool:
        # Reached from a course or session, not from the menu.
        return False

    @expose("/sessions/{session_id:id}/rollcall/", identity="rollcall")
    async def session_rollcall(self, request: Request) -> Response:
        session_id = request.path_params["session_id"]
        context = await _in_thread(_session_page, database(request), session_id)
        context["csrf_token"] = csrf_token(request)
        return await self.templates.TemplateResponse(request, "rollcall.html", context)

    @expose("/sessions/{session_id:id}/rollcall/sheet", identity="rollcall-sheet")
    async def sign_in_sheet(self, request: Request) -> Response:
        session_id = request.path_params["session_id"]
        context = await _in_thread(_session_page, database(request), session_id)
        # One numbered list in the roll call's order (by school when there are schools).
        context["lines"] = [line for group in context["groups"] for line in group.lines]
        return await self.templates.TemplateResponse(request, "rollcall_sheet.html", context)

    @expose(
        "/sessions/{session_id:id}/rollcall/mark",
        methods=["POST"],
        identity="rollcall-mark",
    )
    async def mark(self, request: Request) -> Response:
        session_id = request.path_params["session_id"]
        wants_json = _wants_json(request)
        try:
            data = await _payload(request)
            registration_id = _parse_registration_id(data.get("registration_id"))
            status = _parse_status(data.get("status"))
        except DomainError as error:
            return _refuse(wants_json, error)
        db, actor = database(request), current_actor(request)
        try:
            await _in_thread(
                mark_attendance,
                db,
                session_id=session_id,
                marks={registration_id: status},
                actor=actor,
            )
        except DomainError as error:
            return _refuse(wants_json, error)
        if not wants_json:
            return _back(request, session_id, f"#student-{registration_id}")
        counts = await _in_thread(_counts, db, session_id)
        return JSONResponse(
            {
                "registration_id": registration_id,
                "status": status.value if status else None,
                "counts": counts,
            }
        )

    @expose(
        "/sessions/{session_id:id}/rollcall/all-present",
        methods=["POST"],
        identity="rollcall-all-present",
    )
    async def all_present(self, request: Request) -> Response:
        session_id = request.path_params["session_id"]
        wants_json = _wants_json(request)
        db, actor = database(request), current_actor(request)
        try:
            changed = await _in_thread(mark_all_present, db, session_id=session_id, actor=actor)
        except DomainError as error:
            return _refuse(wants_json, error)
        if not wants_json:
            return _back(request, session_id, "")
        page = await _in_thread(_session_page, db, session_id)
        statuses = {
            str(line.registration_id): line.status for g in page["groups"] for line in g.lines
        }
        return JSONResponse({"changed": changed, "statuses": statuses, "counts": page["counts"]})

    @expose(
        "/courses/{course_id:id}/rollcall/",
        methods=["GET", "POST"],
        identity="rollcall-course",
    )
    async def course_rollcall(self, request: Request) -> Response:
        course_id = request.path_params["course_id"]
        db = database(request)
        error = ""
        if request.method == "POST":
            # Creating the sessions is a change, so it waits for an explicit POST.
            try:
                await _in_thread(
                    generate_sessions, db, course_id=course_id, actor=current_actor(request)
                )
            except DomainError as exc:
                error = str(exc)
        chooser = await _in_thread(_course_sessions, db, course_id)
        if len(chooser.meetings) == 1 and not error:
            url = request.url_for("admin:view-rollcall", session_id=chooser.meetings[0].id)
            return RedirectResponse(url, status_code=303)
        context = {
            "course_id": course_id,
            "chooser": chooser,
            "error": error,
            "csrf_token": csrf_token(request),
        }
        return await self.templates.TemplateResponse(
            request, "rollcall_course.html", context, status_code=400 if error else 200
        )


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("content-type", "") or (
        "application/json" in request.headers.get("accept", "")
    )


async def _payload(request: Request) -> dict[str, Any]:
    if "application/json" in request.headers.get("content-type", ""):
        try:
            data = await request.json()
        except ValueError as error:
            raise DomainError("The request was not valid JSON.") from error
        if not isinstance(data, dict):
            raise DomainError("The request must be a JSON object.")
        return data
    form = await request.form()
    return {key: form.get(key) for key in ("registration_id", "status")}


def _refuse(wants_json: bool, error: Exception) -> Response:
    message = str(error)
    status = 404 if isinstance(error, NotFound) else 400
    if wants_json:
        return JSONResponse({"error": message}, status_code=status)
    return Response(message, status_code=status, media_type="text/plain")


def _back(request: Request, session_id: int, anchor: str) -> Response:
    url = str(request.url_for("admin:view-rollcall", session_id=session_id)) + anchor
    return RedirectResponse(url, status_code=303)


def register_rollcall(admin: Admin) -> None:
    """Add the roll call pages to ``admin`` (called from ``admin_site.pages``)."""
    admin.add_base_view(RollCallView)
