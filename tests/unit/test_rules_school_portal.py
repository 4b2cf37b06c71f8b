"""What a school's contact may change on "my school": ownership and time, as pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.rules.school_portal import (
    belongs_to_school,
    replacement_refusal,
    school_change_refusal,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _replace(
    *, holds_seat: bool = True, starts_at: datetime = NOW + timedelta(days=1)
) -> str | None:
    return replacement_refusal(
        participant_name="Ada Teacher",
        holds_seat=holds_seat,
        course_title="Teacher training",
        course_starts_at=starts_at,
        now=NOW,
    )


def test_a_contact_sees_only_registrations_made_for_their_school() -> None:
    assert belongs_to_school(7, 7)
    assert not belongs_to_school(8, 7)


def test_a_registration_without_a_school_belongs_to_no_contact() -> None:
    assert not belongs_to_school(None, 7)


def test_participants_may_change_until_the_course_starts() -> None:
    before = school_change_refusal(
        course_title="Teacher training", course_starts_at=NOW + timedelta(minutes=1), now=NOW
    )
    assert before is None


def test_participants_may_not_change_once_the_course_has_started() -> None:
    at_start = school_change_refusal(course_title="Teacher training", course_starts_at=NOW, now=NOW)
    assert at_start is not None
    assert at_start.startswith("Teacher training has already started")


def test_a_seat_holding_participant_may_be_replaced_before_the_start() -> None:
    assert _replace() is None


def test_a_participant_without_a_seat_has_no_place_to_pass_on() -> None:
    refusal = _replace(holds_seat=False)
    assert refusal is not None and "Ada Teacher no longer holds a place" in refusal


def test_a_started_course_refuses_a_replacement_whatever_the_seat() -> None:
    refusal = _replace(starts_at=NOW - timedelta(days=1))
    assert refusal is not None and "has already started" in refusal
