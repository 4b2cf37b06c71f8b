"""The course catalogue: what is on, when, at what level and price, and how many seats are left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from domain.clock import utcnow
from domain.db import tables as t
from domain.enums import DifficultyLevel, PricingType
from domain.errors import ValidationError
from domain.model import ClassSession, Course, CourseSlot
from domain.rules.eligibility import booking_window_open, session_starts_at
from domain.rules.payment import format_course_dates
from domain.rules.pricing import SlotPrice, amount_due
from domain.rules.schedule import local_date, local_time
from domain.rules.settings import Settings
from domain.services.seats import Occupancy, course_occupancy
from domain.services.settings import load_settings
from public_site.forms import StudentForm
from public_site.pages import not_found, render

DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
LEVELS: dict[str, str] = {
    DifficultyLevel.ALL_LEVELS: "All levels",
    DifficultyLevel.BEGINNER: "Beginner",
    DifficultyLevel.INTERMEDIATE: "Intermediate",
    DifficultyLevel.ADVANCED: "Advanced",
}


@dataclass(frozen=True)
class DropIn:
    session_id: int
    label: str
    amount: Decimal
    seats_left: int


@dataclass
class CourseCard:
    """A course as the public sees it."""

    course: Course
    dates: str
    starts: str
    schedule: list[str]
    levels: list[str]
    location: str
    #: None when the course sells drop-ins only.
    package_amount: Decimal | None
    seats_left: int
    drop_ins: list[DropIn] = field(default_factory=list)
    #: "Drop-in: $25.00 per class", one line per distinct price.
    drop_in_prices: list[str] = field(default_factory=list)
    #: A running series: the full package is no longer sold, only drop-ins.
    started: bool = False

    @property
    def is_full(self) -> bool:
        if self.started:
            return not any(d.seats_left > 0 for d in self.drop_ins)
        return self.seats_left <= 0

    @property
    def is_free(self) -> bool:
        return self.package_amount == 0 and not self.drop_ins


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def bookable_courses_query(now: datetime, *, today: date | None = None) -> Select[Course]:
    """Published courses not yet started; crew-only ones are not listed to the public.

    With ``today`` (the studio's local date), running series with a drop-in class
    from today on are included too. Whether such a class has really not started
    yet is decided in Python by the booking window rule (``open_drop_in_sessions``),
    since it needs the local time zone.
    """
    c = t.courses.c
    window = c.starts_at > now
    if today is not None:
        cs = t.class_sessions.c
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
        .order_by(c.starts_at, c.title)
    )


def public_course(session: Session, course_id: int, *, now: datetime) -> Course | None:
    """A published course the public may still book something in, or None.

    That is one not yet started, or a running series with a drop-in class still
    to come. A crew-only course is reachable by its address (staff share it with
    the crew) but never listed; registering for it is checked by the domain service.
    """
    course = session.get(Course, course_id)
    if course is None or not course.is_published:
        return None
    if course.starts_at > now:
        return course
    settings = load_settings(session)
    if not open_drop_in_sessions(session, course, _prices(course), now=now, settings=settings):
        return None
    return course


def _slot_line(slot: CourseSlot) -> str:
    if slot.day_of_week is not None:
        when = DAYS[slot.day_of_week]
    else:
        when = f"{slot.practice_date:%a %d %b %Y}"
    times = f"{slot.start_time:%H:%M}\u2013{slot.end_time:%H:%M}"
    level = LEVELS.get(slot.difficulty_level, slot.difficulty_level)
    parts = [slot.name, f"{when} {times}", level, slot.location]
    return " · ".join(p for p in parts if p)


def _prices(course: Course) -> list[SlotPrice]:
    return [
        SlotPrice(slot_id=slot.id or 0, pricing_type=p.pricing_type, amount=p.amount)
        for slot in course.slots
        for p in slot.prices
    ]


def open_drop_in_sessions(
    session: Session, course: Course, prices: list[SlotPrice], *, now: datetime, settings: Settings
) -> list[ClassSession]:
    """The course's classes with a drop-in price that the public may still book."""
    priced = {p.slot_id for p in prices if p.pricing_type == PricingType.DROP_IN}
    if not priced:
        return []
    today = local_date(now, settings.timezone)
    rows = session.scalars(
        select(ClassSession)
        .where(t.class_sessions.c.course_id == course.id, t.class_sessions.c.session_date >= today)
        .order_by(t.class_sessions.c.session_date, t.class_sessions.c.start_time)
    ).all()
    return [
        row
        for row in rows
        if row.slot_id in priced
        and row.id is not None
        and booking_window_open(
            pricing_type=PricingType.DROP_IN,
            course_starts_at=course.starts_at,
            session_starts_at=session_starts_at(
                session_date=row.session_date,
                start_time=row.start_time,
                timezone=settings.timezone,
            ),
            now=now,
        )
    ]


def _drop_ins(
    session: Session,
    course: Course,
    prices: list[SlotPrice],
    occupancy: Occupancy,
    *,
    now: datetime,
    settings: Settings,
) -> list[DropIn]:
    options = []
    for row in open_drop_in_sessions(session, course, prices, now=now, settings=settings):
        if row.id is None:
            continue
        amount = amount_due(prices, pricing_type=PricingType.DROP_IN, drop_in_slot_id=row.slot_id)
        left = max(0, occupancy.open_to_book(row.id))
        when = f"{row.session_date:%a %d %b %Y}"
        if row.start_time is not None:
            when += f" {row.start_time:%H:%M}"
        state = f"{left} seats left" if left > 0 else "full"
        options.append(DropIn(row.id, f"{when} — {money(amount)} ({state})", amount, left))
    return options


def course_card(
    session: Session, course: Course, *, now: datetime, settings: Settings
) -> CourseCard:
    prices = _prices(course)
    try:
        package: Decimal | None = amount_due(prices, pricing_type=PricingType.FULL_PACKAGE)
    except ValidationError:
        package = None
    levels = sorted({LEVELS.get(s.difficulty_level, s.difficulty_level) for s in course.slots})
    starts = local_time_text(course.starts_at, settings)
    # One count serves the package and every drop-in class on the card.
    occupancy = course_occupancy(session, course, now=now)
    return CourseCard(
        course=course,
        dates=format_course_dates(course.starts_at, course.ends_at, timezone=settings.timezone),
        starts=starts,
        schedule=[_slot_line(slot) for slot in course.slots],
        levels=levels,
        location=course.location
        or ", ".join(sorted({s.location for s in course.slots if s.location})),
        package_amount=package,
        seats_left=max(0, occupancy.open_to_book()),
        drop_ins=_drop_ins(session, course, prices, occupancy, now=now, settings=settings),
        drop_in_prices=[
            f"Drop-in: {money(amount)} per class"
            for amount in sorted(
                {p.amount for p in prices if p.pricing_type == PricingType.DROP_IN}
            )
        ],
        started=not booking_window_open(
            pricing_type=PricingType.FULL_PACKAGE,
            course_starts_at=course.starts_at,
            session_starts_at=None,
            now=now,
        ),
    )


def local_time_text(moment: datetime, settings: Settings) -> str:
    day = local_date(moment, settings.timezone)
    return f"{day:%A %d %B %Y}, {local_time(moment, settings.timezone):%H:%M}"


def registration_form(card: CourseCard, formdata: FormData | None = None) -> StudentForm:
    """The booking form with the pricing options this course really offers."""
    form = StudentForm(formdata=formdata)
    choices = []
    if card.package_amount is not None and not card.started:
        price = "free" if card.package_amount == 0 else money(card.package_amount)
        choices.append((PricingType.FULL_PACKAGE.value, f"The full course ({price})"))
    open_drop_ins = [d for d in card.drop_ins if d.seats_left > 0]
    if open_drop_ins:
        choices.append((PricingType.DROP_IN.value, "One class (drop-in)"))
    form.pricing_type.choices = choices
    if formdata is None and choices:
        form.pricing_type.data = choices[0][0]
    form.drop_in_session.choices = [(d.session_id, d.label) for d in open_drop_ins]
    return form


def catalogue(request: Request) -> Response:
    now = utcnow()
    with request.app.state.db.read() as session:
        settings = load_settings(session)
        today = local_date(now, settings.timezone)
        courses = session.scalars(bookable_courses_query(now, today=today)).all()
        cards = [course_card(session, c, now=now, settings=settings) for c in courses]
        # A running series stays listed only while it has a class left to drop in to.
        cards = [card for card in cards if not card.started or card.drop_ins]
        return render(request, "catalogue.html", {"cards": cards, "settings": settings})


def course_page(request: Request) -> Response:
    now = utcnow()
    with request.app.state.db.read() as session:
        course = public_course(session, request.path_params["course_id"], now=now)
        if course is None:
            return not_found(request, "This course is not open for booking.")
        settings = load_settings(session)
        card = course_card(session, course, now=now, settings=settings)
        form = registration_form(card)
        return render(request, "course.html", {"card": card, "form": form, "settings": settings})


routes = [
    Route("/", catalogue, name="catalogue"),
    Route("/courses/{course_id:id}", course_page, name="course"),
]
