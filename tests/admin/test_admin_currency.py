"""Every amount the staff panel writes uses the currency setting, not a dollar sign."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import update

from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.services.settings import update_setting
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.admin.conftest import AdminClient
from tests.admin.test_dashboard_charts import chart_figures

SCRIPT = Actor.script("currency test")


def _in_euros(db: Database) -> None:
    update_setting(db, "currency", "EUR", actor=SCRIPT)


def test_the_dashboards_figures_are_in_the_currency_setting(
    db: Database, staff_client: AdminClient
) -> None:
    _in_euros(db)
    course = add_course(db, "Euro Course", starts_at=utcnow() + timedelta(days=5), capacity=8)
    add_registration(
        db,
        student_id=add_student(db, "Jo", "Paid"),
        course_id=course,
        status=PaymentStatus.COMPLETED,
        amount=Decimal("4110.00"),
    )
    add_registration(
        db,
        student_id=add_student(db, "Kit", "Owing"),
        course_id=course,
        status=PaymentStatus.PENDING,
        amount=Decimal("1500.00"),
    )

    html = staff_client.get("/admin/").text

    assert re.search(r'data-figure="payments-pending">€1,500\.00<', html)
    assert re.search(r'data-figure="revenue-confirmed">€[\d,.]+<', html)
    charts = html[html.index('id="figures-heading"') : html.index('id="upcoming-heading"')]
    assert "$" not in charts


def test_the_revenue_charts_text_alternative_is_in_the_currency_setting(
    db: Database, staff_client: AdminClient
) -> None:
    _in_euros(db)
    course = add_course(db, "Euro Course", starts_at=utcnow() - timedelta(days=1), capacity=8)
    paid = add_registration(
        db,
        student_id=add_student(db, "Jo", "Paid"),
        course_id=course,
        status=PaymentStatus.COMPLETED,
        amount=Decimal("1234.50"),
    )
    with db.engine.begin() as connection:
        connection.execute(
            update(t.registrations)
            .where(t.registrations.c.id == paid)
            .values(payment_confirmed_at=utcnow())
        )

    html = staff_client.get("/admin/").text

    today = utcnow().date()
    figures = chart_figures(html, "revenue")
    assert set(figures.values()) <= {"€0.00", "€1,234.50"}
    desc = re.search(r'<desc id="chart-revenue-desc">([^<]*)</desc>', html)
    assert desc and desc.group(1).endswith("€1,234.50 in all.")
    assert f"{today:%B %Y}" in figures


def test_registering_a_student_tells_the_amount_due_in_the_currency_setting(
    db: Database, staff_client: AdminClient
) -> None:
    _in_euros(db)
    course = add_course(db, "Priced", capacity=5, price=Decimal("120.00"))
    student = add_student(db, "Plain", "Booker", email="plain@example.org")

    from_course = staff_client.submit(
        "/admin/actions/register-student/",
        {
            "pks": str(course),
            "student": "plain@example.org",
            "pricing_type": "full_package",
            "override_reason": "",
        },
    )
    other = add_course(db, "Also Priced", capacity=5, price=Decimal("120.00"))
    from_student = staff_client.submit(
        "/admin/actions/register-for-course/",
        {
            "pks": str(student),
            "course_id": str(other),
            "pricing_type": "full_package",
            "override_reason": "",
        },
    )

    for done in (from_course, from_student):
        assert done.status_code == 200
        assert re.search(r"Registered: registration #\d+, €120\.00 due\.", done.text), done.text
