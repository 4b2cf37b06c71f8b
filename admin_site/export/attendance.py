"""The attendance sheet of one course: a row per registration, a column per session."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from admin_site.export.workbook import export_filename, studio_zone, write_workbook
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import AttendanceStatus
from domain.errors import NotFound
from domain.formatting import label
from domain.model import ClassSession, Course, Registration

FIXED_HEADERS = ["Student", "Email", "School", "Payment", "Cancelled"]
TOTAL_HEADERS = ["Present", "Late", "Absent"]


def attendance_sheet(session: Session, course_id: int) -> tuple[str, list[str], list[list[Any]]]:
    """(sheet title, headers, rows): each cell holds Present / Absent / Late or is empty."""
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound(f"Course #{course_id} does not exist.")
    cs, r, a = t.class_sessions.c, t.registrations.c, t.attendance.c
    sessions = session.scalars(
        select(ClassSession)
        .where(cs.course_id == course_id)
        .order_by(cs.session_date, cs.start_time, cs.id)
    ).all()
    # The entities are plain classes mapped imperatively: to mypy, Registration.student
    # is a Student, not the relationship a loader option needs.
    student, school = cast(Any, Registration).student, cast(Any, Registration).school
    registrations = session.scalars(
        select(Registration)
        .where(r.course_id == course_id)
        .options(selectinload(student), selectinload(school))
        .order_by(r.id)
    ).all()
    marks = {
        (registration_id, session_id): status
        for registration_id, session_id, status in session.execute(
            select(a.registration_id, a.session_id, a.status)
            .join(t.class_sessions, cs.id == a.session_id)
            .where(cs.course_id == course_id)
        )
    }
    headers = [*FIXED_HEADERS, *(_session_header(s) for s in sessions), *TOTAL_HEADERS]
    rows = []
    for registration in sorted(registrations, key=_by_name):
        student = registration.student
        cells = [marks.get((registration.id, s.id)) for s in sessions]
        rows.append(
            [
                student.full_name if student else "",
                student.email if student else "",
                registration.school.name if registration.school else "",
                label(registration.payment_status),
                registration.cancelled_at,
                *(label(cell) if cell else None for cell in cells),
                cells.count(AttendanceStatus.PRESENT),
                cells.count(AttendanceStatus.LATE),
                cells.count(AttendanceStatus.ABSENT),
            ]
        )
    return f"Attendance {course.title}", headers, rows


def write_attendance_workbook(db: Database, course_id: int) -> tuple[str, str]:
    """Write the course's attendance sheet to a temporary file: (path, file name).

    The file is named for what it holds: "Attendance - Salsa - 2026-11-29.xlsx".
    """
    with db.read() as session:
        title, headers, rows = attendance_sheet(session, course_id)
        zone = studio_zone(session)
        course = session.get(Course, course_id)
        course_title = course.title if course is not None else ""
    path = write_workbook([(title, headers, rows)], zone=zone)
    return path, export_filename("Attendance", course_title, day=datetime.now(zone).date())


def _session_header(class_session: ClassSession) -> str:
    start = f" {class_session.start_time:%H:%M}" if class_session.start_time else ""
    return f"{class_session.session_date:%Y-%m-%d}{start}"


def _by_name(registration: Registration) -> tuple[str, str, int]:
    student = registration.student
    if student is None:
        return ("", "", registration.id or 0)
    return (student.last_name.lower(), student.first_name.lower(), registration.id or 0)
