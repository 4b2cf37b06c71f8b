"""Courses, slots, prices, sessions, schools and students are written by one service each:
checked, written and audited in one transaction, or refused with nothing written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Table, event, select
from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import StudentType, WaitlistStatus
from domain.errors import ValidationError
from domain.model import AuditEntry
from domain.services.courses import (
    create_class_session,
    create_course,
    create_price,
    create_slot,
    update_course,
    update_price,
    update_slot,
)
from domain.services.people import (
    create_school,
    create_student,
    update_school,
    update_student,
)
from domain.services.registration import StudentDetails
from domain.services.waitlist import join_waitlist
from tests.factories import staff_actor
from tests.integration.w_factories import add_registration, add_student

STARTS = datetime(2030, 3, 4, 18, 0, tzinfo=UTC)
SCRIPT = Actor.script("records-test")


def _course(db: Database, **fields: Any) -> int:
    values = {"title": "Salsa Basics", "starts_at": STARTS, "capacity": 2, **fields}
    course = create_course(db, values, actor=SCRIPT)  # type: ignore[arg-type]
    assert course.id is not None
    return course.id


def _entries(db: Database, entity_type: str | None = None) -> list[AuditEntry]:
    with db.read() as session:
        query = select(AuditEntry).order_by(t.audit_entries.c.id)
        if entity_type:
            query = query.where(t.audit_entries.c.entity_type == entity_type)
        entries = list(session.scalars(query))
        session.expunge_all()
    return entries


def _rows(db: Database, table: Table) -> list[tuple[object, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key))]


def _refused(write: Callable[[], object]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        write()
    return caught.value


@contextmanager
def failing_once_the_audit_entry_is_written() -> Iterator[None]:
    """Every session's flush that wrote an audit entry fails right after (a full disk, say)."""

    def fail(session: Session, _context: object) -> None:
        if any(isinstance(row, AuditEntry) for row in session.new):
            raise RuntimeError("the disk is full")

    event.listen(Session, "after_flush", fail)
    try:
        yield
    finally:
        event.remove(Session, "after_flush", fail)


# ---- courses ---------------------------------------------------------------------


def test_a_new_course_is_written_with_its_create_entry(db: Database) -> None:
    course_id = _course(db, location="Studio A")
    (entry,) = _entries(db)
    assert (entry.action, entry.entity_type, entry.entity_id) == (
        "create",
        "Course",
        str(course_id),
    )
    assert entry.actor_label == "records-test"
    assert entry.changes["title"] == [None, "Salsa Basics"]
    assert entry.changes["location"] == [None, "Studio A"]
    assert entry.changes["is_published"] == [None, False]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_at": STARTS - timedelta(hours=1)}, "ends_at"),
        ({"title": "  "}, "title"),
        ({"capacity": -1}, "capacity"),
        ({"kind": "masterclass"}, "kind"),
        ({"required_student_type": "vip"}, "required_student_type"),
        ({"starts_at": None}, "starts_at"),
        ({"seats": 12}, "seats"),
    ],
)
def test_a_course_the_rules_refuse_is_not_written(
    db: Database, fields: dict[str, Any], field: str
) -> None:
    refused = _refused(lambda: _course(db, **fields))
    assert refused.field == field
    assert _rows(db, t.courses) == [] and _entries(db) == []


def test_publication_start_and_audience_changes_are_one_audited_update(db: Database) -> None:
    course_id = _course(db)
    moved = STARTS + timedelta(days=7)
    maria = staff_actor(db)

    update_course(
        db,
        course_id,
        {
            "is_published": True,
            "starts_at": moved,
            "required_student_type": StudentType.CREW_MEMBER,
            "title": "Salsa Basics",
        },
        actor=maria,
    )

    (entry,) = _entries(db)[1:]
    assert (entry.action, entry.actor_label) == ("update", "maria")
    assert entry.changes == {
        "is_published": [False, True],
        "starts_at": [STARTS.isoformat(), moved.isoformat()],
        "required_student_type": [None, "crew_member"],
    }


