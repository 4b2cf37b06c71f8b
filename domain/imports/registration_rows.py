"""A sheet's registration rows decided and written through the registration rules.

Each row finds its student by email (or creates them) and registers them by
``register_in_session``, the rules every registration follows (capacity,
eligibility, price); a refused row is undone to its savepoint and reported.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.db import tables as t
from domain.enums import RegistrationSource
from domain.errors import CourseFull, DomainError, NotEligible, ValidationError
from domain.imports.columns import Mapping
from domain.imports.people_rows import (
    ImportOptions,
    Progress,
    RowResult,
    describe,
    no_progress,
    person_fields,
    row_values,
    school_ids,
    school_of,
    students_by_email,
)
from domain.imports.reading import SheetRow
from domain.model import Course, Student
from domain.rules.settings import Settings
from domain.services.registration_core import RegistrationRequest, register_in_session
from domain.services.seats import lock_course


def import_registrations(
    session: Session,
    rows: list[SheetRow],
    mapping: Mapping,
    options: ImportOptions,
    *,
    actor: Actor,
    settings: Settings,
    now: datetime,
    progress: Progress = no_progress,
) -> list[RowResult]:
    titles = {
        " ".join(title.split()).casefold(): course_id
        for course_id, title in session.execute(select(t.courses.c.id, t.courses.c.title))
    }
    known_ids = set(titles.values())
    wanted: list[tuple[SheetRow, dict[str, str], int | None]] = []
    for row in rows:
        values = row_values(row, mapping)
        wanted.append((row, values, _course_id(values, options, titles, known_ids)))
    # Locked in id order, once each, before any seat is counted.
    courses: dict[int, Course] = {
        course_id: lock_course(session, course_id)
        for course_id in sorted({c for _, _, c in wanted if c is not None})
    }
    schools = school_ids(session)
    emails = (v.get("email", "").strip().lower() for _, v, _ in wanted)
    students = students_by_email(session, emails)
    seen: dict[tuple[str, int], int] = {}
    results: list[RowResult] = []
    for row, values, course_id in wanted:
        progress()
        try:
            fields = person_fields(values)
            school_id = school_of(values, schools)
        except ValidationError as exc:
            results.append(RowResult(row.line, "skip", str(exc), "", row.cells))
            continue
        subject = describe(fields)
        reason = _refusal(fields, values, course_id, seen)
        if reason is not None or course_id is None:
            results.append(RowResult(row.line, "skip", reason or "", subject, row.cells))
            continue
        seen[(fields["email"], course_id)] = row.line
        subject += f" — {courses[course_id].title}"
        action, reason = _register(
            session,
            courses[course_id],
            fields,
            school_id,
            students,
            options,
            actor=actor,
            settings=settings,
            now=now,
        )
        results.append(RowResult(row.line, action, reason, subject, row.cells))
    session.flush()
    return results


def _course_id(
    values: dict[str, str],
    options: ImportOptions,
    titles: dict[str, int],
    known_ids: set[int],
) -> int | None:
    if options.course_id is not None:
        return options.course_id if options.course_id in known_ids else None
    raw = " ".join(values.get("course", "").split())
    if raw.isdigit() and int(raw) in known_ids:
        return int(raw)
    return titles.get(raw.casefold())


def _refusal(
    fields: dict[str, str],
    values: dict[str, str],
    course_id: int | None,
    seen: dict[tuple[str, int], int],
) -> str | None:
    if not fields["email"]:
        return "Missing email: a registration's student is found by their email."
    if course_id is None:
        named = values.get("course", "").strip()
        return f"Unknown course {named!r}." if named else "Missing course."
    earlier = seen.get((fields["email"], course_id))
    if earlier is not None:
        return f"Duplicate in the file: row {earlier} registers the same student."
    return None


def _register(
    session: Session,
    course: Course,
    fields: dict[str, str],
    school_id: int | None,
    students: dict[str, Student],
    options: ImportOptions,
    *,
    actor: Actor,
    settings: Settings,
    now: datetime,
) -> tuple[str, str]:
    savepoint = session.begin_nested()
    try:
        student = students.get(fields["email"])
        is_new = student is None
        if student is None:
            student = Student(**fields, school_id=school_id, created_at=now, updated_at=now)  # type: ignore[arg-type]
            session.add(student)
            session.flush()
        outcome = register_in_session(
            session,
            RegistrationRequest(
                course=course,
                student=student,
                source=RegistrationSource.IMPORT,
                school_id=school_id if school_id is not None else student.school_id,
                may_override=bool(options.override_reason),
                override_reason=options.override_reason,
                student_is_new=is_new,
                send_email=options.send_email,
            ),
            actor=actor,
            settings=settings,
            now=now,
        )
    except CourseFull:
        savepoint.rollback()
        return "skip", "Would exceed capacity: the course is full."
    except NotEligible as exc:
        savepoint.rollback()
        return "skip", f"Not eligible: {exc}"
    except DomainError as exc:
        savepoint.rollback()
        return "skip", str(exc)
    if not outcome.created:
        savepoint.rollback()
        return "skip", "Already registered for this course."
    savepoint.commit()
    students[fields["email"]] = student
    return "create", "New student." if is_new else ""
