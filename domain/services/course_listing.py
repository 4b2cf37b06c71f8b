"""What the public sees of a course: the records the catalogue builds (``catalogue.py``).

Plain values: the sites put them into words, scripts read them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from domain.enums import CourseKind, DifficultyLevel


@dataclass(frozen=True)
class CatalogueFilter:
    """What a visitor narrows the catalogue to; a field left empty narrows nothing."""

    #: A ``CourseKind`` value.
    kind: str = ""
    #: A ``DifficultyLevel`` value; a course for all levels suits every level.
    level: str = ""
    #: Words in the title, description, instructor or location (any case).
    text: str = ""
    #: Only the courses open to school sign-up.
    school_signup: bool = False

    @classmethod
    def from_words(cls, *, kind: str = "", level: str = "", text: str = "") -> CatalogueFilter:
        """The filter a visitor asked for; a kind or level the catalogue does not know is
        ignored, and the search words are trimmed to ``MAX_SEARCH`` characters."""
        return cls(
            kind=kind if kind in set(CourseKind) else "",
            level=level if level in set(DifficultyLevel) else "",
            text=" ".join(text.split())[:MAX_SEARCH],
        )

    @property
    def narrows(self) -> bool:
        return bool(self.kind or self.level or self.text or self.school_signup)


#: The longest search a visitor may type.
MAX_SEARCH = 100


@dataclass(frozen=True)
class ScheduledSlot:
    """When and where a course meets: every week on a day, or on one date."""

    name: str
    #: 0 = Monday … 6 = Sunday for a weekly slot; None for a dated one.
    day_of_week: int | None
    practice_date: date | None
    start_time: time
    end_time: time
    difficulty_level: str
    location: str


@dataclass(frozen=True)
class ScheduledClass:
    """One class of a course: its day, times (the studio's wall clock), slot and place."""

    session_id: int
    session_date: date
    start_time: time | None
    end_time: time | None
    #: The slot it comes from ("Tuesday technique"); empty for a class staff added alone.
    slot_name: str
    #: The class's own location, else its slot's, else the course's.
    location: str
    #: When it starts, as a moment (the date and time read in the studio's time zone).
    starts_at: datetime


@dataclass(frozen=True)
class DropInClass:
    """A class of the course the public may still drop in to."""

    session_id: int
    session_date: date
    start_time: time | None
    amount: Decimal
    #: Seats a newcomer may take in this class; 0 when it is full.
    seats_left: int


@dataclass(frozen=True)
class CatalogueEntry:
    """A course as the public sees it."""

    course_id: int
    title: str
    #: A ``CourseKind`` value (workshop, series, drop-in, crew practice).
    kind: str
    description: str
    instructor: str
    starts_at: datetime
    ends_at: datetime | None
    #: Where the course meets: its own location, else its slots' locations.
    location: str
    #: Set on a crew-only course, which is reachable by its address but never listed.
    required_student_type: str | None
    #: Schools may sign their teachers up for it (``/signup/``).
    open_to_school_signup: bool
    slots: tuple[ScheduledSlot, ...]
    #: The course's classes in date order: from today on in the catalogue, every one
    #: on a course page.
    classes: tuple[ScheduledClass, ...]
    #: When the next class starts; the course's start when no class is planned yet.
    next_starts_at: datetime
    #: The full package's price; None when the course sells drop-ins only.
    package_amount: Decimal | None
    #: Each distinct drop-in price, lowest first.
    drop_in_amounts: tuple[Decimal, ...]
    #: Seats a newcomer may take with the full package; 0 when the course is full.
    seats_left: int
    #: The classes open to a drop-in, in date order, full ones included.
    drop_ins: tuple[DropInClass, ...]
    #: A running series: the full package is no longer sold, only drop-ins.
    started: bool
    #: What a student brings to class (also in each class reminder).
    what_to_bring: str = ""

    @property
    def is_full(self) -> bool:
        """Nothing left to take: no package seat, or in a running series no class seat."""
        if self.started:
            return not any(d.seats_left > 0 for d in self.drop_ins)
        return self.seats_left <= 0

    @property
    def lowest_price(self) -> Decimal | None:
        """The least a visitor may pay now: the package on sale or one open drop-in class,
        each priced by the pricing rule; None when nothing is on sale."""
        amounts = [d.amount for d in self.drop_ins]
        if self.package_amount is not None and not self.started:
            amounts.append(self.package_amount)
        return min(amounts) if amounts else None

    @property
    def levels(self) -> tuple[str, ...]:
        """The slots' levels (``DifficultyLevel`` values), each once, easiest first."""
        order: list[str] = list(DifficultyLevel)
        found = {slot.difficulty_level for slot in self.slots}
        return tuple(sorted(found, key=lambda v: order.index(v) if v in order else len(order)))
