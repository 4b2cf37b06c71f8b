"""Audit entries reach every screen as sentences: the audit log, an entry's page, the dashboard.

Known entries, written by the services a person's click runs (and, for a public
visitor and a script, as those services write them); each page is read as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from domain import audit
from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.model import Course, Registration, StaffUser, Student
from domain.services.deletion import delete_entity
from domain.services.payments import cancel_registration, confirm_payment
from tests.admin.conftest import AdminClient
from tests.admin.test_views_formats import visible_text
from tests.admin.views_seed import add_course, add_student, register

CONFIRMED = "Priya Patel confirmed payment of $1,110.00 for Jamie Newcomer — Contemporary Technique"
CANCELLED = (
    "Priya Patel cancelled Mateo Torres's registration for Contemporary Technique"
    " (reason: Injured ankle)"
)
PUBLIC = (
    "Public visitor 203.0.113.9 registered Jamie Newcomer for Contemporary Technique"
    " ($1,110.00, Full course)"
)
SCRIPT = "Script 'import' added the student Jamie Newcomer"
DELETED = "Priya Patel deleted the course Old Ballet: Level 1"


@dataclass
class Known:
    confirmed_entry: int
    registration: int


def seed(db: Database, make_staff_user: Callable[..., StaffUser]) -> Known:
    priya_user = make_staff_user("priya")
    with db.write() as session:
        stored = session.get(StaffUser, priya_user.id)
        assert stored is not None
        stored.full_name = "Priya Patel"
        session.commit()
    assert priya_user.id is not None
    priya = Actor.staff(priya_user.id, "priya")
    course = add_course(db, "Contemporary Technique")
    jamie = add_student(db, "Jamie", last_name="Newcomer", email="jamie@example.org")
    mateo = add_student(db, "Mateo", last_name="Torres", email="mateo@example.org")
    paid = register(db, jamie, course, amount="1110.00")
    cancelled = register(db, mateo, course, amount="90.00")
    assert paid.id and cancelled.id
    with db.write() as session:
        registration = session.get(Registration, paid.id)
        student = session.get(Student, jamie.id)
        audit.record(
            session,
            Actor.public("203.0.113.9"),
            "registration.create",
            registration,
            {"amount_due": [None, "1110.00"], "pricing_type": [None, "full_package"]},
        )
        audit.record(session, Actor.script("import"), "student.create", student)
        session.commit()
    confirm_payment(db, registration_id=paid.id, method="cash", reference="R-1", actor=priya)
    cancel_registration(db, registration_id=cancelled.id, reason="Injured ankle", actor=priya)
    _delete_course(db, add_course(db, "Old Ballet: Level 1").id or 0, priya)
    with db.read() as session:
        confirmed = session.scalar(
            select(t.audit_entries.c.id).where(t.audit_entries.c.action == "payment.confirm")
        )
    assert confirmed is not None
    return Known(confirmed_entry=confirmed, registration=paid.id)


def _delete_course(db: Database, course_id: int, actor: Actor) -> None:
    # The course's own slot, price and session go first, as staff would remove them.
    with db.write() as session:
        slots = select(t.course_slots.c.id).where(t.course_slots.c.course_id == course_id)
        session.execute(t.prices.delete().where(t.prices.c.slot_id.in_(slots)))
        session.execute(t.class_sessions.delete().where(t.class_sessions.c.course_id == course_id))
        session.execute(t.course_slots.delete().where(t.course_slots.c.course_id == course_id))
        session.commit()
    delete_entity(db, model=Course, entity_id=course_id, actor=actor)


def words(page: str) -> str:
    return " ".join(visible_text(page).split())


def test_the_audit_log_lists_each_entry_as_a_sentence(
    staff_client: AdminClient, db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    seed(db, make_staff_user)
    page = words(staff_client.get("/admin/audit-entry/list").text)
    for sentence in (CONFIRMED, CANCELLED, PUBLIC, SCRIPT, DELETED):
        assert sentence in page, sentence
    # No stored action names, no usernames where a name is known.
    assert "payment.confirm" not in page and "registration.cancel" not in page
    assert not re.search(r"\bpriya\b", page)


def test_an_entry_page_says_what_happened_who_and_each_change_in_words(
    staff_client: AdminClient, db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    known = seed(db, make_staff_user)
    response = staff_client.get(f"/admin/audit-entry/details/{known.confirmed_entry}")
    assert response.status_code == 200
    page = words(response.text)
    assert "Confirmed payment · " in page  # the heading: the action and when
    assert f"What happened {CONFIRMED}" in page
    assert "Who Priya Patel" in page
    assert "Record Registration: Jamie Newcomer — Contemporary Technique" in page
    assert "Payment status: Pending → Paid" in page
    assert "Payment method: — → Cash" in page
    assert "Payment confirmed by: — → Priya Patel" in page
    assert "payment_status" not in page and "completed" not in page
    # The record it changed is one click away.
    assert f'href="http://testserver/admin/registration/details/{known.registration}"' in (
        response.text
    )


def test_the_dashboard_shows_recent_activity_as_sentences(
    staff_client: AdminClient, db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    seed(db, make_staff_user)
    with db.write() as session:
        staff = session.scalars(select(StaffUser).where(t.staff_users.c.username == "priya")).one()
        audit.record(session, Actor.staff(staff.id or 0, "priya"), "staff.sign_in", staff)
        session.commit()
    page = staff_client.get("/admin/").text
    activity = words(page.split('id="recent-activity">')[1].split("</ul>")[0])
    # Newest first; a sign-in is in the audit log, not among the changes here.
    assert activity.startswith(DELETED)
    assert CANCELLED in activity and CONFIRMED in activity
    assert "signed in" not in activity


def test_the_audit_export_holds_the_sentences_and_the_changes_in_words(
    staff_client: AdminClient, db: Database, make_staff_user: Callable[..., StaffUser]
) -> None:
    seed(db, make_staff_user)
    response = staff_client.get("/admin/audit-entry/export/xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["When", "What happened", "Who", "Record", "Reason", "Changes"]
    by_sentence = {row[1]: row for row in rows[1:]}
    for sentence in (CONFIRMED, CANCELLED, PUBLIC, SCRIPT, DELETED):
        assert sentence in by_sentence, sentence
    confirmed = by_sentence[CONFIRMED]
    assert confirmed[2] == "Priya Patel"
    assert confirmed[3] == "Registration: Jamie Newcomer — Contemporary Technique"
    assert "Payment status: Pending → Paid" in confirmed[5]
    assert by_sentence[CANCELLED][4] == "Injured ankle"


def _entries_naming(db: Database, count: int, offset: int) -> None:
    """``count`` registrations, each with an entry per kind of row it names."""
    course = add_course(db, f"Course {offset}")
    script = Actor.script("import")
    for n in range(offset, offset + count):
        student = add_student(db, f"Pupil{n}", email=f"pupil{n}@example.org")
        registration = register(db, student, course)
        with db.write() as session:
            for row in (
                session.get(Registration, registration.id),
                session.get(Student, student.id),
            ):
                audit.record(session, script, "update", row, {"notes": ["", "x"]})
            session.commit()


def test_the_audit_log_costs_the_same_whatever_its_entries_name(
    staff_client: AdminClient, db: Database
) -> None:
    from tests.admin.test_query_counts import page_costs

    pages = ["/admin/audit-entry/list", "/admin/audit-entry/list?pageSize=100", "/admin/"]
    _entries_naming(db, 2, 0)
    small = page_costs(staff_client, db, pages)
    _entries_naming(db, 60, 2)
    large = page_costs(staff_client, db, pages)
    assert large == small
    listed = words(staff_client.get("/admin/audit-entry/list?pageSize=100").text)
    assert "Script 'import' changed the notes of Pupil61's registration for Course 2" in listed
