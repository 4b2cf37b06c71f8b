"""Rule 5, payment: allowed moves, and Venmo / Zelle instructions with a reference note."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from domain.enums import PaymentStatus
from domain.errors import InvalidTransition
from domain.formatting import course_dates
from domain.rules.payment import (
    can_move,
    check_transition,
    note_pieces,
    payment_instructions,
)
from domain.rules.settings import Settings

P = PaymentStatus
SETTINGS = Settings(
    venmo_handle="salsa-studio", zelle_recipient_name="Salsa Studio LLC", zelle_phone="555-0100"
)


def test_pending_payment_may_be_confirmed_or_expire() -> None:
    assert can_move(P.PENDING, P.COMPLETED)
    assert can_move(P.PENDING, P.EXPIRED)


def test_only_a_completed_payment_may_be_refunded() -> None:
    assert can_move(P.COMPLETED, P.REFUNDED)
    with pytest.raises(InvalidTransition, match="nothing to refund"):
        check_transition(P.PENDING, P.REFUNDED)


def test_confirming_twice_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidTransition, match="already confirmed"):
        check_transition(P.COMPLETED, P.COMPLETED)


def test_expired_refunded_and_free_registrations_cannot_be_confirmed() -> None:
    for status in (P.EXPIRED, P.REFUNDED, P.NOT_REQUIRED):
        with pytest.raises(InvalidTransition):
            check_transition(status, P.COMPLETED)


def test_the_notes_course_dates_are_the_sites_dates_in_the_studio_time_zone() -> None:
    # 01:30 UTC on 2 December is 20:30 on 1 December in New York.
    starts = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    ends = datetime(2026, 12, 16, 2, 30, tzinfo=UTC)
    pay = payment_instructions(
        registration_id=42,
        course_title="Salsa Series",
        course_dates=course_dates(starts, ends, "America/New_York"),
        amount=Decimal("120.00"),
        settings=SETTINGS,
    )
    assert pay is not None
    assert pay.note == "Rollbook #42 Salsa Series 1\u201315 Dec 2026"
    # Staff (and issue 16's matching) read the registration from "Rollbook #<id>".
    found = re.match(r"Rollbook #(\d+) ", pay.note)
    assert found and found.group(1) == "42"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", pay.note)


def test_reference_note_names_registration_course_and_dates() -> None:
    pay = payment_instructions(
        registration_id=123,
        course_title="Salsa Series",
        course_dates="5 Jan \u2013 23 Feb 2026",
        amount=Decimal("120.00"),
        settings=SETTINGS,
    )
    assert pay is not None
    assert pay.note == "Rollbook #123 Salsa Series 5 Jan \u2013 23 Feb 2026"


def test_venmo_app_link_pays_the_handle_the_amount_with_the_note() -> None:
    pay = payment_instructions(
        registration_id=123,
        course_title="Salsa & Bachata",
        course_dates="5 Jan 2026",
        amount=Decimal("120"),
        settings=SETTINGS,
    )
    assert pay is not None and pay.venmo_app_url is not None
    parts = urlsplit(pay.venmo_app_url)
    assert (parts.scheme, parts.netloc) == ("venmo", "paycharge")
    query = parse_qs(parts.query)
    assert query == {
        "txn": ["pay"],
        "recipients": ["salsa-studio"],
        "amount": ["120.00"],
        "note": ["Rollbook #123 Salsa & Bachata 5 Jan 2026"],
    }
    # The & in the title is encoded, so it cannot start another parameter.
    assert "%26" in parts.query


def test_venmo_web_link_goes_to_the_handles_page() -> None:
    pay = payment_instructions(
        registration_id=7,
        course_title="Salsa",
        course_dates="5 Jan 2026",
        amount=Decimal("15.5"),
        settings=SETTINGS,
    )
    assert pay is not None and pay.venmo_web_url is not None
    parts = urlsplit(pay.venmo_web_url)
    assert parts.scheme == "https" and parts.netloc == "venmo.com"
    assert parts.path == "/salsa-studio"
    assert parse_qs(parts.query) == {
        "txn": ["pay"],
        "amount": ["15.50"],
        "note": ["Rollbook #7 Salsa 5 Jan 2026"],
    }


def test_zelle_instructions_come_from_settings() -> None:
    pay = payment_instructions(
        registration_id=7,
        course_title="Salsa",
        course_dates="5 Jan 2026",
        amount=Decimal("15"),
        settings=SETTINGS,
    )
    assert pay is not None
    assert (pay.zelle_recipient_name, pay.zelle_phone) == ("Salsa Studio LLC", "555-0100")


def test_no_venmo_links_without_a_venmo_handle() -> None:
    pay = payment_instructions(
        registration_id=7,
        course_title="Salsa",
        course_dates="5 Jan 2026",
        amount=Decimal("15"),
        settings=Settings(zelle_phone="555-0100"),
    )
    assert pay is not None
    assert pay.venmo_app_url is None and pay.venmo_web_url is None
    assert pay.has_zelle and not pay.has_venmo


def test_nothing_due_needs_no_payment_instructions() -> None:
    assert (
        payment_instructions(
            registration_id=7,
            course_title="Salsa",
            course_dates="5 Jan 2026",
            amount=Decimal("0"),
            settings=SETTINGS,
        )
        is None
    )


def test_the_note_breaks_between_words_but_never_inside_a_date() -> None:
    dates = "3 Nov \u2013 24 Dec 2026"
    note = f"Rollbook #12 Contemporary  Technique {dates}"
    assert note_pieces(" ".join(note.split()), dates) == (
        "Rollbook",
        "#12",
        "Contemporary",
        "Technique",
        "3 Nov \u2013",
        "24 Dec 2026",
    )
    assert note_pieces("Rollbook #7 Salsa 3\u201324 Nov 2026", "3\u201324 Nov 2026") == (
        "Rollbook",
        "#7",
        "Salsa",
        "3\u201324 Nov 2026",
    )
    # A note cut at its length limit no longer ends with the dates: words only.
    assert note_pieces("Rollbook #7 Salsa 3 Nov", dates) == ("Rollbook", "#7", "Salsa", "3", "Nov")