def test_an_edit_that_changes_nothing_records_nothing(db: Database) -> None:
    course_id = _course(db)
    update_course(db, course_id, {"title": "Salsa Basics", "capacity": 2}, actor=SCRIPT)
    assert [entry.action for entry in _entries(db)] == ["create"]


def test_an_edit_the_rules_refuse_changes_nothing(db: Database) -> None:
    course_id = _course(db)
    before = _rows(db, t.courses)
    refused = _refused(
        lambda: update_course(
            db, course_id, {"capacity": 5, "ends_at": STARTS - timedelta(days=1)}, actor=SCRIPT
        )
    )
    assert refused.field == "ends_at"
    assert _rows(db, t.courses) == before
    assert len(_entries(db)) == 1


def _waiting_for_a_full_course(db: Database) -> int:
    course_id = _course(db, capacity=1, is_published=True)
    add_registration(db, student_id=add_student(db, "Seat", "Holder"), course_id=course_id)
    details = StudentDetails(email="wanda@example.org", first_name="Wanda")
    join_waitlist(db, course_id=course_id, student=details, actor=Actor.public())
    return course_id


def _waitlist(db: Database, course_id: int) -> list[str]:
    w = t.waitlist_entries.c
    with db.read() as session:
        return list(session.scalars(select(w.status).where(w.course_id == course_id)))


def test_raising_a_capacity_offers_the_seat_in_the_same_transaction(db: Database) -> None:
    course_id = _waiting_for_a_full_course(db)

    update_course(db, course_id, {"capacity": 2}, actor=SCRIPT)

    assert _waitlist(db, course_id) == [WaitlistStatus.OFFERED]
    (update,) = [e for e in _entries(db, "Course") if e.action == "update"]
    assert update.changes == {"capacity": [1, 2]}


