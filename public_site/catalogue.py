"""The catalogue page and the course pages: the domain's catalogue put into words.

What is on, its prices and seats come from ``domain.services.catalogue``; this
module only says them for a person and builds the booking form.
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
from domain.enums import DifficultyLevel
from domain.rules.payment import format_course_dates
from domain.rules.schedule import local_date, local_time
from domain.rules.settings import Settings
from domain.services.catalogue import (
    CatalogueEntry,
    ScheduledSlot,
    catalogue_entries,
    catalogue_entry,
)
from domain.services.settings import load_settings
from public_site.booking_form import registration_form
from public_site.pages import not_found, render

DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
LEVELS: dict[str, str] = {level: formatting.label(level) for level in DifficultyLevel}


@dataclass(frozen=True)
class CourseCard:
    """A catalogue entry in words, as the pages show it."""

    entry: CatalogueEntry
    dates: str
    starts: str
    schedule: list[str]
    levels: list[str]
    #: "Drop-in: $25.00 per class", one line per distinct price.
    drop_in_prices: list[str]
    #: The currency setting, for the booking form's amounts.
    currency: str = "USD"


def money(amount: Decimal, currency: str = "USD") -> str:
    return formatting.money(amount, currency)


def local_time_text(moment: datetime, settings: Settings) -> str:
    day = local_date(moment, settings.timezone)
    return f"{day:%A %d %B %Y}, {local_time(moment, settings.timezone):%H:%M}"


def course_card(entry: CatalogueEntry, settings: Settings) -> CourseCard:
    return CourseCard(
        entry=entry,
        dates=format_course_dates(entry.starts_at, entry.ends_at, timezone=settings.timezone),
        starts=local_time_text(entry.starts_at, settings),
        schedule=[_slot_line(slot) for slot in entry.slots],
        levels=sorted({_level(slot.difficulty_level) for slot in entry.slots}),
        drop_in_prices=[
            f"Drop-in: {money(amount, settings.currency)} per class"
            for amount in entry.drop_in_amounts
        ],
        currency=settings.currency,
    )


def course_view(session: Session, course_id: int, *, now: datetime) -> CourseCard | None:
    """The course page's card, or None when the public may book nothing in the course."""
    settings = load_settings(session)
    entry = catalogue_entry(session, course_id, now=now, settings=settings)
    return course_card(entry, settings) if entry is not None else None


def _level(level: str) -> str:
    return LEVELS.get(level, level)


def _slot_line(slot: ScheduledSlot) -> str:
    if slot.day_of_week is not None:
        when = DAYS[slot.day_of_week]
    else:
        when = f"{slot.practice_date:%a %d %b %Y}"
    times = f"{slot.start_time:%H:%M}\u2013{slot.end_time:%H:%M}"
    parts = [slot.name, f"{when} {times}", _level(slot.difficulty_level), slot.location]
    return " · ".join(p for p in parts if p)


def catalogue(request: Request) -> Response:
    with request.app.state.db.read() as session:
        settings = load_settings(session)
        entries = catalogue_entries(session, now=utcnow(), settings=settings)
        cards = [course_card(entry, settings) for entry in entries]
        return render(request, "catalogue.html", {"cards": cards})


def course_page(request: Request) -> Response:
    with request.app.state.db.read() as session:
        card = course_view(session, request.path_params["course_id"], now=utcnow())
        if card is None:
            return not_found(request, "This course is not open for booking.")
        form = registration_form(card.entry, card.currency)
        return render(request, "course.html", {"card": card, "form": form})


routes = [
    Route("/", catalogue, name="catalogue"),
    Route("/courses/{course_id:id}", course_page, name="course"),
]
