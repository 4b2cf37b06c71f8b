"""The organisation's contact settings, and the foot every email carries from them."""

from __future__ import annotations

import pytest

from domain.emails.compose import Body, contact_lines, make_email
from domain.errors import SettingError
from domain.rules.settings import GROUPS, Settings, parse_setting


def test_contact_settings_are_empty_by_default_and_grouped_under_organisation() -> None:
    settings = Settings()
    assert (settings.contact_email, settings.contact_phone, settings.postal_address) == ("",) * 3
    organisation = next(group for group in GROUPS if group.title == "Organisation")
    assert {"contact_email", "contact_phone", "postal_address"} <= set(organisation.keys)


def test_a_contact_email_is_stored_trimmed_and_in_lower_case() -> None:
    assert parse_setting("contact_email", "  Hello@Studio.Example ") == "hello@studio.example"
    assert parse_setting("contact_email", "") == ""


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("contact_email", "not an address", "an address such as"),
        ("contact_email", "a@b", "an address such as"),
        ("contact_phone", "555\n0100", "single line"),
        ("postal_address", "x" * 256, "at most 255"),
    ],
)
def test_a_bad_contact_is_refused_with_a_clear_message(key: str, raw: str, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        parse_setting(key, raw)


def test_an_email_ends_with_the_contact_that_is_set() -> None:
    settings = Settings(organisation_name="Harbour Dance", contact_email="hi@harbour.example")
    assert contact_lines(settings) == [("Email", "hi@harbour.example")]
    email = make_email(
        kind="test",
        to_address="ana@example.org",
        to_name="Ana",
        subject="Hello",
        body=Body("Hello Ana,").para("Text."),
        settings=settings,
    )
    assert email.body_text.endswith("Harbour Dance\nEmail: hi@harbour.example\n")
    assert 'Email: <a href="mailto:hi@harbour.example">hi@harbour.example</a>' in email.body_html


def test_contact_text_in_an_email_is_escaped() -> None:
    settings = Settings(postal_address='<script>alert("x")</script> Road')
    email = make_email(
        kind="test",
        to_address="ana@example.org",
        to_name="Ana",
        subject="Hello",
        body=Body("Hello Ana,"),
        settings=settings,
    )
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;" in email.body_html
