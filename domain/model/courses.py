"""Courses, their weekly or dated slots, the slots' prices and the class sessions held."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from domain import formatting
from domain.clock import utcnow
from domain.enums import CourseKind, DifficultyLevel

if TYPE_CHECKING:
    from domain.model.registrations import Attendance, Registration, WaitlistEntry


@dataclass(eq=False, kw_only=True)
class Course:
    id: int | None = None
    title: str
    kind: str = CourseKind.WORKSHOP
    description: str = ""
    instructor: str = ""
    location: str = ""
    starts_at: datetime
    ends_at: datetime | None = None
    #: Seats for the whole course; each slot may set a smaller number.
    capacity: int = 30
    #: Only students staff have classified as this type may see and book it.
    required_student_type: str | None = None
    #: Published courses appear on the public site.
    is_published: bool = False
    #: Offered on the school sign-up page (/signup/), where a school contact signs up teachers.
    open_to_school_signup: bool = False
    #: What a student brings to class; in the course page and every class reminder.
    what_to_bring: str = ""
    comment: str = ""
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    slots: list[CourseSlot] = field(default_factory=list)
    sessions: list[ClassSession] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    waitlist_entries: list[WaitlistEntry] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.title} - {self.starts_at:%Y-%m-%d}"


@dataclass(eq=False, kw_only=True)
class CourseSlot:
    """When and where a course meets: every week on a day, or on one practice date."""

    id: int | None = None
    course_id: int | None = None
    course: Course | None = None
    name: str = ""
    difficulty_level: str = DifficultyLevel.ALL_LEVELS
    #: 0 = Monday … 6 = Sunday, for a weekly slot.
    day_of_week: int | None = None
    #: The one date of a dated slot (a crew practice).
    practice_date: date | None = None
    start_time: time
    end_time: time
    location: str = ""
    capacity: int | None = None
    prices: list[Price] = field(default_factory=list)

    def __str__(self) -> str:
        return self.name or f"Slot {self.id}"


@dataclass(eq=False, kw_only=True)
class Price:
    id: int | None = None
    slot_id: int | None = None
    slot: CourseSlot | None = None
    pricing_type: str
    amount: Decimal

    def __str__(self) -> str:
        return f"{formatting.label(self.pricing_type)}: {formatting.money(self.amount)}"


@dataclass(eq=False, kw_only=True)
class ClassSession:
    """One meeting of a course, on which attendance is taken."""

    id: int | None = None
    course_id: int | None = None
    course: Course | None = None
    #: The slot this meeting came from, which sets its drop-in price.
    slot_id: int | None = None
    slot: CourseSlot | None = None
    session_date: date
    start_time: time | None = None
    end_time: time | None = None
    location: str = ""
    notes: str = ""
    updated_at: datetime | None = None
    cancelled_at: datetime | None = None
    #: Why staff cancelled the session; it is then held no more.
    cancellation_reason: str = ""
    attendance: list[Attendance] = field(default_factory=list)

    def __str__(self) -> str:
        course = self.course.title if self.course else "?"
        return f"{course} - {formatting.local_date(self.session_date)}"
