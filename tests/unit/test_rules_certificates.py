"""Certificates' rules: the hours a roll call gives, who qualifies, the codes."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from domain import formatting
from domain.rules.certificates import (
    CODE_LENGTH,
    certificate_refusal,
    hours_attended,
    new_code,
    session_hours,
    shown_code,
    typed_code,
)


def test_a_session_counts_for_its_own_length() -> None:
    assert session_hours(time(18), time(19, 30)) == Decimal("1.50")
    assert session_hours(time(18), time(19, 15)) == Decimal("1.25")
    assert session_hours(time(18), None) == Decimal("0.00")


def test_hours_attended_add_up_the_sessions_lengths() -> None:
    sessions = [(time(18), time(19, 30)), (time(18), time(20)), (time(18), time(19))]
    assert hours_attended(sessions) == Decimal("4.50")
    assert formatting.hours(hours_attended(sessions)) == "4.5 hours"
    assert formatting.hours(Decimal("1.00")) == "1 hour"
    assert formatting.hours(Decimal("5.75")) == "5.75 hours"


def test_below_the_threshold_is_refused_with_the_figures() -> None:
    refusal = certificate_refusal(
        cancelled=False, refunded=False, attended=2, held=4, threshold_percent=75
    )
    assert refusal is not None and "Attended 2 of 4" in refusal and "75%" in refusal
    assert (
        certificate_refusal(
            cancelled=False, refunded=False, attended=3, held=4, threshold_percent=75
        )
        is None
    )


def test_a_cancelled_or_refunded_registration_or_none_held_is_refused() -> None:
    base = {"attended": 4, "held": 4, "threshold_percent": 75}
    assert certificate_refusal(cancelled=True, refunded=False, **base)
    assert certificate_refusal(cancelled=False, refunded=True, **base)
    assert certificate_refusal(
        cancelled=False, refunded=False, attended=0, held=0, threshold_percent=75
    )


def test_codes_are_random_100_bit_strings_read_back_however_typed() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) == CODE_LENGTH and set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    shown = shown_code(code)
    assert shown.count("-") == 4
    assert typed_code(shown.lower()) == code
    assert typed_code(shown.replace("-", " ")) == code
    assert typed_code("' OR 1=1 --") == ""
    assert len(typed_code("A" * 1000)) == CODE_LENGTH + 1
