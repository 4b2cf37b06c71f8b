"""A course says what to bring: set on the admin form, audited, shown on its detail page
(and, tests/public/test_course_what_to_bring.py, on the public course page)."""

from __future__ import annotations

from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import AuditEntry, Course
from tests.admin.conftest import AdminClient
from tests.admin.test_views_refusals import COURSE
from tests.admin.views_seed import add_course


def test_what_to_bring_is_saved_from_the_course_form_and_audited(
    staff_client: AdminClient, db: Database
) -> None:
    assert "What to bring</label>" in staff_client.get("/admin/course/create").text
    course_id = add_course(db, "Tango Basics").id
    form = {**COURSE, "title": "Tango Basics", "what_to_bring": "Soft shoes", "save": "Save"}
    response = staff_client.submit(f"/admin/course/edit/{course_id}", form)
    assert response.status_code == 200, response.text[-2000:]
    with db.read() as session:
        course = session.get(Course, course_id)
        assert course is not None and course.what_to_bring == "Soft shoes"
        changes = [
            entry.changes
            for entry in session.scalars(
                select(AuditEntry).where(t.audit_entries.c.entity_type == "Course")
            )
        ]
    assert any(c.get("what_to_bring") == ["", "Soft shoes"] for c in changes)
    detail = staff_client.get(f"/admin/course/details/{course_id}").text
    assert "What to bring" in detail and "Soft shoes" in detail
