"""Staff say which courses schools may sign teachers up for: a labelled course field."""

from __future__ import annotations

from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import AuditEntry, Course
from tests.admin.conftest import AdminClient
from tests.admin.test_views_refusals import COURSE
from tests.admin.views_seed import add_course


def test_the_course_form_has_a_labelled_school_sign_up_box(
    staff_client: AdminClient, db: Database
) -> None:
    page = staff_client.get("/admin/course/create")
    assert page.status_code == 200
    assert 'id="open_to_school_signup"' in page.text
    assert "Open to school sign-up</label>" in page.text


def test_a_course_opened_to_school_sign_up_in_the_admin_is_saved_audited_and_shown(
    staff_client: AdminClient, db: Database
) -> None:
    course_id = add_course(db, "Teacher workshop").id
    form = {**COURSE, "title": "Teacher workshop", "open_to_school_signup": "y", "save": "Save"}

    response = staff_client.submit(f"/admin/course/edit/{course_id}", form)

    assert response.status_code == 200, response.text[-2000:]
    with db.read() as session:
        course = session.get(Course, course_id)
        assert course is not None and course.open_to_school_signup
        changes = [
            entry.changes
            for entry in session.scalars(
                select(AuditEntry).where(t.audit_entries.c.entity_type == "Course")
            )
        ]
    assert any(c.get("open_to_school_signup") == [False, True] for c in changes)
    detail = staff_client.get(f"/admin/course/details/{course_id}").text
    assert "Open to school sign-up" in detail
    assert "open_to_school_signup" not in detail.replace('id="open_to_school_signup"', "")
