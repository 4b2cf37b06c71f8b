"""The stored copy of a sent email keeps no working link (tokens live only as hashes)."""

from __future__ import annotations

import secrets

from domain.outbox import REDACTED_TOKEN, redact_link_tokens

TOKEN = secrets.token_urlsafe(32)


def test_a_token_in_a_link_path_is_replaced_and_the_rest_of_the_address_kept() -> None:
    text = f"Claim your seat: https://dance.example.org/offers/{TOKEN}/claim\nThanks"

    redacted = redact_link_tokens(text)

    assert TOKEN not in redacted
    assert redacted == (
        f"Claim your seat: https://dance.example.org/offers/{REDACTED_TOKEN}/claim\nThanks"
    )


def test_every_token_in_an_html_body_is_replaced_in_href_and_text() -> None:
    other = secrets.token_urlsafe(32)
    html = (
        f'<p><a href="https://x.example/registrations/{TOKEN}">View</a></p>'
        f"<p>https://x.example/registrations/cancel/{other}</p>"
        f'<a href="http://x.example/profile/{other}?next=1">Profile</a>'
    )

    redacted = redact_link_tokens(html)

    assert TOKEN not in redacted and other not in redacted
    assert f'href="https://x.example/registrations/{REDACTED_TOKEN}"' in redacted
    assert f"https://x.example/registrations/cancel/{REDACTED_TOKEN}</p>" in redacted
    assert f'href="http://x.example/profile/{REDACTED_TOKEN}?next=1"' in redacted


def test_a_token_in_a_query_value_is_replaced() -> None:
    redacted = redact_link_tokens(f"https://x.example/view?token={TOKEN}&lang=en")

    assert redacted == f"https://x.example/view?token={REDACTED_TOKEN}&lang=en"


def test_text_without_tokens_is_left_exactly_as_it_was() -> None:
    text = (
        "Hello Ana,\n\nPay with Venmo: https://venmo.com/?txn=pay&recipients=studio"
        "&note=Salsa%20Basics%20%2312\nCourse 12, seat 3. "
        "A_long_word_outside_any_address_that_is_longer_than_forty_three_chars."
    )

    assert redact_link_tokens(text) == text


def test_redacting_twice_changes_nothing_more() -> None:
    once = redact_link_tokens(f"https://x.example/offers/{TOKEN}/decline")

    assert redact_link_tokens(once) == once
