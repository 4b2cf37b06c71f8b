"""Browsing the catalogue at /: soonest first, narrowed by kind, level and words, with
compact cards; the course page's full schedule (both databases)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from starlette.testclient import TestClient

from domain import formatting
from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import CourseKind, DifficultyLevel
from domain.model import Course
from domain.services.registration import StudentDetails, register_student
from domain.services.settings import update_setting
from tests.public.factories import STAFF, make_course

_TITLES = re.compile(r'<h2 class="card-title"><a href="/courses/\d+">([^<]+)</a></h2>')


def _titles(client: TestClient, query: str = "") -> list[str]:
    page = client.get("/" + query)
    assert page.status_code == 200
    return _TITLES.findall(page.text)


def _card(page: str, title: str) -> str:
    for card in page.split('<li class="card course-card">')[1:]:
        if f">{title}</a>" in card:
            return card.split("</li>")[0]
    raise AssertionError(f"no card for {title}")


def test_courses_are_listed_soonest_next_class_first_and_ended_ones_are_hidden(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Later", starts_in=timedelta(days=10))
    make_course(db, title="Sooner", starts_in=timedelta(days=3))
    # Started eight days ago, weekly: its next class is in six days, between the two.
    make_course(
        db,
        title="Running",
        starts_in=timedelta(days=-8),
        weeks=6,
        drop_in_price=Decimal("15.00"),
        sessions=True,
    )
    make_course(db, title="Ended", starts_in=timedelta(days=-60), weeks=2, sessions=True)
    assert _titles(client) == ["Sooner", "Running", "Later"]


def test_a_card_shows_the_next_class_and_the_dates_in_the_one_date_format(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, title="Salsa", starts_in=timedelta(days=5), weeks=4)
    with db.read() as session:
        course = session.get(Course, course_id)
        assert course is not None
        starts_at, ends_at = course.starts_at, course.ends_at
    card = _card(client.get("/").text, "Salsa")
    assert f"Starts {formatting.local_datetime(starts_at, 'UTC')}" in card
    assert formatting.course_dates(starts_at, ends_at, "UTC") in card
    # The one format: "Tue 3 Nov 2026, 18:00", never ISO dates or full day names.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", card)
    assert not re.search(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) ", card)


def test_the_catalogue_is_narrowed_by_kind_and_keeps_the_choice(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Teacher workshop", kind=CourseKind.WORKSHOP)
    make_course(db, title="Salsa series", kind=CourseKind.SERIES)
    assert _titles(client, "?kind=workshop") == ["Teacher workshop"]
    page = client.get("/?kind=workshop").text
    assert '<option value="workshop" selected>Workshop</option>' in page
    assert '<a href="/" class="catalogue-clear">Clear filters</a>' in page
    assert "Clear filters" not in client.get("/").text
    # A kind the catalogue does not know narrows nothing.
    assert sorted(_titles(client, "?kind=ballet")) == ["Salsa series", "Teacher workshop"]


def test_a_level_shows_its_courses_and_those_for_all_levels(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Beginners", level=DifficultyLevel.BEGINNER)
    make_course(db, title="Improvers", level=DifficultyLevel.INTERMEDIATE)
    make_course(db, title="Everyone", level=DifficultyLevel.ALL_LEVELS)
    assert sorted(_titles(client, "?level=beginner")) == ["Beginners", "Everyone"]
    assert (
        '<option value="beginner" selected>Beginner</option>' in client.get("/?level=beginner").text
    )


def test_the_search_box_finds_words_in_title_or_teacher_in_any_case_and_keeps_them(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Bachata Basics")
    make_course(db, title="Tango Nights")
    assert _titles(client, "?q=BACHATA") == ["Bachata Basics"]
    assert sorted(_titles(client, "?q=ana")) == ["Bachata Basics", "Tango Nights"]  # the teacher
    page = client.get("/?q=bachata+basics").text
    assert 'name="q" value="bachata basics"' in page
    assert "1 course matches" in page


def test_nothing_found_says_no_courses_match_with_a_link_to_clear(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Bachata Basics")
    for query in ("?q=flamenco", "?q=%25", "?q=_", "?kind=workshop&q=bachata"):
        page = client.get("/" + query)
        assert page.status_code == 200
        assert "No courses match" in page.text, query
        assert '<a href="/">show all courses</a>' in page.text
        assert "Bachata Basics" not in page.text
    assert "No courses match" not in client.get("/").text


def test_a_card_gives_the_lowest_price_in_the_currency_setting_and_seats_left(
    client: TestClient, db: Database
) -> None:
    update_setting(db, "currency", "EUR", actor=STAFF)
    make_course(db, title="Salsa", capacity=8, drop_in_price=Decimal("22.00"), sessions=True)
    make_course(db, title="Free taster", package_price=Decimal("0.00"))
    page = client.get("/").text
    salsa = _card(page, "Salsa")
    assert "from €22.00" in salsa and "8 seats left" in salsa and "$" not in salsa
    assert "Free" in _card(page, "Free taster")


def test_a_full_course_card_says_full_and_offers_the_waitlist(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, title="Tiny", capacity=1)
    register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="first@example.com", first_name="First"),
        actor=Actor.public("198.51.100.1"),
    )
    card = _card(client.get("/").text, "Tiny")
    assert '<span class="status status-full">Full</span>' in card
    assert f'href="/courses/{course_id}#book">Join waitlist<' in card


def test_only_courses_open_to_school_sign_up_are_marked_so(
    client: TestClient, db: Database
) -> None:
    make_course(db, title="Teacher workshop", school_signup=True)
    make_course(db, title="Salsa series")
    page = client.get("/").text
    assert "Schools can sign up teachers" in _card(page, "Teacher workshop")
    assert "Schools can sign up teachers" not in _card(page, "Salsa series")


def test_the_course_page_lists_every_class_with_date_time_slot_and_place_and_a_book_button(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, title="Salsa", weeks=4, sessions=True)
    with db.read() as session:
        days = sorted(session.scalars(select(t.class_sessions.c.session_date)))
    assert len(days) == 4
    page = client.get(f"/courses/{course_id}").text
    schedule = page.split('<ol class="course-schedule">')[1].split("</ol>")[0]
    assert [formatting.local_date(d) for d in days] == re.findall(
        r'<span class="class-day">([^<]+)</span>', schedule
    )
    assert schedule.count("18:00\u201319:30") == 4
    assert schedule.count("Evening class") == 4 and schedule.count("Studio A") == 4
    assert '<a class="btn btn-primary course-book" href="#book">Book</a>' in page
    assert 'id="book"' in page
