"""Which days a week or a month of the sessions calendar covers (weeks start on Monday)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

#: Years the calendar pages: far enough either way for any programme, and a year
#: or two inside ``date``'s range so the previous and next page always exist.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class Span:
    """Days ``first`` to ``last`` (both included)."""

    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def week_of(day: date) -> Span:
    """The Monday-to-Sunday week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return Span(monday, monday + timedelta(days=6))


def month_of(day: date) -> Span:
    """The calendar month that holds ``day``."""
    first = day.replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    return Span(first, following - timedelta(days=1))


def month_grid(month: Span) -> list[list[date]]:
    """The month's weeks, Monday to Sunday, padded with the neighbouring months' days."""
    first, last = week_of(month.first).first, week_of(month.last).last
    days = Span(first, last).days()
    return [days[n : n + 7] for n in range(0, len(days), 7)]


def in_calendar_range(day: date) -> bool:
    """Whether the calendar shows ``day`` (other dates are typed or guessed addresses)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR
