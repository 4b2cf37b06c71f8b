"""Joining, ordering and changing a full course's waitlist, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import audit_entries, outgoing_emails, waitlist_entries
from domain.errors import AlreadyRegistered, InvalidTransition, NotFound, ValidationError
from domain.model import AuditEntry, OutgoingEmail, WaitlistEntry
from domain.services.registration import StudentDetails
from domain.services.waitlist import (
    join_waitlist,
    move_waitlist_entry,
    remove_waitlist_entry,
)
from tests.integration.w_factories import STAFF, add_course, add_registration, add_student

VISITOR = Actor.public("203.0.113.9")


def full_course(db: Database, capacity: int = 2) -> int:
    course_id = add_course(db, capacity=capacity)
    for n in range(capacity):
        add_registration(db, course_id=course_id, student_id=add_student(db, f"Seat{n}"))
    return course_id


def join(db: Database, course_id: int, name: str) -> int:
    entry = join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email=f"{name.lower()}@example.org", first_name=name),
        actor=VISITOR,
    )
    assert entry.id is not None
    return entry.id


def line_of(db: Database, course_id: int) -> list[tuple[str, int | None, str]]:
    """(first name, position, status) of everyone in line, first in line first."""
    w = waitlist_entries.c
    with db.read() as s:
        entries = s.scalars(
            select(WaitlistEntry)
            .where(w.course_id == course_id, w.position.is_not(None))
            .order_by(w.position)
        )
        return [(e.student.first_name, e.position, e.status) for e in entries if e.student]


def test_joining_a_full_course_puts_students_in_line_in_order(db: Database) -> None:
    course_id = full_course(db)
    for name in ("Ana", "Ben", "Cai"):
        join(db, course_id, name)
    assert line_of(db, course_id) == [
        ("Ana", 1, "waiting"),
        ("Ben", 2, "waiting"),
        ("Cai", 3, "waiting"),
    ]


def test_joining_sends_the_waitlist_email_with_the_place_in_line(db: Database) -> None:
    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    with db.read() as s:
        mail = s.scalars(
            select(OutgoingEmail).where(outgoing_emails.c.to_address == "ben@example.org")
        ).one()
        assert mail.kind == "waitlist_joined"
        assert "Salsa Basics" in mail.subject
        assert "Your place in line: 2" in mail.body_text


def test_a_course_with_a_free_seat_tells_the_student_to_register(db: Database) -> None:
    full_course(db)
    open_course = add_course(db, title="Tango", capacity=2)
    add_registration(db, course_id=open_course, student_id=add_student(db, "Seat"))
    with pytest.raises(ValidationError, match=r"Tango still has free seats.*register"):
        join(db, open_course, "Ana")
    assert line_of(db, open_course) == []


def test_joining_twice_keeps_one_place_in_line(db: Database) -> None:
    course_id = full_course(db)
    first = join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    assert join(db, course_id, "Ana") == first
    assert [name for name, _, _ in line_of(db, course_id)] == ["Ana", "Ben"]


def test_a_registered_student_cannot_join_the_waitlist(db: Database) -> None:
    course_id = add_course(db, capacity=1)
    add_registration(db, course_id=course_id, student_id=add_student(db, "Ana"))
    with pytest.raises(AlreadyRegistered, match="already registered for Salsa Basics"):
        join(db, course_id, "Ana")


def test_joining_a_missing_course_says_so(db: Database) -> None:
    with pytest.raises(NotFound):
        join(db, 99, "Ana")


def test_staff_move_someone_up_with_a_reason(db: Database) -> None:
    course_id = full_course(db)
    ids = [join(db, course_id, name) for name in ("Ana", "Ben", "Cai", "Dee")]
    move_waitlist_entry(
        db, entry_id=ids[3], new_position=1, reason="Injured last term", actor=STAFF
    )
    assert line_of(db, course_id) == [
        ("Dee", 1, "waiting"),
        ("Ana", 2, "waiting"),
        ("Ben", 3, "waiting"),
        ("Cai", 4, "waiting"),
    ]
    move_waitlist_entry(db, entry_id=ids[3], new_position=3, reason="Asked to wait", actor=STAFF)
    assert [(n, p) for n, p, _ in line_of(db, course_id)] == [
        ("Ana", 1),
        ("Ben", 2),
        ("Dee", 3),
        ("Cai", 4),
    ]
    with db.read() as s:
        entry = s.get(WaitlistEntry, ids[3])
        assert entry is not None and entry.reason == "Asked to wait"
        moves = s.scalars(
            select(AuditEntry)
            .where(audit_entries.c.action == "waitlist.move")
            .order_by(audit_entries.c.id)
        ).all()
        assert [(m.reason, m.changes["position"]) for m in moves] == [
            ("Injured last term", [4, 1]),
            ("Asked to wait", [1, 3]),
        ]


def test_moving_needs_a_reason_and_a_place_in_the_line(db: Database) -> None:
    course_id = full_course(db)
    ids = [join(db, course_id, name) for name in ("Ana", "Ben")]
    with pytest.raises(ValidationError, match="reason"):
        move_waitlist_entry(db, entry_id=ids[1], new_position=1, reason="  ", actor=STAFF)
    with pytest.raises(ValidationError, match="between 1 and 2"):
        move_waitlist_entry(db, entry_id=ids[1], new_position=5, reason="Because", actor=STAFF)
    assert [n for n, _, _ in line_of(db, course_id)] == ["Ana", "Ben"]


def test_removing_someone_closes_the_gap(db: Database) -> None:
    course_id = full_course(db)
    ids = [join(db, course_id, name) for name in ("Ana", "Ben", "Cai", "Dee")]
    remove_waitlist_entry(db, entry_id=ids[1], reason="Moved away", actor=STAFF)
    assert [(n, p) for n, p, _ in line_of(db, course_id)] == [("Ana", 1), ("Cai", 2), ("Dee", 3)]
    with db.read() as s:
        gone = s.get(WaitlistEntry, ids[1])
        assert gone is not None
        assert (gone.status, gone.position, gone.reason) == ("removed", None, "Moved away")
    with pytest.raises(InvalidTransition, match="already left the waitlist"):
        remove_waitlist_entry(db, entry_id=ids[1], reason="Again", actor=STAFF)


def test_a_student_who_left_may_join_again_at_the_end(db: Database) -> None:
    course_id = full_course(db)
    ids = [join(db, course_id, name) for name in ("Ana", "Ben")]
    remove_waitlist_entry(db, entry_id=ids[0], reason="Asked to leave", actor=STAFF)
    join(db, course_id, "Ana")
    assert [(n, p) for n, p, _ in line_of(db, course_id)] == [("Ben", 1), ("Ana", 2)]
