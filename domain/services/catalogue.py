"""The catalogue: what the public may see and book, with schedule, prices and seats left.

The public site renders it; scripts, and the calendar feeds and API to come, read
the same entries. However many courses there are, it costs the same statements:
the courses with their slots and prices, their drop-in classes, and the seat
counts of them all in one batch (``occupancy_by_course``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db import tables as t
from domain.enums import PricingType
from domain.errors import ValidationError
from domain.model import Course
from domain.rules.eligibility import public_booking_refusal, session_starts_at
from domain.rules.pricing import SlotPrice, amount_due
from domain.rules.schedule import local_date
from domain.rules.settings import Settings
from domain.services.seats import Occupancy, occupancy_by_course, with_slots_and_prices
from domain.services.settings import load_settings


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
    description: str
    instructor: str
    starts_at: datetime
    ends_at: datetime | None
    #: Where the course meets: its own location, else its slots' locations.
    location: str
    #: Set on a crew-only course, which is reachable by its address but never listed.
    required_student_type: str | None
    slots: tuple[ScheduledSlot, ...]
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

    @property
    def is_full(self) -> bool:
        """Nothing left to take: no package seat, or in a running series no class seat."""
        if self.started:
            return not any(d.seats_left > 0 for d in self.drop_ins)
        return self.seats_left <= 0


@dataclass(frozen=True)
class PublicOffer:
    """What the public may book in a course now."""

    package: bool
    drop_in_session_ids: tuple[int, ...]

    @property
    def anything(self) -> bool:
        return self.package or bool(self.drop_in_session_ids)


def public_offer(
    *,
    is_published: bool,
    course_starts_at: datetime,
    drop_in_classes: Iterable[tuple[int, datetime]],
    now: datetime,
) -> PublicOffer:
    """The full package and the drop-in classes (id, start) the public may book now.

    Decided option by option by ``public_booking_refusal``, the rule
    ``register_student`` holds a public booking to, so the catalogue offers exactly
    what a booking accepts. A course stays on offer while registration is closed
    for a while: the booking says so then.
    """

    def may_book(pricing_type: PricingType, class_starts_at: datetime | None) -> bool:
        refusal = public_booking_refusal(
            registration_open=True,
            is_published=is_published,
            starts_at=course_starts_at,
            now=now,
            pricing_type=pricing_type,
            session_starts_at=class_starts_at,
        )
        return refusal is None

    return PublicOffer(
        package=may_book(PricingType.FULL_PACKAGE, None),
        drop_in_session_ids=tuple(
            session_id
            for session_id, starts_at in drop_in_classes
            if may_book(PricingType.DROP_IN, starts_at)
        ),
    )


def course_prices(course: Course) -> list[SlotPrice]:
    """The course's prices, per slot, as the pricing rule takes them (slots loaded)."""
    return [
        SlotPrice(slot_id=slot.id or 0, pricing_type=price.pricing_type, amount=price.amount)
        for slot in course.slots
        for price in slot.prices
    ]


def catalogue_entries(
    session: Session, *, now: datetime | None = None, settings: Settings | None = None
) -> list[CatalogueEntry]:
    """Every course listed to the public, in start order: those the public may book
    something in (the full package, or a drop-in to a later class of a running
    series). Crew-only courses are not listed."""
    now = now or utcnow()
    settings = settings or load_settings(session)
    candidates = _listed_candidates(now, today=local_date(now, settings.timezone))
    courses = session.scalars(candidates.options(with_slots_and_prices())).unique().all()
    return _entries(session, courses, now=now, settings=settings)


