"""What people type into sign-up forms is cleaned or refused with a clear message."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.rules.contact_details import clean_line, normalise_email, split_name


def test_email_is_stripped_and_lower_cased() -> None:
    assert normalise_email("  Ana.Lopez@Example.ORG ") == "ana.lopez@example.org"


@pytest.mark.parametrize("raw", ["", "ana", "ana@", "ana@example", "a b@example.org", "@x.org"])
def test_something_that_is_not_an_email_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_email(raw)
    assert caught.value.field == "email"


def test_line_with_control_characters_is_refused() -> None:
    with pytest.raises(ValidationError, match="characters we cannot store"):
        clean_line("Ana\x00", field="first_name", label="Your first name", max_length=100)


def test_required_line_may_not_be_blank() -> None:
    with pytest.raises(ValidationError, match="Please enter your first name"):
        clean_line(
            "   ", field="first_name", label="Your first name", max_length=100, required=True
        )


def test_line_longer_than_its_column_is_refused() -> None:
    with pytest.raises(ValidationError, match="at most 5 characters"):
        clean_line("abcdef", field="x", label="Code", max_length=5)


def test_participant_name_splits_into_first_and_last() -> None:
    assert split_name(" Ana  Maria Lopez ") == ("Ana", "Maria Lopez")
    assert split_name("Cher") == ("Cher", "")
