"""Every detail page has one bar of actions at its top, holding exactly the moves the row's
state allows, then Edit; destructive moves and Delete stand apart, in red."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select, update

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import WaitlistStatus
from domain.model import ClassSession, CourseSlot, StaffUser, WaitlistEntry
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import bar, buttons, link_of, red_buttons
from tests.admin.views_seed import (
    add_course,
    add_school,
    add_student,
    add_waitlist,
    mark,
    register,
)

SOON = datetime.now(UTC) + timedelta(days=30)


def _first(db: Database, entity: type, **where: object) -> int:
    with db.read() as session:
        found = session.scalars(select(entity.id).filter_by(**where)).first()  # type: ignore[attr-defined]
        assert found is not None
        return int(found)


def test_a_published_course_not_yet_over_offers_registering_and_unpublishing(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Contemporary Technique", starts_at=SOON, is_published=True)
    page = staff_client.get(f"/admin/course/details/{course.id}").text
    assert buttons(page) == [
        "Register a student",
        "Roll call",
        "Email everyone booked",
        "Generate sessions",
        "Unpublish",
        "Edit",
        "Delete",
    ]
    assert red_buttons(page) == ["Delete"]
    # The first move is the page's main button; the exports sit in the same bar.
    assert 'class="btn btn-primary detail-action">Register a student<' in page
    assert "Export registrations to Excel" in bar(page)
    assert link_of(page, "Roll call").endswith(f"/admin/courses/{course.id}/rollcall/")
    assert link_of(page, "Register a student").endswith(
        f"/admin/actions/register-student/?pks={course.id}"
    )
    assert link_of(page, "Edit").endswith(f"/admin/course/edit/{course.id}")


def test_an_unpublished_course_with_a_waiting_student_and_a_free_seat_offers_publish_and_the_seat(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics", starts_at=SOON, is_published=False)
    add_waitlist(db, add_student(db, "Wendy", email="w@example.org"), course, 1)
    page = staff_client.get(f"/admin/course/details/{course.id}").text
    assert buttons(page) == [
        "Publish",
        "Register a student",
        "Roll call",
        "Email everyone booked",
        "Offer the next seat",
        "Generate sessions",
        "Edit",
        "Delete",
    ]
    assert 'class="btn btn-primary detail-action">Publish<' in page


def test_a_course_that_has_ended_offers_no_registering_nor_new_sessions(
    staff_client: AdminClient, db: Database
) -> None:
    # The seed's courses started in March 2026 and have no end: they are over.
    course = add_course(db, "Last Spring", is_published=True)
    add_waitlist(db, add_student(db, "Wendy", email="w@example.org"), course, 1)
    page = staff_client.get(f"/admin/course/details/{course.id}").text
    assert buttons(page) == ["Roll call", "Email everyone booked", "Unpublish", "Edit", "Delete"]


def test_a_waitlist_entry_next_in_line_with_a_free_seat_may_be_offered_it(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics", starts_at=SOON, capacity=5)
    add_waitlist(db, add_student(db, "Wendy", email="w@example.org"), course, 1)
    add_waitlist(db, add_student(db, "Walt", email="walt@example.org"), course, 2)
    first = _first(db, WaitlistEntry, course_id=course.id, position=1)
    second = _first(db, WaitlistEntry, course_id=course.id, position=2)
    page = staff_client.get(f"/admin/waitlist-entry/details/{first}").text
    # A waitlist entry is changed only through its moves: no Edit, no Delete.
    assert buttons(page) == ["Offer the seat", "Move in line", "Remove from the waitlist"]
    assert red_buttons(page) == ["Remove from the waitlist"]
    assert link_of(page, "Offer the seat").endswith(f"/admin/actions/offer-seat/?pks={first}")
    # The second in line is not offered the seat ahead of the first.
    behind = staff_client.get(f"/admin/waitlist-entry/details/{second}").text
    assert buttons(behind) == ["Move in line", "Remove from the waitlist"]


def test_a_waitlist_entry_that_left_the_line_has_no_moves(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics", starts_at=SOON)
    add_waitlist(db, add_student(db, "Wendy", email="w@example.org"), course, 1)
    entry = _first(db, WaitlistEntry, course_id=course.id)
    with db.write() as session:
        session.execute(
            update(t.waitlist_entries)
            .where(t.waitlist_entries.c.id == entry)
            .values(status=WaitlistStatus.REMOVED.value, position=None)
        )
        session.commit()
    page = staff_client.get(f"/admin/waitlist-entry/details/{entry}").text
    assert buttons(page) == []
    assert "Offer the seat" not in page and "Remove from the waitlist" not in page
    # The way back to the list is still there.
    assert link_of(page, "Back to waitlists").endswith("/admin/waitlist-entry/list")


def test_a_student_with_an_email_may_be_sent_a_profile_link_one_without_may_not(
    staff_client: AdminClient, db: Database
) -> None:
    with_email = add_student(db, "Jamie", last_name="Newcomer", email="jamie@example.org")
    page = staff_client.get(f"/admin/student/details/{with_email.id}").text
    assert buttons(page) == [
        "Register for a course",
        "Classify",
        "Send a profile link",
        "Edit",
        "Erase personal data",
        "Delete",
    ]
    assert link_of(page, "Send a profile link").endswith(
        f"/admin/actions/send-profile-link/?pks={with_email.id}"
    )
    without = add_student(db, "Kim", last_name="Noemail")
    page = staff_client.get(f"/admin/student/details/{without.id}").text
    assert buttons(page) == [
        "Register for a course",
        "Classify",
        "Edit",
        "Erase personal data",
        "Delete",
    ]


def test_a_session_roster_is_emailed_only_when_someone_is_on_it(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics", starts_at=SOON)
    session_id = _first(db, ClassSession, course_id=course.id)
    empty = staff_client.get(f"/admin/class-session/details/{session_id}").text
    # A session to come may be moved or cancelled (tests/admin/test_session_changes.py).
    assert buttons(empty) == [
        "Roll call",
        "Print sign-in sheet",
        "Move or cancel",
        "Edit",
        "Delete",
    ]
    assert link_of(empty, "Roll call").endswith(f"/admin/sessions/{session_id}/rollcall/")
    assert link_of(empty, "Print sign-in sheet").endswith(
        f"/admin/sessions/{session_id}/rollcall/sheet"
    )
    register(db, add_student(db, "Ada", email="ada@example.org"), course)
    booked = staff_client.get(f"/admin/class-session/details/{session_id}").text
    assert buttons(booked) == [
        "Roll call",
        "Print sign-in sheet",
        "Email the roster",
        "Move or cancel",
        "Edit",
        "Delete",
    ]


def test_delete_is_offered_only_when_the_delete_would_be_accepted(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa Basics", starts_at=SOON, is_published=True)
    session_id = _first(db, ClassSession, course_id=course.id)
    assert "Delete" in buttons(staff_client.get(f"/admin/course/details/{course.id}").text)
    registration = register(db, add_student(db, "Ada", email="ada@example.org"), course)
    mark(db, registration)
    # Registrations and attendance are history: neither the course nor the session may go.
    for url in (f"/admin/course/details/{course.id}", f"/admin/class-session/details/{session_id}"):
        page = staff_client.get(url).text
        assert "Delete" not in buttons(page), url
        assert 'id="modal-delete"' not in page, url
        assert "Edit" in buttons(page), url


def test_school_and_slot_pages_have_edit_and_delete_at_the_top_not_in_a_footer(
    staff_client: AdminClient, db: Database
) -> None:
    school = add_school(db, "Hillside Academy")
    course = add_course(db, "Salsa Basics", starts_at=SOON)
    slot = _first(db, CourseSlot, course_id=course.id)
    for url in (f"/admin/school/details/{school.id}", f"/admin/course-slot/details/{slot}"):
        page = staff_client.get(url).text
        assert buttons(page) == ["Edit", "Delete"], url
        assert red_buttons(page) == ["Delete"], url
        # Delete asks first: it opens the confirmation dialog, which sends the DELETE.
        assert 'data-bs-target="#modal-delete"' in bar(page)
        assert 'id="modal-delete"' in page
        # SQLAdmin's footer of buttons is gone: each button is once on the page.
        assert "Go Back" not in page and 'class="card-footer' not in page, url
        assert page.count(">Edit<") == 1 and page.count(">\n              Delete") == 0, url


def test_a_staff_account_offers_its_moves_by_state(
    superuser_client: AdminClient,
    make_staff_user: Callable[..., StaffUser],
) -> None:
    other = make_staff_user("priya")
    page = superuser_client.get(f"/admin/staff-user/details/{other.id}").text
    assert buttons(page) == ["Reset password", "Edit", "Deactivate"]
    assert red_buttons(page) == ["Deactivate"]
    assert link_of(page, "Deactivate").endswith(f"/admin/staff-user/deactivate/{other.id}")
    gone = make_staff_user("former", is_active=False)
    assert buttons(superuser_client.get(f"/admin/staff-user/details/{gone.id}").text) == ["Edit"]
    # No one deactivates themselves.
    me = superuser_client.user
    assert me is not None
    own = superuser_client.get(f"/admin/staff-user/details/{me.id}").text
    assert buttons(own) == ["Reset password", "Edit"]


def test_a_school_page_exports_its_own_sign_ups(staff_client: AdminClient, db: Database) -> None:
    hillside, other = add_school(db, "Hillside Academy"), add_school(db, "Other School")
    course = add_course(db, "Salsa Basics", starts_at=SOON)
    register(
        db,
        add_student(db, "Ada", last_name="Hill", email="ada@example.org"),
        course,
        school=hillside,
    )
    register(
        db,
        add_student(db, "Bo", last_name="Zephyrine", email="bo@example.org"),
        course,
        school=other,
    )
    page = staff_client.get(f"/admin/school/details/{hillside.id}").text
    url = link_of(page, "Export sign-ups to Excel")
    assert url.endswith(f"?school_id={hillside.id}")
    sheet = load_workbook(io.BytesIO(staff_client.get(url).content)).active
    assert sheet is not None
    names = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert "Hill" in names and "Zephyrine" not in names
