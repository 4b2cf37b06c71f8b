"""What every admin page carries: its own title, breadcrumbs, a 404 inside the layout,
export buttons that say "Excel" (issue 12, point 9)."""

from __future__ import annotations

import html
import re

import pytest

from domain.db.database import Database
from tests.admin.a3_factories import add_course, add_registration, add_session, add_student
from tests.admin.conftest import AdminClient

LISTS = {
    "school": "Schools",
    "contact-log": "Contact history",
    "student": "Students",
    "course": "Courses",
    "course-slot": "Slots",
    "price": "Prices",
    "class-session": "Sessions",
    "registration": "Registrations",
    "attendance": "Attendance",
    "waitlist-entry": "Waitlists",
    "outgoing-email": "Outgoing emails",
    "audit-entry": "Audit log",
}


def title_of(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found, "the page has no <title>"
    return html.unescape(" ".join(found.group(1).split()))


def breadcrumbs_of(page: str) -> list[str]:
    found = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', page, re.S)
    assert found, "the page has no breadcrumbs"
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', found.group(0), re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", "", item).split())) for item in items]


@pytest.fixture
def seeded(db: Database) -> dict[str, int]:
    course = add_course(db, "Contemporary Technique")
    student = add_student(db, "Ada", "Lovelace")
    session = add_session(db, course)
    registration = add_registration(db, student_id=student, course_id=course)
    return {"course": course, "student": student, "session": session, "reg": registration}


def test_every_list_is_titled_by_what_it_lists(staff_client: AdminClient) -> None:
    for identity, plural in LISTS.items():
        page = staff_client.get(f"/admin/{identity}/list")
        assert page.status_code == 200, identity
        assert title_of(page.text) == f"{plural} · Rollbook", identity


def test_staff_only_lists_are_titled_too(superuser_client: AdminClient) -> None:
    page = superuser_client.get("/admin/staff-user/list")
    assert title_of(page.text) == "Staff users · Rollbook"


def test_the_other_pages_say_which_page_they_are(
    staff_client: AdminClient, superuser_client: AdminClient, seeded: dict[str, int]
) -> None:
    course, session = seeded["course"], seeded["session"]
    expected = {
        "/admin/": "Dashboard · Rollbook",
        "/admin/calendar/": "Calendar · Rollbook",
        "/admin/mailbox/": "Mailbox · Rollbook",
        "/admin/account/password": "My password · Rollbook",
        f"/admin/courses/{course}/rollcall/": "Roll call: Contemporary Technique · Rollbook",
        f"/admin/sessions/{session}/rollcall/": "Roll call: Contemporary Technique · Rollbook",
        f"/admin/actions/register-student/?pks={course}": "Register a student · Rollbook",
        f"/admin/course/details/{course}": "Contemporary Technique · Courses · Rollbook",
        f"/admin/course/edit/{course}": "Edit Contemporary Technique · Rollbook",
        f"/admin/student/details/{seeded['student']}": "Ada Lovelace · Students · Rollbook",
        "/admin/school/create": "New School · Rollbook",
    }
    for url, title in expected.items():
        page = staff_client.get(url)
        assert page.status_code == 200, url
        assert title_of(page.text) == title, url
    assert title_of(superuser_client.get("/admin/settings/").text) == "Settings · Rollbook"


def test_the_sign_in_page_is_titled(anonymous_client: AdminClient) -> None:
    assert title_of(anonymous_client.get("/admin/login").text) == "Sign in · Rollbook"


def test_detail_and_edit_pages_lead_back_to_their_list(
    staff_client: AdminClient, seeded: dict[str, int]
) -> None:
    course = seeded["course"]
    details = staff_client.get(f"/admin/course/details/{course}").text
    assert breadcrumbs_of(details) == ["Courses", "Contemporary Technique"]
    assert 'href="http://testserver/admin/course/list"' in details

    edit = staff_client.get(f"/admin/student/edit/{seeded['student']}").text
    assert breadcrumbs_of(edit) == ["Students", "Ada Lovelace", "Edit"]
    assert f'href="http://testserver/admin/student/details/{seeded["student"]}"' in edit

    registration = staff_client.get(f"/admin/registration/details/{seeded['reg']}").text
    assert breadcrumbs_of(registration) == [
        "Registrations",
        "Ada Lovelace — Contemporary Technique",
    ]

    create = staff_client.get("/admin/school/create").text
    assert breadcrumbs_of(create) == ["Schools", "New School"]


def test_an_unknown_admin_page_keeps_the_menu_and_leads_to_the_dashboard(
    staff_client: AdminClient,
) -> None:
    page = staff_client.get("/admin/no-such-page")
    assert page.status_code == 404
    assert title_of(page.text) == "Page not found · Rollbook"
    assert 'id="navbar-menu"' in page.text and ">Registrations<" in page.text.replace("\n", "")
    assert 'id="error-home" href="http://testserver/admin/"' in page.text
    assert "Sign out" in page.text


def test_a_missing_row_is_a_404_with_the_menu(staff_client: AdminClient) -> None:
    page = staff_client.get("/admin/course/details/999999")
    assert page.status_code == 404
    assert "Page not found" in page.text and 'id="navbar-menu"' in page.text


def test_before_sign_in_a_404_shows_no_menu(anonymous_client: AdminClient) -> None:
    page = anonymous_client.get("/admin/no-such-page", follow_redirects=False)
    assert page.status_code == 404
    assert 'id="navbar-menu"' not in page.text
    assert "Page not found" in page.text and "Sign out" not in page.text


def test_every_export_button_says_excel(
    staff_client: AdminClient, superuser_client: AdminClient, seeded: dict[str, int]
) -> None:
    for identity in LISTS:
        page = staff_client.get(f"/admin/{identity}/list").text
        if 'id="export-xlsx"' in page:
            button = re.search(r'id="export-xlsx">\s*(.*?)\s*</a>', page, re.S)
            assert button and button.group(1) == "Export to Excel", identity
        assert ">Export<" not in page.replace(" ", "").replace("\n", ""), identity
    staff_list = superuser_client.get("/admin/staff-user/list").text
    assert re.search(r'id="export-xlsx">\s*Export to Excel\s*</a>', staff_list)

    course = staff_client.get(f"/admin/course/details/{seeded['course']}").text
    for label in (
        "Export the attendance sheet to Excel",
        "Export registrations to Excel",
        "Export the waitlist to Excel",
    ):
        assert label in course
    assert "(Excel)" not in course
