"""Roll call over HTTP: grouped roster, one-tap marks saved as JSON, counts, mark all."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from domain.clock import utcnow
from domain.db.database import Database
from domain.model import Attendance
from tests.admin.a3_factories import RollCallClass, add_course, roll_call_class, sessions_of
from tests.admin.conftest import AdminClient


def _marks(db: Database, session_id: int) -> dict[int, Attendance]:
    with db.read() as s:
        rows = list(s.scalars(select(Attendance).where(Attendance.session_id == session_id)))  # type: ignore[arg-type]
        # Detached before the read's rollback would expire them.
        s.expunge_all()
        return {row.registration_id or 0: row for row in rows}


def _mark(client: AdminClient, session_id: int, registration_id: int, status: str) -> object:
    return client.post(
        f"/admin/sessions/{session_id}/rollcall/mark",
        json={"registration_id": registration_id, "status": status},
        headers=client.csrf_headers(),
    )


def _pressed(html: str, registration_id: int) -> list[str]:
    row = html.split(f'id="student-{registration_id}"', 1)[1].split("</li>", 1)[0]
    return re.findall(r'value="(\w+)"[^>]*\n?\s*aria-pressed="true"', row)


def test_roll_call_groups_students_by_school_with_counts_at_the_top(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    page = staff_client.get(f"/admin/sessions/{klass.session_id}/rollcall/")
    assert page.status_code == 200
    html = page.text
    headings = re.findall(r'class="rollcall-school-name">([^<]+)<', html)
    assert [h.strip() for h in headings] == ["Elm High", "Oak Academy", "No school"]
    assert html.index("Bob Ray") < html.index("Ann Lee") < html.index("Cy Dee")
    assert 'data-count="total">3<' in html and 'data-count="unmarked">3<' in html
    assert 'aria-pressed="true"' not in html
    assert "Mark all present" in html


def test_a_tap_saves_the_mark_with_who_and_when_and_returns_new_counts(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    before = utcnow()
    response = _mark(staff_client, klass.session_id, klass.ann, "late")
    assert response.status_code == 200  # type: ignore[attr-defined]
    data = response.json()  # type: ignore[attr-defined]
    assert data["status"] == "late"
    assert data["counts"] == {"total": 3, "present": 0, "absent": 0, "late": 1, "unmarked": 2}
    row = _marks(db, klass.session_id)[klass.ann]
    assert staff_client.user is not None
    assert row.status == "late" and row.marked_by_id == staff_client.user.id
    assert before - timedelta(seconds=1) <= row.marked_at <= utcnow()
    page = staff_client.get(f"/admin/sessions/{klass.session_id}/rollcall/").text
    assert _pressed(page, klass.ann) == ["late"]


def test_a_second_tap_on_the_same_status_clears_the_mark(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    _mark(staff_client, klass.session_id, klass.bob, "present")
    response = _mark(staff_client, klass.session_id, klass.bob, "")
    assert response.json()["counts"]["unmarked"] == 3  # type: ignore[attr-defined]
    assert klass.bob not in _marks(db, klass.session_id)


def test_marking_without_the_csrf_token_is_refused_and_changes_nothing(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    url = f"/admin/sessions/{klass.session_id}/rollcall/mark"
    refused = staff_client.post(url, json={"registration_id": klass.ann, "status": "present"})
    assert refused.status_code == 403
    assert _marks(db, klass.session_id) == {}
    accepted = _mark(staff_client, klass.session_id, klass.ann, "present")
    assert accepted.status_code == 200  # type: ignore[attr-defined]
    assert _marks(db, klass.session_id)[klass.ann].status == "present"


def test_mark_all_present_marks_only_those_not_yet_marked(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    _mark(staff_client, klass.session_id, klass.bob, "absent")
    url = f"/admin/sessions/{klass.session_id}/rollcall/all-present"
    assert staff_client.post(url, json={}).status_code == 403
    response = staff_client.post(url, json={}, headers=staff_client.csrf_headers())
    assert response.status_code == 200
    data = response.json()
    assert data["changed"] == 2
    assert data["counts"] == {"total": 3, "present": 2, "absent": 1, "late": 0, "unmarked": 0}
    assert data["statuses"][str(klass.bob)] == "absent"
    marks = _marks(db, klass.session_id)
    assert {k: v.status for k, v in marks.items()} == {
        klass.ann: "present",
        klass.bob: "absent",
        klass.cy: "present",
    }


def test_bad_marks_are_refused_with_a_message_and_change_nothing(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    bad_status = _mark(staff_client, klass.session_id, klass.ann, "asleep")
    assert bad_status.status_code == 400  # type: ignore[attr-defined]
    assert "present, absent or late" in bad_status.json()["error"]  # type: ignore[attr-defined]
    stranger = _mark(staff_client, klass.session_id, 9999, "present")
    assert stranger.status_code == 400  # type: ignore[attr-defined]
    assert stranger.json()["error"]  # type: ignore[attr-defined]
    missing = _mark(staff_client, 9999, klass.ann, "present")
    assert missing.status_code == 404  # type: ignore[attr-defined]
    assert _marks(db, klass.session_id) == {}


def test_without_javascript_the_buttons_post_a_form_and_come_back_to_the_student(
    db: Database, staff_client: AdminClient
) -> None:
    klass = roll_call_class(db)
    response = staff_client.submit(
        f"/admin/sessions/{klass.session_id}/rollcall/mark",
        {"registration_id": str(klass.cy), "status": "absent"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/rollcall/#student-{klass.cy}")
    assert _marks(db, klass.session_id)[klass.cy].status == "absent"


def test_a_single_session_course_opens_its_session_roll_call(
    db: Database, staff_client: AdminClient
) -> None:
    klass: RollCallClass = roll_call_class(db)
    response = staff_client.get(
        f"/admin/courses/{klass.course_id}/rollcall/", follow_redirects=False
    )
    assert response.status_code in (302, 303)
    assert response.headers["location"].endswith(f"/admin/sessions/{klass.session_id}/rollcall/")


def test_a_course_without_sessions_creates_them_only_on_post(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Workshop")
    url = f"/admin/courses/{course}/rollcall/"
    page = staff_client.get(url)
    assert page.status_code == 200 and "Create sessions" in page.text
    assert sessions_of(db, course) == []
    assert staff_client.post(url).status_code == 403
    assert sessions_of(db, course) == []
    created = staff_client.submit(url, {}, follow_redirects=False)
    (session_id,) = sessions_of(db, course)
    assert created.headers["location"].endswith(f"/admin/sessions/{session_id}/rollcall/")


def test_roll_call_needs_a_signed_in_user(db: Database, anonymous_client: AdminClient) -> None:
    klass = roll_call_class(db)
    page = anonymous_client.get(
        f"/admin/sessions/{klass.session_id}/rollcall/", follow_redirects=False
    )
    assert page.status_code in (302, 303) and "/admin/login" in page.headers["location"]
    mark = anonymous_client.post(
        f"/admin/sessions/{klass.session_id}/rollcall/mark",
        json={"registration_id": klass.ann, "status": "present"},
        headers=anonymous_client.csrf_headers(),
        follow_redirects=False,
    )
    assert mark.status_code in (302, 303, 401, 403)
    assert _marks(db, klass.session_id) == {}
