"""The crashes the abuse tests found, pinned down: files and broken multipart bodies are refused."""

from __future__ import annotations

from starlette.testclient import TestClient

from domain.db.database import Database
from tests.abuse.hostile import growth, row_counts
from tests.admin.conftest import AdminClient
from tests.public.factories import csrf_token, make_course, student_form


def test_a_file_where_the_booking_form_expects_text_is_refused_and_nothing_written(
    public_client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    token = csrf_token(public_client, f"/courses/{course_id}")
    fields = {**student_form(), "csrf_token": token}
    del fields["first_name"]
    before = row_counts(db)
    response = public_client.post(
        f"/courses/{course_id}/register",
        data=fields,
        files={"first_name": ("name.txt", b"Maya", "text/plain")},
    )
    assert response.status_code == 400
    assert growth(before, row_counts(db)) == {}


def test_a_file_in_an_admin_form_is_refused_and_nothing_created(
    staff_client: AdminClient, db: Database
) -> None:
    before = row_counts(db)
    response = staff_client.post(
        "/admin/school/create",
        data={"csrf_token": staff_client.csrf_token, "location": "Town", "save": "Save"},
        files={"name": ("name.txt", b"Hill School", "text/plain")},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert growth(before, row_counts(db)) == {}


def test_a_broken_multipart_body_is_refused_by_the_admin_not_a_server_error(
    staff_client: AdminClient, db: Database
) -> None:
    before = row_counts(db)
    response = staff_client.post(
        "/admin/school/create",
        data={"csrf_token": staff_client.csrf_token, "name": "Hill", "A" * 5000: ""},
        files={"save": (None, b"Save")},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert growth(before, row_counts(db)) == {}
