"""What a course, slot, price, school, contact entry or student must hold before it is written.

The tables say the same with CHECK constraints (``domain/db/tables_*.py``), but a
refused INSERT reads as driver text; these rules say it in a sentence naming the
field, so staff see what to change. Plain values in; a ``ValidationError``
(with ``field`` set to the form field) out.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.enums import CourseKind, DifficultyLevel, PricingType, StudentType, values
from domain.errors import ValidationError
from domain.rules.contact_details import refuse_invisible_characters

#: No room holds more; also far inside the database's integer range.
MAX_CAPACITY = 100_000
#: The largest amount the prices column holds (NUMERIC(10, 2)).
MAX_AMOUNT = Decimal("99999999.99")


def check_not_blank(value: str | None, *, field: str, label: str) -> None:
    """A name or title must have something besides spaces."""
    if not (value or "").strip():
        raise ValidationError(f"Please enter {label}.", field=field)


def check_present(value: object, *, field: str, label: str) -> None:
    """A value the record cannot do without (a start time, a course picked) was given."""
    if value is None:
        raise ValidationError(f"Please enter {label}.", field=field)


def check_choice(
    value: object, choices: type[StrEnum], *, field: str, label: str, optional: bool = False
) -> None:
    """``value`` is one of the stored strings of ``choices`` (or None when ``optional``)."""
    if value is None and optional:
        return
    if value not in values(choices):
        raise ValidationError(f"Please choose {label} from the list.", field=field)


def check_capacity(capacity: object, *, field: str = "capacity") -> None:
    """A capacity is a whole number of seats from 0 to ``MAX_CAPACITY``."""
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise ValidationError("The capacity must be a whole number.", field=field)
    if not 0 <= capacity <= MAX_CAPACITY:
        raise ValidationError(f"The capacity must be between 0 and {MAX_CAPACITY}.", field=field)


def check_course_fields(
    *,
    title: str | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    capacity: object,
    kind: object = CourseKind.WORKSHOP,
    required_student_type: object = None,
) -> None:
    """A course has a title, a start, a capacity, and does not end before it starts."""
    check_not_blank(title, field="title", label="a title")
    check_choice(kind, CourseKind, field="kind", label="the kind of course")
    check_present(starts_at, field="starts_at", label="when the course starts")
    check_capacity(capacity)
    check_choice(
        required_student_type,
        StudentType,
        field="required_student_type",
        label="who may book it",
        optional=True,
    )
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        raise ValidationError(
            "The course cannot end before it starts: check the start and end times.",
            field="ends_at",
        )


def check_slot_fields(
    *,
    day_of_week: int | None,
    practice_date: object,
    start_time: time | None,
    end_time: time | None,
    capacity: object,
    difficulty_level: object = DifficultyLevel.ALL_LEVELS,
) -> None:
    """A slot meets weekly on a day (0 = Monday) or once on a date, and ends after it starts.

    Its capacity is optional (none: only the course's capacity applies).
    """
    check_choice(difficulty_level, DifficultyLevel, field="difficulty_level", label="a level")
    if day_of_week is not None and not 0 <= day_of_week <= 6:
        raise ValidationError("The day must be 0 (Monday) to 6 (Sunday).", field="day_of_week")
    if day_of_week is None and practice_date is None:
        raise ValidationError(
            "Give a day of the week (for a weekly slot) or a date (for a one-off practice).",
            field="day_of_week",
        )
    check_present(start_time, field="start_time", label="when the slot starts")
    check_present(end_time, field="end_time", label="when the slot ends")
    if start_time is not None and end_time is not None and end_time <= start_time:
        raise ValidationError("The slot must end after it starts.", field="end_time")
    if capacity is not None:
        check_capacity(capacity)


def check_amount(amount: object, *, field: str = "amount") -> None:
    """A price is an amount of money from 0.00 up to what the column holds."""
    try:
        value = Decimal(str(amount)) if amount is not None else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError("Please enter an amount such as 25.00.", field=field)
    if value < 0:
        raise ValidationError("The amount cannot be negative.", field=field)
    if value > MAX_AMOUNT:
        raise ValidationError(f"The amount must be at most {MAX_AMOUNT:,}.", field=field)


def check_price_fields(*, pricing_type: object, amount: object) -> None:
    """A price is for a full package or a drop-in, and is an amount ``check_amount`` takes."""
    check_choice(pricing_type, PricingType, field="pricing_type", label="the kind of price")
    check_amount(amount)


def check_visible_lines(lines: dict[str, tuple[str, str | None]]) -> None:
    """One-line fields (names, addresses) hold no invisible or text-direction characters.

    ``lines`` maps a form field to its label and value, as staff typed them.
    """
    for field, (label, value) in lines.items():
        refuse_invisible_characters(value or "", field=field, label=label)


def check_school_fields(
    *,
    name: str | None,
    location: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
) -> None:
    check_not_blank(name, field="name", label="the school's name")
    check_visible_lines(
        {
            "name": ("The school's name", name),
            "location": ("The location", location),
            "contact_name": ("The contact's name", contact_name),
            "contact_phone": ("The contact's phone", contact_phone),
        }
    )


def check_contact_entry_fields(*, contacted_at: datetime | None, comment: str | None) -> None:
    """A note of a conversation with a school says when it was and what was said."""
    check_present(contacted_at, field="contacted_at", label="when you were in contact")
    check_not_blank(comment, field="comment", label="what was said")


def check_student_fields(
    *,
    first_name: str | None,
    last_name: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    emergency_contact: str | None = None,
    student_type: object = StudentType.GENERAL,
) -> None:
    check_not_blank(first_name, field="first_name", label="the student's first name")
    check_choice(student_type, StudentType, field="student_type", label="a student type")
    check_visible_lines(
        {
            "first_name": ("The first name", first_name),
            "last_name": ("The last name", last_name),
            "title": ("The title", title),
            "phone": ("The phone number", phone),
            "emergency_contact": ("The emergency contact", emergency_contact),
        }
    )
