"""What people type into sign-up forms is cleaned or refused with a clear message."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.rules.contact_details import (
    INVISIBLE_CHARACTERS,
    clean_line,
    clean_text,
    normalise_email,
    split_name,
)


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


@pytest.mark.parametrize("char", sorted(INVISIBLE_CHARACTERS))
def test_a_name_with_an_invisible_or_direction_character_is_refused_naming_the_field(
    char: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_line(f"Ana{char}Lopez", field="first_name", label="Your first name", max_length=100)
    assert caught.value.field == "first_name"
    assert str(caught.value).startswith(
        "Your first name contains invisible or text-direction characters"
    )


@pytest.mark.parametrize("name", ["José Ñúñez", "محمد علي", "李小龍", "Zoë O'Brien-Smith"])
def test_names_in_any_script_are_kept(name: str) -> None:
    assert clean_line(name, field="first_name", label="Your first name", max_length=100) == name


def test_an_email_address_with_a_right_to_left_override_is_refused() -> None:
    with pytest.raises(ValidationError, match="The email address contains invisible") as caught:
        normalise_email("ana@exa\u202emple.org", field="contact_email")
    assert caught.value.field == "contact_email"


def test_free_text_with_nul_or_a_lone_surrogate_is_refused() -> None:
    for raw in ("Two years\x00", "Two \ud800 years"):
        with pytest.raises(ValidationError, match="characters we cannot store"):
            clean_text(raw, field="experience", label="Experience")


def test_free_text_keeps_direction_marks() -> None:
    # Someone writing Arabic or Hebrew among Latin text may need them; they are not a name.
    text = "I dance \u200f\u05e9\u05de\u05d7\u200f twice a week"
    assert clean_text(text, field="experience", label="Experience") == text
