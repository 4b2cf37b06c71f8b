"""Rule 2, eligibility, and when the public may book at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from domain.enums import PricingType, StudentType
from domain.rules.eligibility import (
    booking_window_refusal,
    ineligibility_reason,
    is_eligible,
    public_booking_refusal,
    session_starts_at,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
CREW = StudentType.CREW_MEMBER


def test_course_without_required_type_is_open_to_everyone() -> None:
    assert is_eligible(
        required_student_type=None, student_type=StudentType.GENERAL, admin_classified=False
    )


def test_required_type_admits_classified_students_of_that_type() -> None:
    assert is_eligible(required_student_type=CREW, student_type=CREW, admin_classified=True)


def test_student_type_counts_only_once_staff_classified_it() -> None:
    assert not is_eligible(required_student_type=CREW, student_type=CREW, admin_classified=False)
    reason = ineligibility_reason(
        required_student_type=CREW, student_type=CREW, admin_classified=False
    )
    assert reason is not None and "not confirmed" in reason


def test_other_student_types_are_refused_with_the_type_named() -> None:
    reason = ineligibility_reason(
        required_student_type=CREW, student_type=StudentType.GENERAL, admin_classified=True
    )
    assert reason == "This course is only for crew members."


def test_eligible_student_gets_no_refusal() -> None:
    assert (
        ineligibility_reason(required_student_type=CREW, student_type=CREW, admin_classified=True)
        is None
    )


def _refusal(**changes: object) -> str | None:
    values: dict[str, object] = {
        "registration_open": True,
        "is_published": True,
        "starts_at": NOW + timedelta(days=1),
        "now": NOW,
    }
    values.update(changes)
    return public_booking_refusal(**values)  # type: ignore[arg-type]


def test_public_may_book_a_published_future_course_while_registration_is_open() -> None:
    assert _refusal() is None


def test_closed_registration_refuses_the_public() -> None:
    assert _refusal(registration_open=False) == (
        "Registration is closed at the moment. Please try again later."
    )


def test_unpublished_course_is_not_bookable_by_the_public() -> None:
    assert _refusal(is_published=False) == "This course is not open for registration."


def test_course_that_has_started_is_not_bookable_by_the_public() -> None:
    assert _refusal(starts_at=NOW) is not None
    assert "already started" in (_refusal(starts_at=NOW - timedelta(hours=1)) or "")


def _window(pricing_type: str, session_starts_at: datetime | None) -> bool:
    refusal = booking_window_refusal(
        pricing_type=pricing_type,
        course_starts_at=NOW - timedelta(weeks=4),
        session_starts_at=session_starts_at,
        now=NOW,
    )
    return refusal is None


def test_full_package_of_a_running_series_is_not_sold_to_the_public() -> None:
    assert not _window(PricingType.FULL_PACKAGE, None)
    refusal = booking_window_refusal(
        pricing_type=PricingType.FULL_PACKAGE,
        course_starts_at=NOW,
        session_starts_at=None,
        now=NOW,
    )
    assert refusal is not None and "full course can no longer be booked" in refusal


def test_full_package_is_sold_until_the_course_starts() -> None:
    refusal = booking_window_refusal(
        pricing_type=PricingType.FULL_PACKAGE,
        course_starts_at=NOW + timedelta(minutes=1),
        session_starts_at=None,
        now=NOW,
    )
    assert refusal is None


def test_drop_in_to_a_future_class_of_a_running_series_is_sold() -> None:
    assert _window(PricingType.DROP_IN, NOW + timedelta(minutes=1))


def test_drop_in_closes_when_its_class_starts() -> None:
    assert not _window(PricingType.DROP_IN, NOW)
    assert not _window(PricingType.DROP_IN, NOW - timedelta(days=7))


def test_drop_in_without_a_chosen_class_is_not_sold() -> None:
    assert not _window(PricingType.DROP_IN, None)


def test_public_refusal_lets_a_drop_in_into_a_started_course() -> None:
    assert (
        _refusal(
            starts_at=NOW - timedelta(weeks=1),
            pricing_type=PricingType.DROP_IN,
            session_starts_at=NOW + timedelta(days=1),
        )
        is None
    )


def test_class_start_is_read_in_the_studio_time_zone() -> None:
    starts = session_starts_at(
        session_date=date(2026, 12, 1), start_time=time(20, 30), timezone="America/New_York"
    )
    assert starts == datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


def test_class_without_a_start_time_counts_from_local_midnight() -> None:
    starts = session_starts_at(
        session_date=date(2026, 12, 1), start_time=None, timezone="America/New_York"
    )
    assert starts == datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
