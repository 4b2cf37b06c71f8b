"""The sessions list: upcoming sessions first, and each roll call's progress ("2 of 3 marked");
the slots list: a weekday's name or a date, never a number (issue 12, point 1)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.actors import Actor
from domain.db.database import Database
from domain.model import Attendance, ClassSession, CourseSlot, Registration
from domain.services.attendance_roster import marks_per_session
from domain.services.settings import update_setting
from tests.admin import a3_factories as a3
from tests.admin.conftest import AdminClient
from tests.admin.test_export import rows, sheet
from tests.admin.views_seed import listed

#: 23:30 on Sunday 29 November in London is already Monday 30 November in Auckland.
NOW = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
STUDIO_TODAY = date(2026, 11, 30)


def add_session(db: Database, course_id: int, day: date, start: time | None = None) -> int:
    with db.write() as session:
        meeting = ClassSession(course_id=course_id, session_date=day, start_time=start)
        session.add(meeting)
        session.commit()
        assert meeting.id is not None
        return meeting.id


@pytest.fixture
def studio_in_auckland(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("admin_site.views.session_list.utcnow", lambda: NOW)
    update_setting(db, "timezone", "Pacific/Auckland", actor=Actor.script("test"))


def test_sessions_list_opens_on_the_studios_today_then_later_ones_then_the_past(
    staff_client: AdminClient, db: Database, studio_in_auckland: None
) -> None:
    course = a3.add_course(db, "Weekly")
    day = timedelta(days=1)
    long_ago = add_session(db, course, STUDIO_TODAY - 30 * day, time(18))
    yesterday_utc = add_session(db, course, STUDIO_TODAY - day, time(18))  # today in London
    next_month = add_session(db, course, STUDIO_TODAY + 30 * day, time(9))
    today_evening = add_session(db, course, STUDIO_TODAY, time(19))
    tomorrow = add_session(db, course, STUDIO_TODAY + day, time(9))
    today_morning = add_session(db, course, STUDIO_TODAY, time(9))
    assert listed(staff_client, "class-session") == [
        today_morning,
        today_evening,
        tomorrow,
        next_month,
        yesterday_utc,
        long_ago,
    ]
    # A column staff sort by still wins (ties by id).
    assert listed(staff_client, "class-session", "?sortBy=session_date&sort=asc") == [
        long_ago,
        yesterday_utc,
        today_evening,
        today_morning,
        tomorrow,
        next_month,
    ]


_ROLL_CALL_LINK = re.compile(
    r'<a class="text-nowrap" href="/admin/sessions/(\d+)/rollcall/" title="([^"]*)">([^<]*)</a>'
)


def _marked_cells(client: AdminClient) -> dict[int, str]:
    """Each session's Marked cell as read aloud ("2 of 3 marked"), after checking its text."""
    page = client.get("/admin/class-session/list").text
    cells = _ROLL_CALL_LINK.findall(page)
    assert all(title == f"{text} marked" for _, title, text in cells)
    return {int(sid): title for sid, title, _ in cells}


def test_sessions_list_says_how_many_of_the_expected_students_are_marked(
    staff_client: AdminClient, db: Database
) -> None:
    course = a3.add_course(db, "Weekly")
    first = add_session(db, course, date(2027, 1, 4), time(18))
    second = add_session(db, course, date(2027, 1, 11), time(18))
    empty = add_session(db, a3.add_course(db, "Nobody yet"), date(2027, 1, 5), time(18))
    registrations = [
        a3.add_registration(db, student_id=a3.add_student(db, f"S{n}"), course_id=course)
        for n in range(3)
    ]
    cancelled = a3.add_registration(
        db, student_id=a3.add_student(db, "Gone"), course_id=course, cancelled=True
    )
    drop_in = a3.add_registration(db, student_id=a3.add_student(db, "Once"), course_id=course)
    with db.write() as session:
        row = session.get(Registration, drop_in)
        assert row is not None
        row.pricing_type = "drop_in"
        row.drop_in_session_id = second
        for registration in [*registrations[:2], cancelled]:
            session.add(
                Attendance(session_id=first, registration_id=registration, status="present")
            )
        session.add(Attendance(session_id=second, registration_id=drop_in, status="present"))
        session.commit()
    cells = _marked_cells(staff_client)
    # Cancelled students are not expected; a drop-in counts at its own session only.
    assert cells == {
        first: "2 of 3 marked",
        second: "1 of 4 marked",
        empty: "0 of 0 marked",
    }
    # The same figures as the course's roll call.
    with db.read() as session:
        figures = marks_per_session(session, course)
    assert {sid: f"{m.marked} of {m.total} marked" for sid, m in figures.items()} == {
        first: cells[first],
        second: cells[second],
    }


def test_slots_list_names_the_weekday_or_the_date_never_a_number(
    staff_client: AdminClient, db: Database
) -> None:
    course = a3.add_course(db, "Weekly")
    with db.write() as session:
        session.add_all(
            [
                CourseSlot(
                    course_id=course,
                    name="Sundays",
                    day_of_week=6,
                    start_time=time(10),
                    end_time=time(11),
                ),
                CourseSlot(
                    course_id=course,
                    name="Gala rehearsal",
                    practice_date=date(2027, 2, 13),
                    start_time=time(10),
                    end_time=time(11),
                ),
            ]
        )
        session.commit()
    page = staff_client.get("/admin/course-slot/list").text
    cells = {
        name: [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in _CELL.findall(row)]
        for row in page.split("<tr>")[2:]
        for name in ("Sundays", "Gala rehearsal")
        if name in row
    }
    assert "Sunday" in cells["Sundays"]
    assert "Sat 13 Feb 2027" in cells["Gala rehearsal"]
    assert "6" not in cells["Sundays"]


_CELL = re.compile(r"<td\b[^>]*>(.*?)</td>", re.S)


def test_the_sessions_export_holds_the_lists_rows_in_its_order(
    staff_client: AdminClient, db: Database, studio_in_auckland: None
) -> None:
    course = a3.add_course(db, "Weekly")
    day = timedelta(days=1)
    past = add_session(db, course, STUDIO_TODAY - day, time(18))
    later = add_session(db, course, STUDIO_TODAY + 7 * day, time(18))
    soon = add_session(db, course, STUDIO_TODAY, time(18))
    assert listed(staff_client, "class-session") == [soon, later, past]
    exported = sheet(staff_client, "/admin/class-session/export/xlsx")
    assert [row["ID"] for row in rows(exported)] == [soon, later, past]
