"""Which days a calendar week and month cover."""

from __future__ import annotations

from datetime import date

from domain.rules.calendar import Span, in_calendar_range, month_grid, month_of, week_of


def test_a_week_runs_monday_to_sunday_across_a_month_or_year_end() -> None:
    assert week_of(date(2026, 3, 4)) == Span(date(2026, 3, 2), date(2026, 3, 8))
    assert week_of(date(2026, 3, 2)) == Span(date(2026, 3, 2), date(2026, 3, 8))
    assert week_of(date(2026, 3, 8)) == Span(date(2026, 3, 2), date(2026, 3, 8))
    assert week_of(date(2026, 1, 1)) == Span(date(2025, 12, 29), date(2026, 1, 4))
    assert len(week_of(date(2026, 1, 1)).days()) == 7


def test_a_month_runs_from_its_first_to_its_last_day() -> None:
    assert month_of(date(2026, 2, 14)) == Span(date(2026, 2, 1), date(2026, 2, 28))
    assert month_of(date(2028, 2, 29)) == Span(date(2028, 2, 1), date(2028, 2, 29))
    assert month_of(date(2026, 12, 31)) == Span(date(2026, 12, 1), date(2026, 12, 31))


def test_the_month_grid_is_whole_weeks_padded_with_neighbouring_days() -> None:
    grid = month_grid(month_of(date(2026, 11, 1)))
    # November 2026 starts on a Sunday and ends on a Monday: six rows.
    assert len(grid) == 6 and all(len(week) == 7 for week in grid)
    assert grid[0][0] == date(2026, 10, 26) and grid[0][6] == date(2026, 11, 1)
    assert grid[-1][0] == date(2026, 11, 30) and grid[-1][6] == date(2026, 12, 6)
    # February 2021 is exactly four weeks.
    assert len(month_grid(month_of(date(2021, 2, 1)))) == 4


def test_the_calendar_shows_years_1900_to_2999() -> None:
    assert in_calendar_range(date(1900, 1, 1)) and in_calendar_range(date(2999, 12, 31))
    assert not in_calendar_range(date(1899, 12, 31)) and not in_calendar_range(date(3000, 1, 1))
