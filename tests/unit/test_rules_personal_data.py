"""The personal-data rules: when erasure is refused, the placeholder, what names a student,
and the retention cut-off."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.rules.personal_data import (
    ERASED_VALUE,
    ErasureState,
    erased_name,
    erasure_refusal,
    is_erased,
    needles,
    redact,
    retention_cutoff,
    scrub,
    scrub_fields,
)

CLEAR = ErasureState(erased=False, unpaid=0, upcoming=0, in_line=0)


def test_a_student_with_nothing_pending_may_be_erased() -> None:
    assert erasure_refusal(CLEAR) is None


def test_an_unpaid_registration_refuses_erasure_until_cancelled() -> None:
    why = erasure_refusal(ErasureState(erased=False, unpaid=1, upcoming=1, in_line=0))
    assert why == (
        "This student has 1 unpaid registration: cancel it first (or confirm the payment), "
        "then erase."
    )


def test_an_upcoming_registration_refuses_erasure_until_cancelled() -> None:
    why = erasure_refusal(ErasureState(erased=False, unpaid=0, upcoming=2, in_line=0))
    assert (
        why == "This student has 2 registrations for a course not yet over: "
        "cancel them first, then erase."
    )


def test_a_place_in_a_waitlist_refuses_erasure() -> None:
    assert "waits on 1 waitlist" in (
        erasure_refusal(ErasureState(erased=False, unpaid=0, upcoming=0, in_line=1)) or ""
    )


def test_an_erased_student_is_not_erased_twice() -> None:
    why = erasure_refusal(ErasureState(erased=True, unpaid=0, upcoming=0, in_line=0))
    assert why == "This student's personal data is already erased."


def test_an_erased_student_is_called_by_the_placeholder_and_has_no_email() -> None:
    assert erased_name(12) == "Erased student #12"
    assert is_erased(12, "Erased student #12", None)
    assert not is_erased(12, "Erased student #12", "a@example.org")
    assert not is_erased(13, "Erased student #12", None)


def test_names_too_short_to_hunt_for_are_left_out_and_json_escapes_are_added() -> None:
    assert needles("Al", "Zoë", "", None) == ("zoë", "zo\\u00eb")


def test_strings_naming_them_are_replaced_wherever_they_sit_in_the_changes() -> None:
    words = needles("Kit Marlowe")
    changes = {"student": [None, "Kit Marlowe"], "seats": [1, 2], "note": "for kit marlowe"}
    assert scrub(changes, words) == {
        "student": [None, ERASED_VALUE],
        "seats": [1, 2],
        "note": ERASED_VALUE,
    }


def test_personal_fields_lose_their_values_but_keep_their_names() -> None:
    changes = {
        "phone": ["555", "556"],
        "student_type": ["general", "teacher"],
        "email": [None, "x"],
    }
    assert scrub_fields(changes, frozenset({"phone", "email"})) == {
        "phone": [ERASED_VALUE, ERASED_VALUE],
        "student_type": ["general", "teacher"],
        "email": [None, ERASED_VALUE],
    }


def test_redacting_a_note_keeps_the_words_around_the_name() -> None:
    assert redact("Call KIT about Kit's fees", ("kit",)) == (
        f"Call {ERASED_VALUE} about {ERASED_VALUE}'s fees"
    )


def test_retention_off_has_no_cutoff() -> None:
    assert retention_cutoff(datetime(2026, 5, 1, tzinfo=UTC), 0) is None


def test_retention_cutoff_is_that_many_months_back_on_the_last_day_a_short_month_has() -> None:
    now = datetime(2026, 3, 31, 9, 30, tzinfo=UTC)
    assert retention_cutoff(now, 1) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert retention_cutoff(now, 25) == datetime(2024, 2, 29, 9, 30, tzinfo=UTC)
    assert retention_cutoff(now, 3) == datetime(2025, 12, 31, 9, 30, tzinfo=UTC)
