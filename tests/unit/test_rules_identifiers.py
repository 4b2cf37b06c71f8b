"""Row ids and storable text: what may reach a PostgreSQL ``integer`` or ``text`` column."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.rules.identifiers import ID_PATTERN, MAX_ID, is_storable, parse_id


@pytest.mark.parametrize("text", ["1", "42", "2147483647"])
def test_a_whole_number_from_1_to_the_integer_limit_is_an_id(text: str) -> None:
    assert parse_id(text) == int(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "-1",
        "+1",
        " 1",
        "1 ",
        "007",
        "1.0",
        "1e3",
        "abc",
        "2147483648",
        "99999999999999999999",
        "²",  # str.isdigit() says yes, int() refuses
        "١٢",  # Arabic-Indic digits: int() would accept them
    ],
)
def test_anything_else_is_not_an_id(text: str) -> None:
    assert parse_id(text) is None


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_the_id_pattern_matches_exactly_what_parse_id_accepts(number: int) -> None:
    matched = re.fullmatch(f"(?:{ID_PATTERN})", str(number)) is not None
    assert matched == (1 <= number <= MAX_ID) == (parse_id(str(number)) is not None)


@given(st.text(max_size=12))
def test_the_id_pattern_and_parse_id_agree_on_any_text(text: str) -> None:
    assert (re.fullmatch(f"(?:{ID_PATTERN})", text) is not None) == (parse_id(text) is not None)


@pytest.mark.parametrize("text", ["", "Zoë", "محمد", "李", "🎉", "tab\there"])
def test_ordinary_text_in_any_script_is_storable(text: str) -> None:
    assert is_storable(text)


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "lone \ud800 surrogate", "\udfff"])
def test_nul_and_lone_surrogates_are_not_storable(text: str) -> None:
    assert not is_storable(text)
