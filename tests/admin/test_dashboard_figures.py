"""The dashboard's figures, computed by ``domain.services.reports`` from known data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentStatus
from domain.services.attendance import mark_attendance
from domain.services.report_charts import recent_months, recent_weeks, signups_per_week
from domain.services.reports import Dashboard, dashboard
from domain.services.settings import ensure_settings, update_setting
from tests.admin.a3_factories import (
    add_contact,
    add_course,
    add_registration,
    add_school,
    add_session,
    add_student,
)

NOW = datetime(2030, 3, 10, 12, 0, tzinfo=UTC)
SCRIPT = Actor.script("tests")


def _figures(db: Database) -> Dashboard:
    with db.read() as session:
        return dashboard(session, now=NOW)


def _programme(db: Database) -> dict[str, int]:
    elm, oak = add_school(db, "Elm High"), add_school(db, "Oak Academy")
    march = add_course(
        db, "March", starts_at=datetime(2030, 3, 20, 18, tzinfo=UTC), slot_capacity=4
    )
    april = add_course(db, "April", starts_at=datetime(2030, 4, 2, 18, tzinfo=UTC))
    early_march = add_course(db, "Early March", starts_at=datetime(2030, 3, 1, 9, tzinfo=UTC))
    add_course(db, "February", starts_at=datetime(2030, 2, 15, 9, tzinfo=UTC))
    people = [add_student(db, f"S{n}", "X", school_id=elm if n % 2 else oak) for n in range(6)]
    base = NOW - timedelta(days=5)
    ids = {}
    specs = [
        ("paid", march, Decimal("50.00"), PaymentStatus.COMPLETED, False),
        ("pending", march, Decimal("50.00"), PaymentStatus.PENDING, False),
        ("refunded", march, Decimal("50.00"), PaymentStatus.REFUNDED, False),
        ("cancelled_pending", april, Decimal("30.00"), PaymentStatus.PENDING, True),
        ("free", april, Decimal("0.00"), PaymentStatus.NOT_REQUIRED, False),
        ("past_paid", early_march, Decimal("20.00"), PaymentStatus.COMPLETED, False),
    ]
    for n, (key, course, amount, status, cancelled) in enumerate(specs):
        ids[key] = add_registration(
            db,
            student_id=people[n],
            course_id=course,
            amount=amount,
            status=status,
            cancelled=cancelled,
            created_at=base + timedelta(hours=n),
        )
    ids.update(march=march, april=april, early_march=early_march, elm=elm)
    held = add_session(db, early_march, date(2030, 3, 1))
    mark_attendance(
        db, session_id=held, marks={ids["past_paid"]: AttendanceStatus.PRESENT}, actor=SCRIPT
    )
    return ids


def test_dashboard_counts_schools_signups_courses_and_trained_participants(db: Database) -> None:
    _programme(db)
    figures = _figures(db)
    assert figures.enrolled_schools == 2
    # Future courses only, seat-holding only: paid + pending (March) and free (April).
    assert figures.pending_signups == 3
    # March and Early March start this month; February and April do not.
    assert figures.courses_this_month == 2
    # The one student present at Early March's only session so far.
    assert figures.participants_trained == 1


def test_revenue_counts_completed_payments_and_pending_excludes_cancelled(db: Database) -> None:
    _programme(db)
    figures = _figures(db)
    assert figures.revenue_confirmed == Decimal("70.00")
    assert figures.payments_pending_count == 1
    assert figures.payments_pending_total == Decimal("50.00")


def test_next_courses_show_seats_taken_of_the_smallest_capacity(db: Database) -> None:
    ids = _programme(db)
    upcoming = _figures(db).upcoming
    assert [c.course_id for c in upcoming] == [ids["march"], ids["april"]]
    march, april = upcoming
    assert (march.seats_taken, march.seats, march.fill_percent) == (2, 4, 50)
    assert (april.seats_taken, april.seats) == (1, 10)


def test_only_the_next_five_courses_are_listed(db: Database) -> None:
    for n in range(7):
        add_course(db, f"Course {n}", starts_at=NOW + timedelta(days=7 - n))
    titles = [c.title for c in _figures(db).upcoming]
    assert titles == ["Course 6", "Course 5", "Course 4", "Course 3", "Course 2"]


def test_recent_activity_lists_the_last_ten_contacts_and_registrations_newest_first(
    db: Database,
) -> None:
    ids = _programme(db)
    for n in range(12):
        add_contact(db, ids["elm"], f"Call {n}", NOW - timedelta(days=12 - n))
    figures = _figures(db)
    assert [c.comment for c in figures.recent_contacts] == [f"Call {n}" for n in range(11, 1, -1)]
    assert figures.recent_contacts[0].school_name == "Elm High"
    recent = figures.recent_registrations
    assert [r.registration_id for r in recent] == [
        ids[k] for k in ("past_paid", "free", "cancelled_pending", "refunded", "pending", "paid")
    ]
    assert recent[2].cancelled is True
    assert recent[0].course_title == "Early March"


def test_an_empty_database_shows_zeros(db: Database) -> None:
    figures = _figures(db)
    assert (figures.enrolled_schools, figures.pending_signups, figures.revenue_confirmed) == (
        0,
        0,
        Decimal("0.00"),
    )
    assert figures.upcoming == [] and figures.recent_registrations == []


def test_times_are_shown_in_the_studio_time_zone(db: Database) -> None:
    ensure_settings(db)
    update_setting(db, "timezone", "America/New_York", actor=SCRIPT)
    add_course(db, "Evening", starts_at=datetime(2030, 3, 20, 18, tzinfo=UTC))
    (course,) = _figures(db).upcoming
    assert (course.starts_at.hour, course.starts_at.utcoffset()) == (14, timedelta(hours=-4))


def test_chart_weeks_are_the_studio_s_weeks_ending_with_this_one() -> None:
    # 10 March 2030 is a Sunday, and the day New York moves its clocks forward.
    weeks = recent_weeks(NOW, "America/New_York")
    assert len(weeks) == 12
    assert [weeks[0].first_day, weeks[-1].first_day] == [date(2029, 12, 17), date(2030, 3, 4)]
    assert weeks[-1].starts == datetime(2030, 3, 4, 5, tzinfo=UTC)
    assert weeks[-1].ends == datetime(2030, 3, 11, 4, tzinfo=UTC)


def test_chart_months_run_across_the_new_year() -> None:
    months = recent_months(datetime(2030, 1, 15, tzinfo=UTC), "UTC")
    assert [m.first_day for m in (months[0], months[-1])] == [date(2029, 2, 1), date(2030, 1, 1)]
    assert months[-1].ends == datetime(2030, 2, 1, tzinfo=UTC)


def test_a_sunday_evening_sign_up_counts_in_the_studio_s_week(db: Database) -> None:
    course = add_course(db, "Late", starts_at=NOW + timedelta(days=3))
    student = add_student(db, "Sun", "Day")
    # Monday 03:00 UTC is still Sunday evening in New York.
    add_registration(
        db, student_id=student, course_id=course, created_at=datetime(2030, 3, 4, 3, tzinfo=UTC)
    )
    with db.read() as session:
        points = signups_per_week(session, now=NOW, timezone="America/New_York")
    assert [p.count for p in points[-2:]] == [1, 0]
    with db.read() as session:
        points = signups_per_week(session, now=NOW, timezone="UTC")
    assert [p.count for p in points[-2:]] == [0, 1]