def catalogue_entry(
    session: Session,
    course_id: int,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> CatalogueEntry | None:
    """One course as the public sees it, or None when the public may book nothing in it.

    A crew-only course is returned too: staff share its address with the crew, and
    registering for it is checked by ``register_student``.
    """
    now = now or utcnow()
    settings = settings or load_settings(session)
    course = (
        session.scalars(
            select(Course).where(t.courses.c.id == course_id).options(with_slots_and_prices())
        )
        .unique()
        .one_or_none()
    )
    entries = _entries(session, [course] if course else [], now=now, settings=settings)
    return entries[0] if entries else None


def package_courses(session: Session, *, now: datetime | None = None) -> list[Course]:
    """The listed courses whose full package the public may book now, in start order:
    what a school signs its participants up for. Slots and seats are not loaded."""
    now = now or utcnow()
    courses = session.scalars(_listed_candidates(now, today=None)).all()
    return [
        course
        for course in courses
        if public_offer(
            is_published=course.is_published,
            course_starts_at=course.starts_at,
            drop_in_classes=(),
            now=now,
        ).package
    ]


def _listed_candidates(now: datetime, *, today: date | None) -> Select[Course]:
    # Narrows in SQL to published, listed courses not yet started or, given the
    # studio's ``today``, with a drop-in class from today on; ``public_offer`` has
    # the last word, since a class's start needs the studio's time zone.
    c, cs = t.courses.c, t.class_sessions.c
    window = c.starts_at > now
    if today is not None:
        drop_in_slots = select(t.prices.c.slot_id).where(
            t.prices.c.pricing_type == PricingType.DROP_IN
        )
        later_drop_in = exists().where(
            cs.course_id == c.id, cs.session_date >= today, cs.slot_id.in_(drop_in_slots)
        )
        window = or_(window, later_drop_in)
    return (
        select(Course)
        .where(c.is_published.is_(True), c.required_student_type.is_(None), window)
        .order_by(c.starts_at, c.title, c.id)
    )


@dataclass(frozen=True)
class _Class:
    session_id: int
    slot_id: int
    session_date: date
    start_time: time | None
    starts_at: datetime


def _entries(
    session: Session, courses: Sequence[Course], *, now: datetime, settings: Settings
) -> list[CatalogueEntry]:
    """The entries of the courses the public may book something in, in the given order."""
    prices = {course.id: course_prices(course) for course in courses}
    classes = _drop_in_classes(session, courses, prices, now=now, settings=settings)
    offered: list[tuple[Course, PublicOffer]] = []
    for course in courses:
        offer = public_offer(
            is_published=course.is_published,
            course_starts_at=course.starts_at,
            drop_in_classes=[(c.session_id, c.starts_at) for c in classes.get(course.id, [])],
            now=now,
        )
        if offer.anything:
            offered.append((course, offer))
    occupancy = occupancy_by_course(session, [course for course, _ in offered], now=now)
    return [
        _entry(
            course,
            offer,
            prices[course.id],
            classes.get(course.id, []),
            occupancy[course.id or 0],
        )
        for course, offer in offered
    ]


def _drop_in_classes(
    session: Session,
    courses: Sequence[Course],
    prices: dict[int | None, list[SlotPrice]],
    *,
    now: datetime,
    settings: Settings,
) -> dict[int | None, list[_Class]]:
    """The courses' classes from today on whose slot has a drop-in price, by course."""
    drop_in_slots = [
        price.slot_id
        for listed in prices.values()
        for price in listed
        if price.pricing_type == PricingType.DROP_IN
    ]
    if not drop_in_slots:
        return {}
    cs = t.class_sessions.c
    rows = session.execute(
        select(cs.id, cs.course_id, cs.slot_id, cs.session_date, cs.start_time)
        .where(
            cs.course_id.in_([course.id for course in courses]),
            cs.slot_id.in_(drop_in_slots),
            cs.session_date >= local_date(now, settings.timezone),
        )
        .order_by(cs.course_id, cs.session_date, cs.start_time, cs.id)
    )
    classes: dict[int | None, list[_Class]] = {}
    for session_id, course_id, slot_id, session_date, start_time in rows:
        starts_at = session_starts_at(
            session_date=session_date, start_time=start_time, timezone=settings.timezone
        )
        classes.setdefault(course_id, []).append(
            _Class(session_id, slot_id, session_date, start_time, starts_at)
        )
    return classes


def _entry(
    course: Course,
    offer: PublicOffer,
    prices: list[SlotPrice],
    classes: list[_Class],
    occupancy: Occupancy,
) -> CatalogueEntry:
    try:
        package: Decimal | None = amount_due(prices, pricing_type=PricingType.FULL_PACKAGE)
    except ValidationError:
        package = None
    open_classes = [c for c in classes if c.session_id in offer.drop_in_session_ids]
    return CatalogueEntry(
        course_id=course.id or 0,
        title=course.title,
        description=course.description,
        instructor=course.instructor,
        starts_at=course.starts_at,
        ends_at=course.ends_at,
        location=course.location
        or ", ".join(sorted({slot.location for slot in course.slots if slot.location})),
        required_student_type=course.required_student_type,
        slots=tuple(
            ScheduledSlot(
                name=slot.name,
                day_of_week=slot.day_of_week,
                practice_date=slot.practice_date,
                start_time=slot.start_time,
                end_time=slot.end_time,
                difficulty_level=slot.difficulty_level,
                location=slot.location,
            )
            for slot in course.slots
        ),
        package_amount=package,
        drop_in_amounts=tuple(
            sorted({p.amount for p in prices if p.pricing_type == PricingType.DROP_IN})
        ),
        seats_left=max(0, occupancy.open_to_book()),
        drop_ins=tuple(
            DropInClass(
                session_id=c.session_id,
                session_date=c.session_date,
                start_time=c.start_time,
                amount=amount_due(
                    prices, pricing_type=PricingType.DROP_IN, drop_in_slot_id=c.slot_id
                ),
                seats_left=max(0, occupancy.open_to_book(c.session_id)),
            )
            for c in open_classes
        ),
        started=not offer.package,
    )
