"""Every admin list and detail page speaks in words: labels, local times, money with a currency.

Opened over the demo data as a superuser (who sees every view), with the studio
in New York: what a coordinator reads must carry no stored enum value, no
seconds, microseconds or UTC offset, and amounts with "$" and separators.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from domain import formatting
from domain.db import tables as t
from domain.db.database import Database
from domain.demo import load_demo
from domain.enums import PaymentStatus
from tests.admin.conftest import AdminClient

ZONE = "America/New_York"
#: Stored values that must never reach a screen (every enum value of two words and more).
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
RAW_TIMES = {
    "UTC offset": re.compile(r"[+-]\d\d:\d\d\b"),
    "microseconds": re.compile(r"\d\d:\d\d:\d\d\.\d+"),
    "seconds": re.compile(r"\b\d\d:\d\d:\d\d\b"),
    "zone name": re.compile(r"\bUTC\b"),
    "ISO date": re.compile(r"\b\d{4}-\d\d-\d\d\b"),
}


def visible_text(page: str) -> str:
    """What a reader sees: the body's text, without scripts, styles and attributes."""
    page = re.sub(r"(?s)<head>.*?</head>|<script.*?</script>|<style.*?</style>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def demo(db: Database) -> Database:
    load_demo(db)
    with db.write() as session:
        session.execute(update(t.settings).where(t.settings.c.key == "timezone").values(value=ZONE))
        session.commit()
    return db


def admin_pages(client: AdminClient) -> list[str]:
    """Every list page the menu offers, and the first three detail pages of each."""
    menu = client.get("/admin/").text
    lists = sorted(set(re.findall(r'href="http://testserver(/admin/[a-z-]+/list)"', menu)))
    assert len(lists) >= 12, lists
    pages: list[str] = []
    for url in lists:
        listed = client.get(url).text
        details = re.findall(r'href="http://testserver(/admin/[a-z-]+/details/[^"?]+)"', listed)
        pages += [url, *list(dict.fromkeys(details))[:3]]
    return pages


def test_no_page_shows_a_stored_value_or_a_raw_time(
    superuser_client: AdminClient, demo: Database
) -> None:
    problems: list[str] = []
    for url in admin_pages(superuser_client):
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.text)
        # A setting's detail page is headed by its key (SQLAdmin's heading, point 3).
        if "/setting/details/" not in url:
            problems += [f"{url}: {word}" for word in set(SNAKE_CASE.findall(text))]
        problems += [f"{url}: {name}" for name, raw in RAW_TIMES.items() if raw.search(text)]
    assert problems == [], "\n".join(problems)


def test_search_placeholders_name_fields_in_words(
    superuser_client: AdminClient, demo: Database
) -> None:
    registrations = superuser_client.get("/admin/registration/list").text
    assert 'placeholder="Search: first name, last name, email, payment reference"' in (
        registrations
    )
    for url in admin_pages(superuser_client):
        for placeholder in re.findall(r'placeholder="([^"]*)"', superuser_client.get(url).text):
            assert "." not in placeholder and "_" not in placeholder, (url, placeholder)


def test_times_are_the_studios_wall_clock_to_the_minute(
    staff_client: AdminClient, demo: Database
) -> None:
    with demo.read() as session:
        registration_id, created_at = session.execute(
            select(t.registrations.c.id, t.registrations.c.created_at).limit(1)
        ).one()
    page = staff_client.get(f"/admin/registration/details/{registration_id}").text
    expected = formatting.local_datetime(created_at, ZONE)
    assert expected in page
    assert formatting.local_datetime(created_at, "UTC") != expected


def test_money_has_the_currency_symbol_and_thousands_separators(
    staff_client: AdminClient, demo: Database
) -> None:
    with demo.write() as session:
        registration_id = session.scalar(select(t.registrations.c.id).limit(1))
        session.execute(
            update(t.registrations)
            .where(t.registrations.c.id == registration_id)
            .values(amount_due=Decimal("1234.5"))
        )
        session.commit()
    page = staff_client.get(f"/admin/registration/details/{registration_id}").text
    assert "$1,234.50" in page
    listed = staff_client.get("/admin/registration/list?search=&sortBy=amount_due&sort=desc").text
    assert "$1,234.50" in listed


def test_a_cancelled_registration_reads_cancelled_whatever_its_payment_status(
    staff_client: AdminClient, demo: Database
) -> None:
    with demo.write() as session:
        registration_id = session.scalar(
            select(t.registrations.c.id).where(t.registrations.c.cancelled_at.is_(None)).limit(1)
        )
        session.execute(
            update(t.registrations)
            .where(t.registrations.c.id == registration_id)
            .values(
                payment_status=PaymentStatus.PENDING,
                cancelled_at=select(t.registrations.c.created_at)
                .where(t.registrations.c.id == registration_id)
                .scalar_subquery(),
            )
        )
        session.commit()
    page = staff_client.get(f"/admin/registration/details/{registration_id}").text
    assert '<span class="badge bg-red-lt">Cancelled</span>' in page
    assert ">Pending<" not in page


def test_enum_values_and_states_read_as_labels(staff_client: AdminClient, demo: Database) -> None:
    registrations = visible_text(staff_client.get("/admin/registration/list").text)
    assert "Drop-in" in registrations or "Full course" in registrations
    assert (
        '"badge bg-yellow-lt">Pending<'
        in staff_client.get("/admin/registration/list?payment_status=pending").text
    )
    audit = visible_text(staff_client.get("/admin/audit-entry/list").text)
    assert "Loaded the demo data" in audit
