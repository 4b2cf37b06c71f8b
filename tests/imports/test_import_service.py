"""An import previews each row, then applies exactly what it previewed, all or nothing."""

from __future__ import annotations

from unittest import mock

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.audit_sentences import audit_sentence
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import RegistrationSource
from domain.imports.columns import ImportKind
from domain.imports.people_rows import ImportOptions
from domain.imports.reading import read_sheet
from domain.imports.service import apply_import, preview_import, skipped_rows_csv
from domain.model import AuditEntry
from tests.factories import staff_actor
from tests.imports.sheets import MESSY_STUDENTS, csv_bytes, xlsx_bytes
from tests.integration.r_factories import NOW, add_course, add_student, row_count


def _decisions(report: object) -> list[tuple[int, str, str]]:
    return [(r.line, r.action, r.reason) for r in report.rows]  # type: ignore[attr-defined]


def test_a_messy_sheet_previews_each_row_and_applies_as_previewed(db: Database) -> None:
    actor = staff_actor(db)
    sheet = read_sheet("roster.xlsx", xlsx_bytes(MESSY_STUDENTS))  # type: ignore[arg-type]
    preview = preview_import(db, ImportKind.STUDENTS, sheet, actor=actor)
    assert row_count(db, "students") == 0
    assert [(line, action) for line, action, _ in _decisions(preview)] == [
        (2, "create"),
        (4, "create"),
        (5, "skip"),
        (6, "create"),
        (7, "skip"),
        (8, "skip"),
    ]
    reasons = {line: reason for line, _, reason in _decisions(preview)}
    assert reasons[5] == "Duplicate in the file: row 4 has the same email."
    assert reasons[7].startswith("Bad email:")
    assert reasons[8] == "Missing name."

    applied = apply_import(db, ImportKind.STUDENTS, sheet, actor=actor, filename="roster.xlsx")
    assert _decisions(applied) == _decisions(preview)
    with db.read() as s:
        stored = s.execute(
            select(
                t.students.c.first_name,
                t.students.c.last_name,
                t.students.c.email,
                t.students.c.notes,
            ).order_by(t.students.c.id)
        ).all()
        entries = s.execute(select(t.audit_entries.c.action, t.audit_entries.c.changes)).all()
    assert [tuple(r) for r in stored] == [
        ("Ana", "Lopez", "ana.lopez@example.org", "joined 03/04/2026"),
        ("Ben", "Okafor", "ben@example.org", ""),
        ('=HYPERLINK("x")', "Formula", "formula@example.org", ""),
    ]
    assert [(a, c["rows"], c["created"], c["skipped"]) for a, c in entries] == [
        ("import", [None, 6], [None, 3], [None, 3])
    ]


def test_an_existing_student_is_kept_unless_update_existing(db: Database) -> None:
    actor = staff_actor(db)
    add_student(db, "ana@example.org", first_name="Ana")
    data = csv_bytes([["email", "first name", "phone"], ["ANA@example.org", "Anna", "555"]])
    sheet = read_sheet("a.csv", data)
    kept = apply_import(db, ImportKind.STUDENTS, sheet, actor=actor)
    assert kept.rows[0].action == "skip" and "update existing" in kept.rows[0].reason
    updated = apply_import(
        db, ImportKind.STUDENTS, sheet, options=ImportOptions(update_existing=True), actor=actor
    )
    assert updated.rows[0].action == "update"
    with db.read() as s:
        assert s.execute(select(t.students.c.first_name, t.students.c.phone)).one() == (
            "Anna",
            "555",
        )


def test_a_failed_apply_leaves_nothing(db: Database) -> None:
    actor = staff_actor(db)
    sheet = read_sheet("roster.csv", csv_bytes(MESSY_STUDENTS, bom=True))
    with (
        mock.patch(
            "domain.imports.service.audit.record", side_effect=IntegrityError("", {}, Exception())
        ),
        pytest.raises(IntegrityError),
    ):
        apply_import(db, ImportKind.STUDENTS, sheet, actor=actor)
    assert row_count(db, "students") == 0
    assert row_count(db, "audit_entries") == 0


def test_registrations_follow_capacity_eligibility_and_the_file(db: Database) -> None:
    actor = staff_actor(db)
    salsa = add_course(db, capacity=2, package=["80.00"])
    add_course(db, title="Crew Only", required_student_type="crew_member")
    add_student(db, "known@example.org", first_name="Kim")
    rows = [
        ["Name", "Email", "Course"],
        ["Kim Known", "known@example.org", "salsa series"],
        ["New Person", "new@example.org", str(salsa)],
        ["New Person", "NEW@example.org", "Salsa Series"],
        ["Third One", "third@example.org", "Salsa Series"],
        ["Crew Not", "t@example.org", "Crew Only"],
        ["Lost Soul", "lost@example.org", "Tango"],
    ]
    sheet = read_sheet("r.csv", csv_bytes(rows, delimiter=";"))
    preview = preview_import(db, ImportKind.REGISTRATIONS, sheet, actor=actor, now=NOW)
    applied = apply_import(db, ImportKind.REGISTRATIONS, sheet, actor=actor, now=NOW)
    assert _decisions(applied) == _decisions(preview)
    reasons = [(line, action, reason.split(":")[0]) for line, action, reason in _decisions(preview)]
    assert reasons == [
        (2, "create", ""),
        (3, "create", "New student."),
        (4, "skip", "Duplicate in the file"),
        (5, "skip", "Would exceed capacity"),
        (6, "skip", "Not eligible"),
        (7, "skip", "Unknown course 'Tango'."),
    ]
    with db.read() as s:
        made = s.execute(select(t.registrations.c.amount_due, t.registrations.c.source)).all()
    assert [(str(a), src) for a, src in made] == [("80.00", RegistrationSource.IMPORT)] * 2
    assert row_count(db, "students") == 2  # refused rows created nobody
    report = skipped_rows_csv(applied, sheet.headers)
    assert report.splitlines()[0] == "Row,Reason,Name,Email,Course"
    assert report.count("\n") == 5


def test_the_audit_log_says_what_an_import_brought_in(db: Database) -> None:
    actor = staff_actor(db)
    sheet = read_sheet("roster.csv", csv_bytes(MESSY_STUDENTS))
    apply_import(db, ImportKind.STUDENTS, sheet, actor=actor, filename="roster.csv")
    with db.read() as s:
        entry = s.scalars(select(AuditEntry)).one()
        sentence = audit_sentence(entry, actor="Maria", subject=None)
    assert sentence == (
        "Maria imported students from roster.csv — 6 rows: 3 created, 0 updated, 3 skipped."
    )


def test_staff_may_bend_capacity_with_a_reason_kept_on_the_registration(db: Database) -> None:
    actor = staff_actor(db)
    course = add_course(db, capacity=1)
    rows = [["Name", "Email"], ["Ana Lopez", "ana@example.org"], ["Ben Okafor", "ben@example.org"]]
    sheet = read_sheet("r.csv", csv_bytes(rows))
    kept = preview_import(
        db, ImportKind.REGISTRATIONS, sheet, options=ImportOptions(course_id=course), actor=actor
    )
    assert [r.action for r in kept.rows] == ["create", "skip"]
    bent = apply_import(
        db,
        ImportKind.REGISTRATIONS,
        sheet,
        options=ImportOptions(course_id=course, override_reason="Extra chairs brought in"),
        actor=actor,
        now=NOW,
    )
    assert [r.action for r in bent.rows] == ["create", "create"]
    with db.read() as s:
        reasons = s.scalars(select(t.registrations.c.override_reason)).all()
    assert sorted(reasons) == ["", "Extra chairs brought in"]
