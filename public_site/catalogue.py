"""The catalogue page and the course pages: the domain's catalogue put into words.

What is on, its prices and seats come from ``domain.services.catalogue``; this
module only says them for a person (dates, money and labels from
``domain.formatting``) and builds the booking form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from domain import formatting
from domain.clock import utcnow
from domain.enums import CourseKind, DifficultyLevel
from domain.rules.settings import Settings
from domain.services.catalogue import catalogue_entries, catalogue_entry
from domain.services.course_listing import (
    CatalogueEntry,
    CatalogueFilter,
    ScheduledClass,
    ScheduledSlot,
)
from domain.services.settings import load_settings
from public_site.booking_form import registration_form
from public_site.pages import not_found, render

DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
#: The kinds and levels a visitor may narrow the catalogue to, in words.
KIND_CHOICES = [(kind.value, formatting.label(kind)) for kind in CourseKind]
LEVEL_CHOICES = [
    (level.value, formatting.label(level))
    for level in DifficultyLevel
    if level != DifficultyLevel.ALL_LEVELS
]


@dataclass(frozen=True)
class ClassLine:
    """One class of a course page's schedule, in words."""

    day: str
    times: str
    slot: str
    location: str
    held: bool


@dataclass(frozen=True)
class CourseCard:
    """A catalogue entry in words, as the pages show it."""

    entry: CatalogueEntry
    kind: str
    #: The days it runs (``formatting.course_dates``).
    dates: str
    #: It runs over more than one day: the card shows its dates beside the start.
    several_days: bool
    #: The next class: "Tue 3 Nov 2026, 19:00".
    starts: str
    schedule: list[str]
    levels: list[str]
    #: "Full course: $120.00", then "Drop-in: $25.00 per class", one line per price.
    prices: list[str]
    #: "from $22.00", "Free", or "" when nothing is on sale.
    price_from: str
    #: "12 seats left", "Full", "Classes full".
    seats: str
    #: What the card's button says: "Book", "Join waitlist", or "" when nothing can be taken.
    action: str
    classes: list[ClassLine]
    #: The currency setting, which every amount on the page is shown in.
    currency: str

    @property
    def full(self) -> bool:
        return self.entry.is_full


def money(amount: Decimal, currency: str = "USD") -> str:
    return formatting.money(amount, currency)


def local_time_text(moment: datetime, settings: Settings) -> str:
    """'Tue 3 Nov 2026, 19:00' in the organisation's time zone (``domain.formatting``)."""
    return formatting.local_datetime(moment, settings.timezone)


def _price(amount: Decimal, currency: str) -> str:
    return "Free" if amount == 0 else money(amount, currency)


def _price_from(lowest: Decimal | None, currency: str) -> str:
    if lowest is None:
        return ""
    return "Free" if lowest == 0 else f"from {money(lowest, currency)}"


def _prices(entry: CatalogueEntry, currency: str) -> list[str]:
    lines = []
    if entry.package_amount is not None:
        line = f"Full course: {_price(entry.package_amount, currency)}"
        lines.append(line + (" (already started, no longer on sale)" if entry.started else ""))
    lines += [f"Drop-in: {money(a, currency)} per class" for a in entry.drop_in_amounts]
    return lines


def _seats(entry: CatalogueEntry) -> tuple[str, str]:
    """(what the seats line says, what the button says)."""
    if entry.started:
        if entry.is_full:
            return "Every remaining class is full", ""
        return "Started: book a class", "Book a class"
    if entry.is_full:
        return "Full", "Join waitlist"
    left = entry.seats_left
    return f"{left} seat{'' if left == 1 else 's'} left", "Book"


def _class_line(scheduled: ScheduledClass, now: datetime) -> ClassLine:
    return ClassLine(
        day=formatting.local_date(scheduled.session_date),
        times=formatting.time_span(scheduled.start_time, scheduled.end_time),
        slot=scheduled.slot_name,
        location=scheduled.location,
        held=scheduled.starts_at <= now,
    )


def course_card(entry: CatalogueEntry, settings: Settings, *, now: datetime) -> CourseCard:
    currency = settings.currency
    lowest = entry.lowest_price
    dates = formatting.course_dates(entry.starts_at, entry.ends_at, settings.timezone)
    seats, action = _seats(entry)
    return CourseCard(
        entry=entry,
        kind=formatting.label(entry.kind),
        dates=dates,
        several_days=dates != formatting.course_dates(entry.starts_at, None, settings.timezone),
        starts=local_time_text(entry.next_starts_at, settings),
        schedule=[_slot_line(slot, entry.location) for slot in entry.slots],
        levels=[formatting.label(level) for level in entry.levels],
        prices=_prices(entry, currency),
        price_from=_price_from(lowest, currency),
        seats=seats,
        action=action,
        classes=[_class_line(c, now) for c in entry.classes],
        currency=currency,
    )


def course_view(session: Session, course_id: int, *, now: datetime) -> CourseCard | None:
    """The course page's card, or None when the public may book nothing in the course."""
    settings = load_settings(session)
    entry = catalogue_entry(session, course_id, now=now, settings=settings)
    return course_card(entry, settings, now=now) if entry is not None else None


def _slot_line(slot: ScheduledSlot, course_location: str) -> str:
    if slot.day_of_week is not None:
        when = DAYS[slot.day_of_week]
    else:
        when = formatting.local_date(slot.practice_date)
    times = formatting.time_span(slot.start_time, slot.end_time)
    # The course's own location is said once, on its own line.
    place = "" if slot.location == course_location else slot.location
    parts = [slot.name, f"{when} {times}", formatting.label(slot.difficulty_level), place]
    return " · ".join(p for p in parts if p)


def catalogue_filter(request: Request) -> CatalogueFilter:
    """What the visitor narrowed the catalogue to, from the page's address."""
    query = request.query_params
    return CatalogueFilter.from_words(
        kind=query.get("kind", ""), level=query.get("level", ""), text=query.get("q", "")
    )


def catalogue(request: Request) -> Response:
    narrowed = catalogue_filter(request)
    now = utcnow()
    with request.app.state.db.read() as session:
        settings = load_settings(session)
        entries = catalogue_entries(session, now=now, settings=settings, narrowed=narrowed)
        context = {
            "cards": [course_card(entry, settings, now=now) for entry in entries],
            "narrowed": narrowed,
            "kinds": KIND_CHOICES,
            "levels": LEVEL_CHOICES,
        }
        return render(request, "catalogue.html", context)


def course_page(request: Request) -> Response:
    with request.app.state.db.read() as session:
        card = course_view(session, request.path_params["course_id"], now=utcnow())
        if card is None:
            return not_found(request, "This course is not open for booking.")
        context = {"card": card, "form": registration_form(card.entry, card.currency)}
        return render(request, "course.html", context)


routes = [
    Route("/", catalogue, name="catalogue"),
    Route("/courses/{course_id:id}", course_page, name="course"),
]
