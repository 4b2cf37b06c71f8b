"""Audit sentences name each kind of row as a person reads it, read in one statement."""

from __future__ import annotations

from sqlalchemy import event, select

from domain import audit
from domain.actors import Actor
from domain.db.database import Database
from domain.model import Attendance, AuditEntry, ClassSession, CourseSlot, Price
from domain.services.audit_log import describe_entries
from tests.admin.views_seed import add_course, add_student, mark, register

SCRIPT = Actor.script("import")


def test_slots_sessions_prices_and_marks_are_named_by_course_day_and_time(db: Database) -> None:
    course = add_course(db, "Salsa Basics")  # a Monday 18:00 slot, a session on 2 March 2026
    registration = register(db, add_student(db, "Jamie", last_name="Newcomer"), course)
    mark(db, registration, "late")
    with db.write() as session:
        slot = session.scalars(select(CourseSlot)).one()
        price = session.scalars(select(Price)).one()
        class_session = session.scalars(select(ClassSession)).one()
        attendance = session.scalars(select(Attendance)).one()
        entries = [
            audit.record(session, SCRIPT, "update", slot, {"capacity": [10, 12]}),
            audit.record(session, SCRIPT, "update", price, {"amount": ["100.00", "110.00"]}),
            audit.record(session, SCRIPT, "class_session.generate", class_session),
            audit.record(
                session, SCRIPT, "attendance.mark", attendance, {"status": [None, "late"]}
            ),
        ]
        session.flush()
        statements: list[str] = []
        listen = (db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        event.listen(*listen)
        try:
            sentences = describe_entries(session, entries, currency="USD")
        finally:
            event.remove(*listen)
        session.rollback()
    assert sentences == [
        "Script 'import' changed the capacity of the Monday 18:00 slot of Salsa Basics",
        "Script 'import' changed the amount of the Full course price of Salsa Basics",
        "Script 'import' added a class session of Salsa Basics on Mon 2 Mar 2026, 18:00",
        "Script 'import' marked Jamie Newcomer late at Salsa Basics on Mon 2 Mar 2026, 18:00",
    ]
    assert len(statements) == 1


def test_an_entry_of_a_row_since_deleted_reads_without_failing(db: Database) -> None:
    entry = AuditEntry(
        actor_kind="staff",
        actor_id=None,
        actor_label="maria",
        action="update",
        entity_type="Course",
        entity_id="999",
        changes={"capacity": [10, 12]},
    )
    with db.read() as session:
        (sentence,) = describe_entries(session, [entry], currency="USD")
    assert sentence == "maria changed the capacity of a course since deleted"
