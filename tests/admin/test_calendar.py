"""The sessions calendar: a week and a month of class sessions, each opening its roll call."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import insert, update

from domain.db import tables as t
from domain.db.database import Database
from domain.model import ClassSession, Course, Setting
from tests.admin.conftest import AdminClient
from tests.admin.test_query_counts import page_costs
from tests.admin.views_seed import add_course, add_student, register

# 03:00 UTC on Tuesday 3 March is still Monday 2 March in New York.
NOW = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("admin_site.pages.calendar.utcnow", lambda: NOW)


def add_session(db: Database, course: Course, day: date, start: int, location: str = "") -> int:
    with db.write() as session:
        meeting = ClassSession(
            course_id=course.id, session_date=day, start_time=time(start), location=location
        )
        session.add(meeting)
        session.commit()
        assert meeting.id is not None
        return meeting.id


@pytest.fixture
def programme(db: Database) -> dict[str, int]:
    """Salsa on Monday 2 and Wednesday 4 March (3 booked, one more cancelled), Tango on
    Sunday 8 March (1 drop-in) and Monday 9 March (none), in New York."""
    with db.write() as session:
        session.merge(Setting(key="timezone", value="America/New_York"))
        session.commit()
    salsa = add_course(db, "Salsa Basics", location="Main Hall")
    tango = add_course(
        db, "Tango Nights", starts_at=datetime(2026, 3, 8, 23, tzinfo=UTC), location="Annex"
    )
    with db.engine.begin() as connection:
        connection.execute(
            update(t.course_slots)
            .where(t.course_slots.c.course_id == tango.id)
            .values(name="Sunday social")
        )
    wednesday = add_session(db, salsa, date(2026, 3, 4), 19, location="Studio B")
    tango_next = add_session(db, tango, date(2026, 3, 9), 20)
    for n in range(3):
        register(db, add_student(db, f"Dancer{n}", email=f"d{n}@example.org"), salsa)
    gone = register(db, add_student(db, "Gone", email="gone@example.org"), salsa)
    with db.engine.begin() as connection:
        connection.execute(
            update(t.registrations).where(t.registrations.c.id == gone.id).values(cancelled_at=NOW)
        )
        sessions = dict(
            connection.execute(
                t.class_sessions.select().with_only_columns(
                    t.class_sessions.c.session_date, t.class_sessions.c.id
                )
            ).all()
        )
    drop_in = register(db, add_student(db, "Visitor", email="v@example.org"), tango)
    with db.engine.begin() as connection:
        connection.execute(
            update(t.registrations)
            .where(t.registrations.c.id == drop_in.id)
            .values(pricing_type="drop_in", drop_in_session_id=sessions[date(2026, 3, 8)])
        )
    return {
        "salsa_monday": sessions[MONDAY],
        "salsa_wednesday": wednesday,
        "tango_sunday": sessions[date(2026, 3, 8)],
        "tango_monday": tango_next,
    }


def day_html(page: str, day: date, attribute: str = "data-day") -> str:
    """The HTML of one day's box (the week's card or the month's cell)."""
    start = page.index(f'{attribute}="{day.isoformat()}"')
    ends = [page.find(marker, start) for marker in ("</section>", "</td>")]
    return page[start : min(end for end in ends if end != -1)]


def sessions_in(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-session-id="(\d+)"', html)]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_week_shows_each_session_on_its_day_with_course_slot_location_and_booked(
    staff_client: AdminClient, programme: dict[str, int]
) -> None:
    response = staff_client.page("/admin/calendar/?week=2026-W10")
    assert response.status_code == 200
    page = response.text
    assert "2\u20138 March 2026" in page
    assert "<title>" in page
    monday = day_html(page, MONDAY)
    assert sessions_in(monday) == [programme["salsa_monday"]]
    assert "Mon 2 Mar" in text_of(monday)
    assert "18:00" in text_of(monday) and "Salsa Basics" in monday and "Monday" in monday
    assert "Main Hall" in monday
    # Three seat holders; the cancelled registration is not booked.
    assert "3 booked" in text_of(monday)
    wednesday = day_html(page, date(2026, 3, 4))
    assert sessions_in(wednesday) == [programme["salsa_wednesday"]]
    assert "Studio B" in wednesday and "3 booked" in text_of(wednesday)
    sunday = day_html(page, date(2026, 3, 8))
    assert sessions_in(sunday) == [programme["tango_sunday"]]
    assert "Tango Nights" in sunday and "Sunday social" in sunday and "Annex" in sunday
    assert "1 booked" in text_of(sunday)
    for empty in (3, 5, 6, 7):
        assert "No sessions" in day_html(page, date(2026, 3, empty))
    # Monday 9 March is next week's.
    assert programme["tango_monday"] not in sessions_in(page)


