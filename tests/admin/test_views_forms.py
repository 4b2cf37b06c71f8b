"""Create and edit forms: only editable fields, rules kept, times on the studio's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.model import AuditEntry, ContactLog, Course, Registration, School, Setting
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_course, add_school, add_student, register


def test_creating_a_course_stores_the_time_typed_on_the_studio_clock(
    staff_client: AdminClient, db: Database
) -> None:
    with db.write() as session:
        session.merge(Setting(key="timezone", value="America/New_York"))
        session.commit()
    response = staff_client.submit(
        "/admin/course/create",
        {
            "save": "Save",
            "title": "Bachata Night",
            "kind": "workshop",
            "starts_at": "2026-07-01 19:00:00",
            "capacity": "20",
            "required_student_type": "",
            "location": "Studio A",
        },
    )
    assert response.status_code == 200, response.text[-1500:]
    with db.read() as session:
        course = session.scalars(select(Course)).one()
        # 19:00 in New York in July is 23:00 UTC.
        assert course.starts_at == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)
        assert course.required_student_type is None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "create")).one()
        assert entry.entity_type == "Course"
        assert entry.actor_label == "staff"


def test_editing_a_school_records_who_changed_what(staff_client: AdminClient, db: Database) -> None:
    school = add_school(db, "Hill", location="Old Town")
    response = staff_client.submit(
        f"/admin/school/edit/{school.id}",
        {"name": "Hill Academy", "location": "Old Town", "save": "Save"},
    )
    assert response.status_code == 200, response.text[-1500:]
    with db.read() as session:
        assert session.get(School, school.id).name == "Hill Academy"  # type: ignore[union-attr]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert entry.changes["name"] == ["Hill", "Hill Academy"]
        assert "location" not in entry.changes


def test_registrations_cannot_be_created_from_the_generic_form(
    staff_client: AdminClient, db: Database
) -> None:
    assert staff_client.get("/admin/registration/create").status_code == 403
    assert staff_client.submit("/admin/registration/create", {}).status_code == 403
    page = staff_client.get("/admin/registration/list").text
    assert "/admin/registration/create" not in page
    # Instead the list points to the courses, whose pages carry "Register a student".
    assert '/admin/course/list" class="btn btn-primary">Register a student</a>' in page


def test_editing_a_registration_changes_only_special_requests(
    staff_client: AdminClient, db: Database
) -> None:
    registration = register(db, add_student(db), add_course(db), amount="120.00")
    response = staff_client.submit(
        f"/admin/registration/edit/{registration.id}",
        {
            "save": "Save",
            "special_requests": "Wheelchair access",
            "payment_status": PaymentStatus.COMPLETED,
            "amount_due": "0.00",
        },
    )
    assert response.status_code == 200, response.text[-1500:]
    with db.read() as session:
        stored = session.get(Registration, registration.id)
        assert stored is not None
        assert stored.special_requests == "Wheelchair access"
        assert stored.payment_status == PaymentStatus.PENDING
        assert stored.amount_due == Decimal("120.00")


def test_attendance_and_waitlist_are_not_edited_by_hand(
    staff_client: AdminClient, db: Database
) -> None:
    for identity in ("attendance", "waitlist-entry"):
        assert staff_client.get(f"/admin/{identity}/create").status_code == 403
        assert staff_client.get(f"/admin/{identity}/edit/1").status_code == 403


def test_a_contact_entry_is_signed_by_the_staff_member_who_wrote_it(
    staff_client: AdminClient, db: Database
) -> None:
    school = add_school(db, "Hill")
    response = staff_client.submit(
        "/admin/contact-log/create",
        {
            "school": str(school.id),
            "contacted_at": "2026-03-01 10:00:00",
            "comment": "Met head",
            "save": "Save",
        },
    )
    assert response.status_code == 200, response.text[-1500:]
    assert staff_client.user is not None
    with db.read() as session:
        entry = session.scalars(select(ContactLog)).one()
        assert entry.school_id == school.id
        assert entry.staff_user_id == staff_client.user.id


def test_school_picker_searches_as_you_type(staff_client: AdminClient, db: Database) -> None:
    for name in ("Hill School", "Hillside Academy", "Lake School"):
        add_school(db, name)
    response = staff_client.get("/admin/contact-log/ajax/lookup?name=school&term=hill")
    assert response.status_code == 200
    names = sorted(result["text"] for result in response.json()["results"])
    assert names == ["Hill School", "Hillside Academy"]
    form = staff_client.get("/admin/contact-log/create").text
    # The picker loads nothing up front: no school is listed in the page itself.
    assert "Lake School" not in form


def test_moving_a_student_to_another_school_is_audited(
    staff_client: AdminClient, db: Database
) -> None:
    hill, lake = add_school(db, "Hill"), add_school(db, "Lake")
    student = add_student(db, "Ada", school_id=hill.id)
    response = staff_client.submit(
        f"/admin/student/edit/{student.id}",
        {"save": "Save", "first_name": "Ada", "school": str(lake.id), "student_type": "general"},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.text[-1500:]
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert entry.changes["school_id"] == [hill.id, lake.id]
