"""The audit log: who changed what, when, with every changed field's before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain import audit
from domain.actors import Actor
from domain.db.database import Database
from domain.enums import ActorKind
from domain.model import AuditEntry, Course, StaffUser
from domain.services.settings import update_setting

STARTS = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def _entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        session.expunge_all()
        return rows


def _add_course(db: Database) -> int:
    with db.write() as session:
        course = Course(title="Salsa Basics", starts_at=STARTS, capacity=10)
        session.add(course)
        session.commit()
        assert course.id is not None
        return course.id


def test_a_change_is_stored_with_each_changed_fields_before_and_after(db: Database) -> None:
    course_id = _add_course(db)
    with db.write() as session:
        course = session.get(Course, course_id)
        assert course is not None
        before = audit.snapshot(course, ["title", "capacity", "starts_at", "location"])
        course.capacity = 12
        course.starts_at = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
        audit.record(
            session,
            Actor.script("nightly-import"),
            "course.update",
            course,
            audit.diff(before, course),
            reason="Bigger room",
        )
        session.commit()
    [entry] = _entries(db)
    # Unchanged fields (title, location) are left out; values are JSON-safe.
    assert entry.changes == {
        "capacity": [10, 12],
        "starts_at": ["2026-12-05T15:00:00+00:00", "2026-12-06T15:00:00+00:00"],
    }
    assert entry.action == "course.update"
    assert entry.entity_type == "Course"
    assert entry.entity_id == str(course_id)
    assert entry.reason == "Bigger room"
    assert entry.occurred_at.tzinfo is not None


def test_money_and_dates_keep_their_exact_values_in_the_log() -> None:
    course = Course(title="x", starts_at=STARTS)
    before = {"title": "x", "capacity": 30}
    course.capacity = 31
    assert audit.diff(before, course) == {"capacity": [30, 31]}

    class Priced:
        amount = Decimal("12.50")

    assert audit.diff({"amount": Decimal("10.00")}, Priced()) == {"amount": ["10.00", "12.50"]}


@pytest.mark.parametrize(
    ("actor", "kind", "label"),
    [
        (Actor.public("203.0.113.9"), ActorKind.PUBLIC, "public 203.0.113.9"),
        (Actor.script("nightly-import"), ActorKind.SCRIPT, "nightly-import"),
        (Actor.system("worker"), ActorKind.SYSTEM, "worker"),
    ],
)
def test_the_log_says_who_acted(db: Database, actor: Actor, kind: str, label: str) -> None:
    course_id = _add_course(db)
    with db.write() as session:
        course = session.get(Course, course_id)
        audit.record(session, actor, "course.view", course)
        session.commit()
    [entry] = _entries(db)
    assert (entry.actor_kind, entry.actor_label, entry.actor_id) == (kind, label, None)


def test_a_staff_change_names_the_staff_user(db: Database) -> None:
    with db.write() as session:
        user = StaffUser(username="maria", full_name="Maria Diaz")
        session.add(user)
        session.commit()
        user_id = user.id
    assert user_id is not None
    update_setting(db, "offer_hours", "24", actor=Actor.staff(user_id, "maria"))
    [entry] = _entries(db)
    assert entry.actor_kind == ActorKind.STAFF
    assert entry.actor_id == user_id
    assert entry.actor_label == "maria"
    assert entry.entity_type == "Setting"
    assert entry.entity_id == "offer_hours"
    assert entry.changes == {"value": ["48", "24"]}


def test_a_new_entity_is_logged_with_its_id(db: Database) -> None:
    with db.write() as session:
        course = Course(title="Tango", starts_at=STARTS)
        session.add(course)
        audit.record(
            session,
            Actor.script(),
            "course.create",
            course,
            audit.diff(dict.fromkeys(["title"]), course),
        )
        session.commit()
        course_id = course.id
    [entry] = _entries(db)
    assert entry.entity_id == str(course_id)
    assert entry.changes == {"title": [None, "Tango"]}


def test_a_rolled_back_change_leaves_no_audit_entry(db: Database) -> None:
    course_id = _add_course(db)
    with db.write() as session:
        course = session.get(Course, course_id)
        audit.record(session, Actor.script(), "course.update", course, {"capacity": [10, 11]})
        session.rollback()
    assert _entries(db) == []
