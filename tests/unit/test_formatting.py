"""The one formatting module: labels, money, local times and payment badges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from domain import formatting
from domain.enums import (
    AttendanceStatus,
    CourseKind,
    DifficultyLevel,
    PaymentMethod,
    PaymentStatus,
    PricingType,
    RegistrationSource,
    StudentType,
    WaitlistStatus,
)
from domain.errors import SettingError
from domain.rules.settings import DEFAULTS, parse_setting


@pytest.mark.parametrize(
    "enum",
    [
        CourseKind,
        StudentType,
        DifficultyLevel,
        PricingType,
        PaymentStatus,
        PaymentMethod,
        RegistrationSource,
        AttendanceStatus,
        WaitlistStatus,
    ],
)
def test_every_enum_value_has_a_label_without_underscores(enum: type) -> None:
    for member in enum:  # type: ignore[attr-defined]
        text = formatting.label(member.value)
        assert "_" not in text
        assert text[0].isupper()
        assert member.value in formatting.LABELS


def test_labels_read_as_the_issue_names_them() -> None:
    assert formatting.label("full_package") == "Full course"
    assert formatting.label("drop_in") == "Drop-in"
    assert formatting.label("not_required") == "Not required"
    assert formatting.label("completed") == "Paid"


def test_an_unknown_value_still_reads_as_words() -> None:
    assert formatting.label("some_new_kind") == "Some new kind"
    assert formatting.label("StaffUser") == "Staff user"
    assert formatting.label(None) == ""


def test_money_has_the_currency_symbol_and_thousands_separators() -> None:
    assert formatting.money(Decimal("4110")) == "$4,110.00"
    assert formatting.money(Decimal("15.5"), "USD") == "$15.50"
    assert formatting.money(Decimal("1234567.891"), "EUR") == "€1,234,567.89"
    assert formatting.money(Decimal("-5"), "GBP") == "-£5.00"
    assert formatting.money(None) == ""


def test_currency_setting_defaults_to_us_dollars_and_refuses_unknown_codes() -> None:
    assert DEFAULTS.currency == "USD"
    assert parse_setting("currency", " eur ") == "EUR"
    with pytest.raises(SettingError, match="Currency must be one of"):
        parse_setting("currency", "dollars")


def test_local_datetime_is_in_the_zone_to_the_minute_without_zone_name() -> None:
    moment = datetime(2026, 11, 29, 12, 19, 26, 210823, tzinfo=UTC)
    text = formatting.local_datetime(moment, "America/New_York")
    assert text == "Sun 29 Nov 2026, 07:19"
    assert "UTC" not in text and "+00:00" not in text and ":26" not in text


def test_dates_and_times_of_day_have_one_format() -> None:
    assert formatting.local_date(date(2026, 12, 5)) == "Sat 5 Dec 2026"
    assert formatting.clock_time(time(19, 0, 0)) == "19:00"


@dataclass
class _Registration:
    payment_status: str
    cancelled_at: datetime | None = None


def test_a_cancelled_registration_shows_cancelled_whatever_its_payment_status() -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for status in PaymentStatus:
        assert formatting.payment_badge(_Registration(status, moment)) == ("Cancelled", "red")


def test_payment_badges_have_a_label_and_a_colour() -> None:
    assert formatting.payment_badge(_Registration("pending")) == ("Pending", "yellow")
    assert formatting.payment_badge(_Registration("completed")) == ("Paid", "green")


def test_audit_actions_read_as_phrases() -> None:
    # Whole sentences are domain/audit_sentences.py (tests/unit/test_audit_sentences.py).
    assert formatting.action_text("staff.sign_in") == "signed in"
    assert "_" not in formatting.action_text("something.brand_new")


def test_durations_read_in_hours_or_minutes() -> None:
    assert formatting.duration(timedelta(hours=1)) == "1 hour"
    assert formatting.duration(timedelta(hours=24)) == "24 hours"
    assert formatting.duration(timedelta(minutes=90)) == "90 minutes"
