"""The dashboard's charts: figures read from each chart's text alternative, against known data."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, update

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentStatus
from tests.admin.a3_factories import (
    add_course,
    add_registration,
    add_session,
    add_student,
)
from tests.admin.conftest import AdminClient


def chart_figures(html: str, key: str) -> dict[str, str]:
    """Row label -> figure, from the hidden table that carries the chart's figures."""
    found = re.search(rf'<table data-chart="{key}">(.*?)</table>', html, re.S)
    assert found, f"no table for the {key} chart"
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', found.group(1))
    return {label.replace("&#39;", "'"): figure for label, figure in rows}


def week_of(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"Week of {monday.day} {monday:%B %Y}"


def month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _registration(db: Database, course: int, name: str, **fields: object) -> int:
    student = add_student(db, name, "Known")
    created = fields.pop("created_at", None)
    reg = add_registration(
        db,
        student_id=student,
        course_id=course,
        status=str(fields.pop("status", PaymentStatus.NOT_REQUIRED)),
        amount=Decimal(str(fields.pop("amount", "0.00"))),
        created_at=created if isinstance(created, datetime) else None,
    )
    if fields:
        with db.engine.begin() as connection:
            connection.execute(
                update(t.registrations).where(t.registrations.c.id == reg).values(**fields)
            )
    return reg


def _mark(db: Database, session_id: int, marks: list[tuple[int, AttendanceStatus]]) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            insert(t.attendance),
            [
                {
                    "session_id": session_id,
                    "registration_id": reg,
                    "status": status,
                    "marked_at": utcnow(),
                }
                for reg, status in marks
            ],
        )


def test_each_chart_shows_the_figures_of_known_data(
    db: Database, staff_client: AdminClient
) -> None:
    now = utcnow()
    today = now.date()
    past = add_course(db, "Past Course", starts_at=now - timedelta(days=40))
    coming = add_course(
        db, "Salsa Nights", starts_at=now + timedelta(days=3), capacity=20, slot_capacity=4
    )
    # Sign-ups: three this week (the ones below), one a week ago, two three weeks ago.
    a = _registration(
        db, past, "Ann", status=PaymentStatus.COMPLETED, amount="1234.50", payment_confirmed_at=now
    )
    b = _registration(
        db,
        past,
        "Ben",
        created_at=now - timedelta(weeks=1),
        status=PaymentStatus.COMPLETED,
        amount="100.00",
        payment_confirmed_at=datetime.combine(
            month_before(today), datetime.min.time(), tzinfo=now.tzinfo
        )
        + timedelta(days=2, hours=12),
    )
    c = _registration(
        db,
        past,
        "Cal",
        created_at=now - timedelta(weeks=3),
        status=PaymentStatus.REFUNDED,
        amount="999.00",
        payment_confirmed_at=now,
        refunded_at=now,
    )
    _registration(db, past, "Dee", created_at=now - timedelta(weeks=3))
    # Fill: three of the four seats of Salsa Nights are held; a cancelled one holds none.
    for name in ("Eve", "Fay", "Gus"):
        _registration(db, coming, name)
    _registration(db, coming, "Hal", cancelled_at=now, created_at=now - timedelta(weeks=20))
    # Attendance: two of three marks attended this week, one of one last week.
    this_week = add_session(db, past, today - timedelta(days=today.weekday()))
    last_week = add_session(db, past, today - timedelta(days=today.weekday() + 7))
    _mark(
        db,
        this_week,
        [(a, AttendanceStatus.PRESENT), (b, AttendanceStatus.LATE), (c, AttendanceStatus.ABSENT)],
    )
    _mark(db, last_week, [(a, AttendanceStatus.PRESENT)])

    html = staff_client.get("/admin/").text

    signups = chart_figures(html, "signups")
    assert len(signups) == 12
    assert signups[week_of(today)] == "4"  # Ann, Eve, Fay, Gus
    assert signups[week_of(today - timedelta(weeks=1))] == "1"
    assert signups[week_of(today - timedelta(weeks=3))] == "2"
    assert signups[week_of(today - timedelta(weeks=2))] == "0"
    assert "7 in all, 4 this week." in html  # Hal signed up 20 weeks ago, out of range

    revenue = chart_figures(html, "revenue")
    assert len(revenue) == 12
    assert revenue[f"{today:%B %Y}"] == "$1,234.50"  # the refund is not revenue
    assert revenue[f"{month_before(today):%B %Y}"] == "$100.00"
    assert "$1,334.50 in all." in html

    starts = now + timedelta(days=3)
    fill = chart_figures(html, "fill")
    assert fill == {f"Salsa Nights, {starts.day} {starts:%b %Y}": "75% (3 of 4 seats)"}

    attendance = chart_figures(html, "attendance")
    assert attendance[week_of(today)] == "67% (2 of 3)"
    assert attendance[week_of(today - timedelta(weeks=1))] == "100% (1 of 1)"
    assert attendance[week_of(today - timedelta(weeks=2))] == "No marks"
    assert "75% overall" in html
    # A week without a mark is drawn as a dash, not as a 0% bar.
    drawn = re.search(r'id="chart-attendance">.*?</svg>', html, re.S)
    assert drawn and drawn.group(0).count('class="chart-missing"') == 10


def test_charts_are_inline_svg_with_a_title_and_description_and_no_outside_asset(
    staff_client: AdminClient,
) -> None:
    html = staff_client.get("/admin/").text
    for key in ("signups", "revenue", "attendance"):
        svg = re.search(
            rf'<div class="card dashboard-chart" id="chart-{key}">.*?</svg>', html, re.S
        )
        assert svg, key
        assert 'role="img"' in svg.group(0)
        assert f'<title id="chart-{key}-title">' in svg.group(0)
        assert f'<desc id="chart-{key}-desc">' in svg.group(0)
    # The admin CSP allows no inline style and no other host: the charts use neither.
    charts = html[html.index('id="figures-heading"') : html.index('id="upcoming-heading"')]
    assert 'style="' not in charts and "<style" not in charts
    assert "http://" not in charts and "https://" not in charts
    assert "<script" not in charts and "<img" not in charts


def test_a_studio_without_schools_sees_seats_taken_instead_of_enrolled_schools(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Tango", starts_at=utcnow() + timedelta(days=5), capacity=8)
    _registration(db, course, "Ivy")
    html = staff_client.get("/admin/").text
    assert 'data-figure="enrolled-schools"' not in html
    assert re.search(r'data-figure="seats-taken">1 of 8<', html)


def test_money_figures_have_thousands_separators(db: Database, staff_client: AdminClient) -> None:
    course = add_course(db, "Big Course", starts_at=utcnow() + timedelta(days=5), capacity=8)
    _registration(
        db,
        course,
        "Jo",
        status=PaymentStatus.COMPLETED,
        amount="4110.00",
        payment_confirmed_at=utcnow(),
    )
    _registration(db, course, "Kit", status=PaymentStatus.PENDING, amount="1500.00")
    html = staff_client.get("/admin/").text
    assert re.search(r'data-figure="revenue-confirmed">\$4,110\.00<', html)
    assert re.search(r'data-figure="payments-pending">\$1,500\.00<', html)
    assert "1 registration awaiting payment" in html