def test_an_offer_that_fails_takes_the_capacity_change_back_with_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    course_id = _waiting_for_a_full_course(db)
    before, entries = _rows(db, t.courses), len(_entries(db))

    def offer_fails(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the outbox is unreachable")

    monkeypatch.setattr("domain.services.courses.seat_freed_in_session", offer_fails)
    with pytest.raises(RuntimeError):
        update_course(db, course_id, {"capacity": 2}, actor=SCRIPT)

    assert _rows(db, t.courses) == before
    assert len(_entries(db)) == entries
    assert _waitlist(db, course_id) == [WaitlistStatus.WAITING]


@pytest.mark.parametrize(
    "write",
    [
        "create_course",
        "update_course",
        "create_school",
        "update_school",
        "create_student",
        "update_student",
    ],
)
def test_a_failure_after_the_write_leaves_neither_the_row_nor_its_audit_entry(
    db: Database, write: str
) -> None:
    course_id = _course(db)
    school = create_school(db, {"name": "Hill"}, actor=SCRIPT)
    student = create_student(db, {"first_name": "Ada"}, actor=SCRIPT)
    writes: dict[str, Callable[[], object]] = {
        "create_course": lambda: _course(db, title="Bachata"),
        "update_course": lambda: update_course(db, course_id, {"is_published": True}, actor=SCRIPT),
        "create_school": lambda: create_school(db, {"name": "Lake"}, actor=SCRIPT),
        "update_school": lambda: update_school(db, school.id or 0, {"name": "Hi"}, actor=SCRIPT),
        "create_student": lambda: create_student(db, {"first_name": "Bea"}, actor=SCRIPT),
        "update_student": lambda: update_student(
            db, student.id or 0, {"student_type": "crew_member"}, actor=SCRIPT
        ),
    }
    tables = (t.courses, t.schools, t.students, t.audit_entries)
    before = [_rows(db, table) for table in tables]

    with failing_once_the_audit_entry_is_written(), pytest.raises(RuntimeError):
        writes[write]()

    assert [_rows(db, table) for table in tables] == before


# ---- slots, prices, sessions ---------------------------------------------------------


def _slot(db: Database, course_id: int, **fields: Any) -> int:
    values = {"course_id": course_id, "day_of_week": 0, "start_time": time(18), **fields}
    slot = create_slot(db, {"end_time": time(19), **values}, actor=SCRIPT)  # type: ignore[typeddict-item]
    assert slot.id is not None
    return slot.id


def test_a_slot_belongs_to_a_course_that_exists(db: Database) -> None:
    refused = _refused(lambda: _slot(db, 404))
    assert refused.field == "course_id"
    assert _rows(db, t.course_slots) == [] and _entries(db) == []


def test_raising_a_slot_capacity_offers_the_freed_seat(db: Database) -> None:
    course_id = _waiting_for_a_full_course(db)
    update_course(db, course_id, {"capacity": 5}, actor=SCRIPT)
    w = t.waitlist_entries.c
    with db.write() as session:  # the offer made above goes back to waiting for this test
        session.execute(
            t.waitlist_entries.update()
            .where(w.course_id == course_id)
            .values(status=WaitlistStatus.WAITING, offer_expires_at=None)
        )
        session.commit()
    slot_id = _slot(db, course_id, capacity=1)

    update_slot(db, slot_id, {"capacity": 2}, actor=SCRIPT)

    assert _waitlist(db, course_id) == [WaitlistStatus.OFFERED]
    (update,) = [e for e in _entries(db, "CourseSlot") if e.action == "update"]
    assert update.changes == {"capacity": [1, 2]}


def test_moving_a_limiting_slot_to_another_course_frees_the_seats_it_held_back(
    db: Database,
) -> None:
    course_id = _course(db, capacity=5, is_published=True)
    slot_id = _slot(db, course_id, capacity=1)
    add_registration(db, student_id=add_student(db, "Seat", "Holder"), course_id=course_id)
    details = StudentDetails(email="wanda@example.org", first_name="Wanda")
    join_waitlist(db, course_id=course_id, student=details, actor=Actor.public())
    other_id = _course(db, title="Bachata")

    update_slot(db, slot_id, {"course_id": other_id}, actor=SCRIPT)

    assert _waitlist(db, course_id) == [WaitlistStatus.OFFERED]
    with db.read() as session:
        slots = t.course_slots.c
        assert session.scalar(select(slots.course_id).where(slots.id == slot_id)) == other_id


def test_a_slot_has_one_price_of_each_kind(db: Database) -> None:
    slot_id = _slot(db, _course(db))
    price = create_price(
        db, {"slot_id": slot_id, "pricing_type": "drop_in", "amount": Decimal("20")}, actor=SCRIPT
    )
    before = _rows(db, t.prices)

    refused = _refused(
        lambda: create_price(
            db,
            {"slot_id": slot_id, "pricing_type": "drop_in", "amount": Decimal("25")},
            actor=SCRIPT,
        )
    )
    assert refused.field == "pricing_type"
    assert _rows(db, t.prices) == before

    update_price(db, price.id or 0, {"amount": Decimal("22.50")}, actor=SCRIPT)
    (update,) = [e for e in _entries(db, "Price") if e.action == "update"]
    assert update.changes == {"amount": ["20.00", "22.50"]}


def test_a_course_meets_once_at_a_date_and_start_time(db: Database) -> None:
    course_id = _course(db)
    meeting = {"course_id": course_id, "session_date": date(2030, 3, 4), "start_time": time(18)}
    create_class_session(db, meeting, actor=SCRIPT)  # type: ignore[arg-type]
    before = _rows(db, t.class_sessions)

    refused = _refused(lambda: create_class_session(db, meeting, actor=SCRIPT))  # type: ignore[arg-type]

    assert refused.field == "session_date"
    assert _rows(db, t.class_sessions) == before


# ---- schools, contact entries, students ----------------------------------------------
