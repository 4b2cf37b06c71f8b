"""What a course, slot, price, school or student must hold, refused in a sentence by field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from domain.enums import PricingType
from domain.errors import ValidationError
from domain.rules.records import (
    MAX_CAPACITY,
    check_amount,
    check_capacity,
    check_choice,
    check_contact_entry_fields,
    check_course_fields,
    check_present,
    check_price_fields,
    check_school_fields,
    check_slot_fields,
    check_student_fields,
)

STARTS = datetime(2026, 7, 1, 19, tzinfo=UTC)


def _refusal(check: object, **values: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(**values)  # type: ignore[operator]
    return caught.value


def _course(**changes: object) -> dict[str, object]:
    return {"title": "Salsa", "starts_at": STARTS, "ends_at": STARTS, "capacity": 20, **changes}


def _slot(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "day_of_week": 2,
        "practice_date": None,
        "start_time": time(18),
        "end_time": time(19),
        "capacity": None,
    }
    return {**values, **changes}


def test_a_course_may_end_when_it_starts_but_not_before() -> None:
    check_course_fields(**_course())  # type: ignore[arg-type]
    refused = _refusal(check_course_fields, **_course(ends_at=STARTS.replace(hour=18)))
    assert refused.field == "ends_at"
    assert "cannot end before it starts" in str(refused)


def test_a_course_without_an_end_is_fine() -> None:
    check_course_fields(**_course(ends_at=None))  # type: ignore[arg-type]


def test_a_course_title_needs_more_than_spaces() -> None:
    refused = _refusal(check_course_fields, **_course(title="   "))
    assert (refused.field, str(refused)) == ("title", "Please enter a title.")


@pytest.mark.parametrize("capacity", [-1, MAX_CAPACITY + 1, 2**31])
def test_a_capacity_is_between_zero_and_the_largest_room(capacity: int) -> None:
    refused = _refusal(check_capacity, capacity=capacity)
    assert (refused.field, str(refused)) == (
        "capacity",
        f"The capacity must be between 0 and {MAX_CAPACITY}.",
    )


@pytest.mark.parametrize("capacity", [None, "20", 2.5, True])
def test_a_capacity_is_a_whole_number(capacity: object) -> None:
    assert "whole number" in str(_refusal(check_capacity, capacity=capacity))


def test_zero_seats_is_a_capacity() -> None:
    check_capacity(0)


def test_a_slot_meets_on_a_day_of_the_week_from_monday_to_sunday() -> None:
    for day in range(7):
        check_slot_fields(**_slot(day_of_week=day))  # type: ignore[arg-type]
    refused = _refusal(check_slot_fields, **_slot(day_of_week=7))
    assert refused.field == "day_of_week"


def test_a_slot_is_weekly_or_dated() -> None:
    check_slot_fields(**_slot(day_of_week=None, practice_date=date(2026, 7, 4)))  # type: ignore[arg-type]
    refused = _refusal(check_slot_fields, **_slot(day_of_week=None))
    assert refused.field == "day_of_week"
    assert "day of the week" in str(refused) and "a date" in str(refused)


@pytest.mark.parametrize("end", [time(18), time(17, 59)])
def test_a_slot_ends_after_it_starts(end: time) -> None:
    refused = _refusal(check_slot_fields, **_slot(end_time=end))
    assert (refused.field, str(refused)) == ("end_time", "The slot must end after it starts.")


def test_a_slot_capacity_is_optional_but_not_negative() -> None:
    check_slot_fields(**_slot(capacity=None))  # type: ignore[arg-type]
    assert _refusal(check_slot_fields, **_slot(capacity=-1)).field == "capacity"


@pytest.mark.parametrize("amount", ["0", "0.00", "25.50", Decimal("99999999.99")])
def test_an_amount_fits_the_prices_column(amount: object) -> None:
    check_amount(amount)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-0.01", "cannot be negative"),
        ("100000000", "at most 99,999,999.99"),
        ("NaN", "such as 25.00"),
        ("lots", "such as 25.00"),
        (None, "such as 25.00"),
    ],
)
def test_an_amount_out_of_range_is_refused_in_a_sentence(amount: object, message: str) -> None:
    refused = _refusal(check_amount, amount=amount)
    assert refused.field == "amount" and message in str(refused)


def test_a_school_and_a_student_need_a_name() -> None:
    assert _refusal(check_school_fields, name=" ").field == "name"
    assert _refusal(check_student_fields, first_name="").field == "first_name"
    check_school_fields(name="Hill Academy")
    check_student_fields(first_name="Ada")


def test_names_and_addresses_typed_by_staff_hold_no_invisible_or_direction_characters() -> None:
    assert _refusal(check_school_fields, name="Hill\u202e Academy").field == "name"
    assert _refusal(check_school_fields, name="Hill", location="Main\u200b St").field == "location"
    assert _refusal(check_student_fields, first_name="Ada", phone="555\u2066").field == "phone"
    check_school_fields(name="École Ünïversité", location="Zürich", contact_name="محمد")
    check_student_fields(first_name="Zoë", last_name="李", emergency_contact="Ana +1 555")


def test_a_course_needs_a_start_and_a_kind_from_the_list() -> None:
    assert _refusal(check_course_fields, **_course(starts_at=None)).field == "starts_at"
    refused = _refusal(check_course_fields, **_course(kind="masterclass"))
    assert (refused.field, str(refused)) == (
        "kind",
        "Please choose the kind of course from the list.",
    )


def test_a_course_is_open_to_anyone_or_to_one_known_student_type() -> None:
    check_course_fields(**_course(required_student_type=None))  # type: ignore[arg-type]
    check_course_fields(**_course(required_student_type="crew_member"))  # type: ignore[arg-type]
    refused = _refusal(check_course_fields, **_course(required_student_type="vip"))
    assert refused.field == "required_student_type"


def test_a_slot_needs_its_start_and_end_times_and_a_known_level() -> None:
    assert _refusal(check_slot_fields, **_slot(start_time=None)).field == "start_time"
    assert _refusal(check_slot_fields, **_slot(end_time=None)).field == "end_time"
    assert _refusal(check_slot_fields, **_slot(difficulty_level="expert")).field == (
        "difficulty_level"
    )


def test_a_price_is_for_a_full_package_or_a_drop_in() -> None:
    check_price_fields(pricing_type="drop_in", amount="12.00")
    refused = _refusal(check_price_fields, pricing_type="monthly", amount="12.00")
    assert refused.field == "pricing_type"
    assert _refusal(check_price_fields, pricing_type="drop_in", amount="-1").field == "amount"


def test_a_contact_entry_says_when_and_what_was_said() -> None:
    when = datetime(2026, 3, 1, 10, tzinfo=UTC)
    check_contact_entry_fields(contacted_at=when, comment="Met the head")
    assert _refusal(check_contact_entry_fields, contacted_at=None, comment="x").field == (
        "contacted_at"
    )
    assert _refusal(check_contact_entry_fields, contacted_at=when, comment=" ").field == "comment"


def test_a_student_type_is_one_the_studio_knows() -> None:
    check_student_fields(first_name="Ada", student_type="crew_member")
    assert _refusal(check_student_fields, first_name="Ada", student_type="vip").field == (
        "student_type"
    )


def test_a_required_value_is_present_and_a_choice_is_from_its_list() -> None:
    check_present(0, field="capacity", label="a capacity")
    assert str(_refusal(check_present, value=None, field="x", label="a date")) == (
        "Please enter a date."
    )
    check_choice(None, PricingType, field="kind", label="a kind", optional=True)
    refused = _refusal(check_choice, value=None, choices=PricingType, field="kind", label="a kind")
    assert str(refused) == "Please choose a kind from the list."
