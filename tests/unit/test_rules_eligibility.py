"""Rule 2, eligibility, and when the public may book at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.enums import StudentType
from domain.rules.eligibility import ineligibility_reason, is_eligible, public_booking_refusal

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
