"""What every page and email carries: the currency setting, the organisation's contact, the
favicon; and the payment page's hold time and reference."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from starlette.testclient import TestClient

from domain.clock import utcnow
from domain.db.database import Database
from domain.model import Registration
from domain.services.settings import update_setting
from tests.public.factories import (
    STAFF,
    emails,
    make_course,
    register_via_site,
    set_payment_settings,
)

CONTACT = {
    "contact_email": "hello@harbour-dance.example",
    "contact_phone": "+1 555 0100",
    "postal_address": "12 Pier Road, Springfield",
}


def _money_on(text: str) -> list[str]:
    return re.findall(r"(?:\$|€|£|CHF )\s?\d[\d,]*\.\d\d", html.unescape(text))


def test_every_amount_on_the_public_site_uses_the_currency_setting(
    client: TestClient, db: Database
) -> None:
    set_payment_settings(db)
    update_setting(db, "currency", "EUR", actor=STAFF)
    course_id = make_course(db, drop_in_price=Decimal("22.00"), sessions=True)
    booked = register_via_site(client, course_id)
    pages = {
        "catalogue": client.get("/").text,
        "course": client.get(f"/courses/{course_id}").text,
        "payment": client.get(booked.headers["location"]).text,
    }
    for name, text in pages.items():
        amounts = _money_on(text)
        assert amounts, f"no amount on the {name} page"
        assert all(a.startswith("€") for a in amounts), (name, amounts)
    assert "€120.00" in pages["payment"] and "€22.00" in pages["course"]
    assert "Amount due: €120.00" in emails(db)[-1].body_text


def test_the_footer_of_every_page_gives_the_organisation_contact(
    client: TestClient, db: Database
) -> None:
    for key, value in CONTACT.items():
        update_setting(db, key, value, actor=STAFF)
    course_id = make_course(db)
    for path in ("/", f"/courses/{course_id}", "/signup/", "/profile/", "/no-such-page"):
        page = client.get(path).text
        footer = page[page.index("<footer") :]
        assert 'href="mailto:hello@harbour-dance.example"' in footer, path
        assert 'href="tel:+15550100">+1 555 0100</a>' in footer, path
        assert "12 Pier Road, Springfield" in footer, path
        assert "Reply to any email" not in footer


def test_without_a_contact_the_footer_says_to_reply_to_an_email(
    client: TestClient, db: Database
) -> None:
    footer = client.get("/").text.split("<footer", 1)[1]
    assert "Reply to any email we send you" in footer and "mailto:" not in footer


def test_every_email_ends_with_the_organisation_contact(client: TestClient, db: Database) -> None:
    for key, value in CONTACT.items():
        update_setting(db, key, value, actor=STAFF)
    register_via_site(client, make_course(db))
    email = emails(db)[-1]
    assert email.body_text.rstrip().endswith(
        "Rollbook\nEmail: hello@harbour-dance.example\nPhone: +1 555 0100\n"
        "Address: 12 Pier Road, Springfield"
    )
    assert '<a href="mailto:hello@harbour-dance.example">' in email.body_html
    assert "Address: 12 Pier Road, Springfield" in email.body_html


def test_the_favicon_answers_and_every_page_links_it(client: TestClient, db: Database) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg")
    linked = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/").text)
    assert linked and client.get(linked.group(1)).status_code == 200


def test_the_payment_page_says_until_when_the_seat_is_held(
    client: TestClient, db: Database
) -> None:
    set_payment_settings(db)
    update_setting(db, "timezone", "America/New_York", actor=STAFF)
    update_setting(db, "payment_hold_hours", "48", actor=STAFF)
    before = utcnow()
    booked = register_via_site(client, make_course(db))
    page = html.unescape(client.get(booked.headers["location"]).text)

    with db.read() as session:
        hold = session.scalars(select(Registration.hold_expires_at)).one()
    assert hold is not None and timedelta(hours=47) < hold - before < timedelta(hours=49)
    local = hold.astimezone(ZoneInfo("America/New_York"))
    expected = f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
    assert f"We hold your seat until <strong>{expected}</strong>." in page


def test_a_hold_without_end_says_the_seat_waits_for_the_payment(
    client: TestClient, db: Database
) -> None:
    set_payment_settings(db)
    update_setting(db, "payment_hold_hours", "0", actor=STAFF)
    booked = register_via_site(client, make_course(db))
    page = client.get(booked.headers["location"]).text
    assert "We hold your seat until your payment arrives." in page


def test_the_payment_reference_breaks_only_between_words(client: TestClient, db: Database) -> None:
    set_payment_settings(db)
    booked = register_via_site(client, make_course(db, title="Contemporary Technique"))
    page = client.get(booked.headers["location"]).text
    note = re.search(r'<p class="payment-note"><code>(.*?)</code></p>', page)
    assert note
    words = re.findall(r'<span class="nowrap">([^<]*)</span>', note.group(1))
    # Each date one unbreakable piece: "3 Nov \u2013" and "24 Dec 2026", or "3\u201324 Nov 2026".
    dates = words[words.index("Technique") + 1 :]
    one_date = r"\d{1,2}(\u2013\d{1,2})? [A-Z][a-z]{2}( \d{4})?( \u2013)?"
    assert len(dates) in (1, 2) and all(re.fullmatch(one_date, d) for d in dates), words
    # Copied, the note reads exactly as the email gives it.
    emailed = re.search(r"Please add this note to your payment: (.+)", emails(db)[-1].body_text)
    assert emailed and html.unescape(" ".join(words)) == emailed.group(1)
