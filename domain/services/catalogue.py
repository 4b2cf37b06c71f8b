"""The catalogue: what the public may see and book, with schedule, prices and seats left.

The public site renders it; scripts, and the calendar feeds and API to come, read
the same entries (``domain.services.course_listing``). However many courses there
are, it costs the same statements: the courses with their slots and prices, their
classes, and the seat counts of them all in one batch (``occupancy_by_course``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db import tables as t
from domain.enums import DifficultyLevel, PricingType
from domain.errors import ValidationError
from domain.model import Course
from domain.rules.eligibility import public_booking_refusal, session_starts_at
from domain.rules.pricing import SlotPrice, amount_due
from domain.rules.schedule import local_date
from domain.rules.settings import Settings
from domain.services.course_listing import (
    CatalogueEntry,
    CatalogueFilter,
    DropInClass,
    ScheduledClass,
    ScheduledSlot,
)
from domain.services.seats import Occupancy, occupancy_by_course, with_slots_and_prices
from domain.services.settings import load_settings


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
    session: Session,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    narrowed: CatalogueFilter | None = None,
) -> list[CatalogueEntry]:
    """Every course listed to the public, soonest next class first: those the public
    may book something in (the full package, or a drop-in to a later class of a
    running series); ended ones are gone. Crew-only courses are not listed.
    ``narrowed`` keeps only the courses of a kind, a level, or matching some words."""
    now = now or utcnow()
    settings = settings or load_settings(session)
    today = local_date(now, settings.timezone)
    candidates = _listed_candidates(now, today=today, narrowed=narrowed or CatalogueFilter())
    courses = session.scalars(candidates.options(with_slots_and_prices())).unique().all()
    entries = _entries(session, courses, now=now, settings=settings, since=today)
    return sorted(entries, key=lambda e: (e.next_starts_at, e.title.lower(), e.course_id))


def catalogue_entry(
    session: Session,
    course_id: int,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> CatalogueEntry | None:
    """One course as the public sees it, with every class it holds (past ones too),
    or None when the public may book nothing in it.

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
    entries = _entries(session, [course] if course else [], now=now, settings=settings, since=None)
    return entries[0] if entries else None


def school_signup_courses(
    session: Session, *, now: datetime | None = None, settings: Settings | None = None
) -> list[CatalogueEntry]:
    """The listed courses open to school sign-up whose full package the public may book
    now, soonest first: what a school signs its participants up for, seats included."""
    entries = catalogue_entries(
        session, now=now, settings=settings, narrowed=CatalogueFilter(school_signup=True)
    )
    return [entry for entry in entries if not entry.started]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _narrowing(narrowed: CatalogueFilter) -> list[ColumnElement[bool]]:
    c = t.courses.c
    conditions: list[ColumnElement[bool]] = []
    if narrowed.kind:
        conditions.append(c.kind == narrowed.kind)
    if narrowed.level:
        slots = t.course_slots.c
        conditions.append(
            exists().where(
                slots.course_id == c.id,
                slots.difficulty_level.in_([narrowed.level, DifficultyLevel.ALL_LEVELS]),
            )
        )
    if narrowed.school_signup:
        conditions.append(c.open_to_school_signup.is_(True))
    for word in narrowed.text.split():
        pattern = _like(word)
        conditions.append(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (c.title, c.description, c.instructor, c.location)
                )
            )
        )
    return conditions


def _listed_candidates(now: datetime, *, today: date, narrowed: CatalogueFilter) -> Select[Course]:
    # Narrows in SQL to published, listed courses not yet started or, given the
    # studio's ``today``, with a drop-in class from today on; ``public_offer`` has
    # the last word, since a class's start needs the studio's time zone.
    c, cs = t.courses.c, t.class_sessions.c
    drop_in_slots = select(t.prices.c.slot_id).where(t.prices.c.pricing_type == PricingType.DROP_IN)
    later_drop_in = exists().where(
        cs.course_id == c.id, cs.session_date >= today, cs.slot_id.in_(drop_in_slots)
    )
    return (
        select(Course)
        .where(
            c.is_published.is_(True),
            c.required_student_type.is_(None),
            or_(c.starts_at > now, later_drop_in),
            *_narrowing(narrowed),
        )
        .order_by(c.starts_at, c.title, c.id)
    )


@dataclass(frozen=True)
class _Class:
    scheduled: ScheduledClass
    slot_id: int | None