def test_each_session_links_to_its_roll_call(
    staff_client: AdminClient, programme: dict[str, int]
) -> None:
    page = staff_client.page("/admin/calendar/?week=2026-W10").text
    session_id = programme["salsa_monday"]
    assert f'href="http://testserver/admin/sessions/{session_id}/rollcall/"' in page
    rollcall = staff_client.page(f"/admin/sessions/{session_id}/rollcall/")
    assert rollcall.status_code == 200 and "Salsa Basics" in rollcall.text


def test_today_is_marked_as_the_date_where_the_studio_is(
    staff_client: AdminClient, programme: dict[str, int]
) -> None:
    page = staff_client.page("/admin/calendar/").text
    # In UTC it is already Tuesday; in New York it is still Monday.
    assert "2\u20138 March 2026" in page
    monday = day_html(page, MONDAY)
    assert 'aria-current="date"' in monday and "Today" in text_of(monday)
    tuesday = day_html(page, date(2026, 3, 3))
    assert 'aria-current="date"' not in tuesday and "Today" not in text_of(tuesday)
    assert page.count('aria-current="date"') == 1


def test_week_navigation_moves_a_week_and_today_comes_back(
    staff_client: AdminClient, programme: dict[str, int]
) -> None:
    page = staff_client.page("/admin/calendar/?week=2026-W11").text
    assert "9\u201315 March 2026" in page
    assert sessions_in(page) == [programme["tango_monday"]]
    assert 'aria-current="date"' not in page
    assert 'data-nav="previous" href="http://testserver/admin/calendar/?week=2026-W10"' in page
    assert 'data-nav="next" href="http://testserver/admin/calendar/?week=2026-W12"' in page
    assert 'data-nav="today" href="http://testserver/admin/calendar/?week=2026-W10"' in page
    assert 'data-nav="month" href="http://testserver/admin/calendar/month?month=2026-03"' in page
    # Across a year's end.
    new_year = staff_client.page("/admin/calendar/?week=2026-W01").text
    assert "29 December 2025 \u2013 4 January 2026" in new_year
    assert "?week=2025-W52" in new_year


def test_month_shows_every_session_of_the_month_on_its_day(
    staff_client: AdminClient, programme: dict[str, int]
) -> None:
    response = staff_client.page("/admin/calendar/month?month=2026-03")
    assert response.status_code == 200
    page = response.text
    assert "March 2026" in page
    grid = page.split('class="cal-month-list')[0]
    assert sessions_in(day_html(grid, MONDAY)) == [programme["salsa_monday"]]
    assert sessions_in(day_html(grid, date(2026, 3, 4))) == [programme["salsa_wednesday"]]
    assert sessions_in(day_html(grid, date(2026, 3, 8))) == [programme["tango_sunday"]]
    assert sessions_in(day_html(grid, date(2026, 3, 9))) == [programme["tango_monday"]]
    assert "3 booked" in text_of(day_html(grid, MONDAY))
    assert 'aria-current="date"' in day_html(grid, MONDAY)
    # The phone's list of days holds the same sessions, today included.
    listing = page.split('class="cal-month-list')[1]
    assert sorted(sessions_in(listing)) == sorted(programme.values())
    assert 'aria-current="date"' in day_html(listing, MONDAY, "data-list-day")
    assert 'data-nav="previous" href="http://testserver/admin/calendar/month?month=2026-02"' in page
    assert 'data-nav="next" href="http://testserver/admin/calendar/month?month=2026-04"' in page
    assert 'data-nav="week" href="http://testserver/admin/calendar/?week=2026-W10"' in page
    april = staff_client.page("/admin/calendar/month?month=2026-04").text
    assert sessions_in(april) == [] and "No sessions this month." in april
    assert "?month=2026-05" in staff_client.page("/admin/calendar/month?month=2026-04").text
    assert "?month=2027-01" in staff_client.page("/admin/calendar/month?month=2026-12").text


