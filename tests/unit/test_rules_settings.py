"""Settings have typed defaults; unknown keys and bad values are refused clearly."""

from __future__ import annotations

import pytest

from domain.errors import SettingError
from domain.rules.settings import (
    DESCRIPTIONS,
    GROUPS,
    INPUTS,
    KEYS,
    LABELS,
    Settings,
    format_setting,
    parse_setting,
    settings_from_stored,
    time_zone_names,
)


def test_defaults_match_the_product_rules() -> None:
    settings = Settings()
    assert settings.payment_hold_hours == 72
    assert settings.offer_hours == 48
    assert settings.completion_threshold_percent == 100
    assert settings.automatic_offers is True
    assert settings.registration_open is True
    assert settings.unpaid_bookings_per_address == 4


def test_every_setting_has_a_description() -> None:
    assert set(DESCRIPTIONS) == set(KEYS)
    assert all(DESCRIPTIONS[key] for key in KEYS)


def test_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(SettingError, match="no setting called 'colour'"):
        parse_setting("colour", "blue")


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("payment_hold_hours", "soon", "whole number"),
        ("payment_hold_hours", "-1", "between 0 and"),
        ("offer_hours", "0", "between 1 and"),
        ("unpaid_bookings_per_address", "-1", "between 0 and 1000"),
        ("unpaid_bookings_per_address", "four", "whole number"),
        ("completion_threshold_percent", "101", "between 1 and 100"),
        ("automatic_offers", "maybe", "yes or no"),
        ("timezone", "Mars/Olympus", "time zone"),
        ("venmo_handle", "bad handle!", "letters, digits"),
        ("organisation_name", "two\nlines", "single line"),
    ],
)
def test_bad_setting_values_are_refused_with_a_clear_message(
    key: str, raw: str, message: str
) -> None:
    with pytest.raises(SettingError, match=message) as caught:
        parse_setting(key, raw)
    assert caught.value.field == key


def test_values_round_trip_through_their_stored_text() -> None:
    assert parse_setting("automatic_offers", format_setting(False)) is False
    assert parse_setting("payment_hold_hours", format_setting(0)) == 0
    assert parse_setting("venmo_handle", "@studio-dance") == "studio-dance"


def test_stored_values_override_defaults_and_bad_rows_fall_back() -> None:
    settings = settings_from_stored(
        {"payment_hold_hours": "24", "offer_hours": "garbage", "unknown": "x"}
    )
    assert settings.payment_hold_hours == 24
    assert settings.offer_hours == 48


def test_every_setting_is_in_exactly_one_group_with_a_label_and_an_input() -> None:
    grouped = [key for group in GROUPS for key in group.keys]

    assert sorted(grouped) == sorted(KEYS)
    assert [group.title for group in GROUPS] == [
        "Organisation",
        "Payments",
        "Waitlist",
        "Emails",
        "Attendance",
        "Personal data",
    ]
    assert set(LABELS) == set(INPUTS) == set(DESCRIPTIONS) == set(KEYS)


def test_a_refusal_names_the_setting_by_its_label() -> None:
    with pytest.raises(SettingError) as caught:
        parse_setting("offer_hours", "two days")

    assert str(caught.value) == "Waitlist offer (hours) must be a whole number, not 'two days'"


def test_the_time_zones_offered_are_the_iana_names() -> None:
    zones = time_zone_names()

    assert "Europe/Berlin" in zones and "America/New_York" in zones and "UTC" in zones
    assert zones == sorted(zones)