def _entries(
    session: Session,
    courses: Sequence[Course],
    *,
    now: datetime,
    settings: Settings,
    since: date | None,
) -> list[CatalogueEntry]:
    """The entries of the courses the public may book something in, in the given order."""
    prices = {course.id: course_prices(course) for course in courses}
    classes = _classes(session, courses, settings=settings, since=since)
    today = local_date(now, settings.timezone)
    offered: list[tuple[Course, PublicOffer, list[_Class]]] = []
    for course in courses:
        drop_in_slots = {
            p.slot_id for p in prices[course.id] if p.pricing_type == PricingType.DROP_IN
        }
        drop_ins = [
            c
            for c in classes.get(course.id, [])
            if c.slot_id in drop_in_slots and c.scheduled.session_date >= today
        ]
        offer = public_offer(
            is_published=course.is_published,
            course_starts_at=course.starts_at,
            drop_in_classes=[(c.scheduled.session_id, c.scheduled.starts_at) for c in drop_ins],
            now=now,
        )
        if offer.anything:
            offered.append((course, offer, drop_ins))
    occupancy = occupancy_by_course(session, [course for course, _, _ in offered], now=now)
    return [
        _entry(
            course,
            offer,
            prices[course.id],
            classes.get(course.id, []),
            drop_ins,
            occupancy[course.id or 0],
            now=now,
        )
        for course, offer, drop_ins in offered
    ]


def _classes(
    session: Session, courses: Sequence[Course], *, settings: Settings, since: date | None
) -> dict[int | None, list[_Class]]:
    """The courses' classes (from ``since`` on, when given) in date order, by course."""
    if not courses:
        return {}
    cs = t.class_sessions.c
    query = (
        select(cs.id, cs.course_id, cs.slot_id, cs.session_date, cs.start_time, cs.end_time)
        .add_columns(cs.location)
        .where(cs.course_id.in_([course.id for course in courses]))
        .order_by(cs.course_id, cs.session_date, cs.start_time, cs.id)
    )
    if since is not None:
        query = query.where(cs.session_date >= since)
    slots = {slot.id: slot for course in courses for slot in course.slots}
    places = {course.id: course.location for course in courses}
    classes: dict[int | None, list[_Class]] = {}
    for session_id, course_id, slot_id, day, start, end, location in session.execute(query):
        slot = slots.get(slot_id)
        scheduled = ScheduledClass(
            session_id=session_id,
            session_date=day,
            start_time=start,
            end_time=end,
            slot_name=slot.name if slot is not None else "",
            location=location or (slot.location if slot else "") or places.get(course_id, ""),
            starts_at=session_starts_at(
                session_date=day, start_time=start, timezone=settings.timezone
            ),
        )
        classes.setdefault(course_id, []).append(_Class(scheduled, slot_id))
    return classes


def _entry(
    course: Course,
    offer: PublicOffer,
    prices: list[SlotPrice],
    classes: list[_Class],
    drop_ins: list[_Class],
    occupancy: Occupancy,
    *,
    now: datetime,
) -> CatalogueEntry:
    try:
        package: Decimal | None = amount_due(prices, pricing_type=PricingType.FULL_PACKAGE)
    except ValidationError:
        package = None
    open_classes = [c for c in drop_ins if c.scheduled.session_id in offer.drop_in_session_ids]
    upcoming = [c.scheduled.starts_at for c in classes if c.scheduled.starts_at > now]
    return CatalogueEntry(
        course_id=course.id or 0,
        title=course.title,
        kind=course.kind,
        description=course.description,
        instructor=course.instructor,
        starts_at=course.starts_at,
        ends_at=course.ends_at,
        location=course.location
        or ", ".join(sorted({slot.location for slot in course.slots if slot.location})),
        required_student_type=course.required_student_type,
        open_to_school_signup=course.open_to_school_signup,
        what_to_bring=course.what_to_bring,
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
        classes=tuple(c.scheduled for c in classes),
        next_starts_at=min(upcoming, default=course.starts_at),
        package_amount=package,
        drop_in_amounts=tuple(
            sorted({p.amount for p in prices if p.pricing_type == PricingType.DROP_IN})
        ),
        seats_left=max(0, occupancy.open_to_book()),
        drop_ins=tuple(
            DropInClass(
                session_id=c.scheduled.session_id,
                session_date=c.scheduled.session_date,
                start_time=c.scheduled.start_time,
                amount=amount_due(
                    prices, pricing_type=PricingType.DROP_IN, drop_in_slot_id=c.slot_id
                ),
                seats_left=max(0, occupancy.open_to_book(c.scheduled.session_id)),
            )
            for c in open_classes
        ),
        started=not offer.package,
    )
