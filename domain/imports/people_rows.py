"""A sheet's rows decided and written: schools and students.

Each row is checked by the same rules as the staff forms; the writes go into
the caller's transaction, so a preview (rolled back) and an apply (committed)
decide every row alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from domain.db import tables as t
from domain.errors import ValidationError
from domain.imports.columns import Mapping
from domain.imports.reading import SheetRow
from domain.model import School, Student
from domain.rules.contact_details import clean_line, clean_text, normalise_email, split_name

_CHUNK = 500
#: The page's box and the command's flag that let an import change existing rows.
_UPDATE_HINT = "choose “update existing” (--update-existing)"

#: Called once per row decided (a progress bar's step).
Progress = Callable[[], None]


def no_progress() -> None:
    return None


@dataclass
class RowResult:
    line: int
    #: "create", "update" or "skip".
    action: str
    #: Why a row is skipped, or what an update changes.
    reason: str
    #: Who or what the row is about, as staff would say it.
    subject: str
    cells: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportOptions:
    update_existing: bool = False
    #: Registrations: the course every row is for (else the sheet's course column).
    course_id: int | None = None
    #: Registrations: staff may bend capacity and eligibility, with this reason.
    override_reason: str = ""
    send_email: bool = False


def row_values(row: SheetRow, mapping: Mapping) -> dict[str, str]:
    return {
        name: row.cells[index] if index < len(row.cells) else "" for name, index in mapping.items()
    }


def person_fields(values: dict[str, str]) -> dict[str, str]:
    """First and last name, email (lower-cased; "" when none), phone and title, checked."""
    first, last = values.get("first_name", ""), values.get("last_name", "")
    if not first and values.get("name"):
        first, rest = split_name(" ".join(values["name"].split()))
        last = last or rest
    if not first.strip():
        raise ValidationError("Missing name.", field="first_name")
    raw_email = values.get("email", "")
    try:
        email = normalise_email(raw_email) if raw_email else ""
    except ValidationError as exc:
        raise ValidationError(f"Bad email: {exc}", field="email") from exc
    return {
        "first_name": clean_line(first, field="first_name", label="The first name", max_length=100),
        "last_name": clean_line(last, field="last_name", label="The last name", max_length=100),
        "email": email,
        "phone": clean_line(
            values.get("phone", ""), field="phone", label="The phone number", max_length=50
        ),
        "title": clean_line(
            values.get("title", ""), field="title", label="The title", max_length=255
        ),
    }


def describe(fields: dict[str, str]) -> str:
    name = " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)
    return f"{name} <{fields['email']}>" if fields.get("email") else name


def school_ids(session: Session) -> dict[str, int]:
    """Every school by its name without case or extra spaces (schools are few)."""
    rows = session.execute(select(t.schools.c.id, t.schools.c.name)).all()
    return {" ".join(name.split()).casefold(): school_id for school_id, name in rows}


def school_of(values: dict[str, str], schools: dict[str, int]) -> int | None:
    name = " ".join(values.get("school", "").split())
    if not name:
        return None
    if name.casefold() not in schools:
        raise ValidationError(f"Unknown school {name!r}.", field="school")
    return schools[name.casefold()]


def students_by_email(session: Session, emails: Iterable[str]) -> dict[str, Student]:
    found: dict[str, Student] = {}
    for chunk in _chunks(sorted(set(emails) - {""})):
        for student in session.scalars(select(Student).where(t.students.c.email.in_(chunk))):
            if student.email:
                found[student.email] = student
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def import_students(
    session: Session,
    rows: list[SheetRow],
    mapping: Mapping,
    options: ImportOptions,
    *,
    now: datetime,
    progress: Progress = no_progress,
) -> list[RowResult]:
    schools = school_ids(session)
    decided: list[tuple[SheetRow, dict[str, object] | None, str]] = []
    for row in rows:
        progress()
        values = row_values(row, mapping)
        try:
            checked: dict[str, object] = dict(person_fields(values))
            checked["school_id"] = school_of(values, schools)
            checked["notes"] = clean_text(values.get("notes", ""), field="notes", label="Notes")
            decided.append((row, checked, ""))
        except ValidationError as exc:
            decided.append((row, None, str(exc)))
    existing = students_by_email(session, (str(f["email"]) for _, f, _ in decided if f is not None))
    results: list[RowResult] = []
    new_rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for row, fields, refusal in decided:
        if fields is None:
            results.append(RowResult(row.line, "skip", refusal, "", row.cells))
            continue
        subject = describe({k: str(v or "") for k, v in fields.items()})
        email = str(fields["email"])
        if email and email in seen:
            reason = f"Duplicate in the file: row {seen[email]} has the same email."
            results.append(RowResult(row.line, "skip", reason, subject, row.cells))
            continue
        if email:
            seen[email] = row.line
        student = existing.get(email) if email else None
        if student is None:
            stored = {**fields, "email": email or None}
            new_rows.append({**stored, "created_at": now, "updated_at": now})
            results.append(RowResult(row.line, "create", "", subject, row.cells))
            continue
        result = _update_student(student, fields, options, now=now)
        results.append(RowResult(row.line, result[0], result[1], subject, row.cells))
    for start in range(0, len(new_rows), _CHUNK):
        session.execute(insert(t.students), new_rows[start : start + _CHUNK])
    session.flush()
    return results


def _update_student(
    student: Student, fields: dict[str, object], options: ImportOptions, *, now: datetime
) -> tuple[str, str]:
    if not options.update_existing:
        return "skip", f"A student with this email exists; {_UPDATE_HINT} to change them."
    # A blank cell leaves what is stored: an import fills in, it never erases.
    changes = {
        name: value
        for name, value in fields.items()
        if value not in ("", None) and getattr(student, name) != value
    }
    if not changes:
        return "skip", "Already up to date."
    for name, value in changes.items():
        setattr(student, name, value)
    student.updated_at = now
    return "update", "Changes " + ", ".join(name.replace("_", " ") for name in changes) + "."


def import_schools(
    session: Session,
    rows: list[SheetRow],
    mapping: Mapping,
    options: ImportOptions,
    *,
    now: datetime,
    progress: Progress = no_progress,
) -> list[RowResult]:
    existing = {
        " ".join(school.name.split()).casefold(): school
        for school in session.scalars(select(School).order_by(func.lower(t.schools.c.name)))
    }
    seen: dict[str, int] = {}
    results: list[RowResult] = []
    for row in rows:
        progress()
        values = row_values(row, mapping)
        try:
            fields = _school_fields(values)
        except ValidationError as exc:
            results.append(RowResult(row.line, "skip", str(exc), values.get("name", ""), row.cells))
            continue
        key = fields["name"].casefold()
        if key in seen:
            reason = f"Duplicate in the file: row {seen[key]} has the same school."
            results.append(RowResult(row.line, "skip", reason, fields["name"], row.cells))
            continue
        seen[key] = row.line
        school = existing.get(key)
        if school is None:
            session.add(School(**fields, created_at=now, updated_at=now))  # type: ignore[arg-type]
            results.append(RowResult(row.line, "create", "", fields["name"], row.cells))
            continue
        action, reason = _update_school(school, fields, options, now=now)
        results.append(RowResult(row.line, action, reason, fields["name"], row.cells))
    session.flush()
    return results


def _school_fields(values: dict[str, str]) -> dict[str, str]:
    if not values.get("name", "").strip():
        raise ValidationError("Missing name.", field="name")
    email = values.get("contact_email", "")
    try:
        contact_email = normalise_email(email) if email else ""
    except ValidationError as exc:
        raise ValidationError(f"Bad email: {exc}", field="contact_email") from exc
    lines = {
        "name": ("The school's name", 255),
        "location": ("The location", 255),
        "contact_name": ("The contact's name", 255),
        "contact_phone": ("The contact's phone", 50),
    }
    fields = {
        name: clean_line(values.get(name, ""), field=name, label=label, max_length=size)
        for name, (label, size) in lines.items()
    }
    fields["contact_email"] = contact_email
    fields["comments"] = clean_text(values.get("comments", ""), field="comments", label="Comments")
    return fields


def _update_school(
    school: School, fields: dict[str, str], options: ImportOptions, *, now: datetime
) -> tuple[str, str]:
    if not options.update_existing:
        return "skip", f"A school with this name exists; {_UPDATE_HINT} to change it."
    changes = {k: v for k, v in fields.items() if v and getattr(school, k) != v and k != "name"}
    if not changes:
        return "skip", "Already up to date."
    for name, value in changes.items():
        setattr(school, name, value)
    school.updated_at = now
    return "update", "Changes " + ", ".join(name.replace("_", " ") for name in changes) + "."