@pytest.mark.parametrize(
    "query",
    [
        "week=garbage",
        "week=2026-W54",
        "week=99999-W01",
        "week=0001-W01",
        "week=3001-W05",
        "week=2026-W10&week=x",
    ],
)
def test_a_week_the_calendar_cannot_show_falls_back_to_this_week(
    staff_client: AdminClient, programme: dict[str, int], query: str
) -> None:
    response = staff_client.page(f"/admin/calendar/?{query}")
    assert response.status_code == 200
    assert "2\u20138 March 2026" in response.text
    assert 'id="cal-ignored"' in response.text
    assert "showing the week that holds today" in text_of(response.text)


@pytest.mark.parametrize(
    "query", ["month=garbage", "month=2026-13", "month=99999-01", "month=1899-12", "month=3000-01"]
)
def test_a_month_the_calendar_cannot_show_falls_back_to_this_month(
    staff_client: AdminClient, programme: dict[str, int], query: str
) -> None:
    response = staff_client.page(f"/admin/calendar/month?{query}")
    assert response.status_code == 200
    assert "March 2026" in response.text and 'id="cal-ignored"' in response.text


def test_the_last_month_the_calendar_shows_still_renders(staff_client: AdminClient) -> None:
    response = staff_client.page("/admin/calendar/month?month=2999-12")
    assert response.status_code == 200 and "December 2999" in response.text
    # Its "next" is out of range and falls back rather than failing.
    assert staff_client.page("/admin/calendar/month?month=3000-01").status_code == 200


def test_the_calendar_is_for_staff_only(anonymous_client: AdminClient) -> None:
    for url in ("/admin/calendar/", "/admin/calendar/month"):
        response = anonymous_client.page(url)
        assert response.status_code in (302, 303)
        assert "/admin/login" in response.headers["location"]


def test_the_calendar_is_in_the_menu(staff_client: AdminClient) -> None:
    page = staff_client.page("/admin/").text
    assert 'href="http://testserver/admin/calendar/"' in page


def test_an_empty_week_or_month_is_this_one_without_a_warning(
    staff_client: AdminClient, programme: dict[str, int]
) -> None:
    week = staff_client.page("/admin/calendar/?week=").text
    assert "2\u20138 March 2026" in week and 'id="cal-ignored"' not in week
    month = staff_client.page("/admin/calendar/month?month=").text
    assert "March 2026" in month and 'id="cal-ignored"' not in month


def test_unreadable_query_bytes_are_refused_cleanly(staff_client: AdminClient) -> None:
    # The admin's input guard answers before the calendar: a 400, never a 500.
    response = staff_client.page("/admin/calendar/?week=%00%ff")
    assert response.status_code == 400


def many_sessions(db: Database, count: int, offset: int) -> None:
    """``count`` more courses, each with a session in the week of 2 March and two bookings."""
    numbers = range(offset, offset + count)
    stamps = {"created_at": NOW, "updated_at": NOW}
    with db.engine.begin() as connection:
        for n in numbers:
            course_id = connection.scalar(
                insert(t.courses)
                .values(title=f"Course {n:05d}", starts_at=NOW, **stamps)
                .returning(t.courses.c.id)
            )
            connection.execute(
                insert(t.class_sessions).values(
                    course_id=course_id,
                    session_date=MONDAY + timedelta(days=n % 7),
                    start_time=time(8 + n % 12),
                    location="Hall",
                )
            )
            for k in range(2):
                student_id = connection.scalar(
                    insert(t.students)
                    .values(first_name=f"S{n}-{k}", email=f"s{n}-{k}@example.org", **stamps)
                    .returning(t.students.c.id)
                )
                connection.execute(
                    insert(t.registrations).values(
                        student_id=student_id, course_id=course_id, amount_due=0, **stamps
                    )
                )


def test_calendar_pages_cost_the_same_at_10_and_1000_sessions(
    staff_client: AdminClient, db: Database
) -> None:
    urls = ["/admin/calendar/?week=2026-W10", "/admin/calendar/month?month=2026-03"]
    many_sessions(db, 10, 0)
    small = page_costs(staff_client, db, urls)
    many_sessions(db, 990, 10)
    large = page_costs(staff_client, db, urls)
    assert large == small
    week = staff_client.page(urls[0]).text
    assert len(sessions_in(week)) == 1000 and week.count("2 booked") == 1000
