"""List filters SQLAdmin does not ship: one bound of a date range, and "needs classifying"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqladmin.filters import AllUniqueStringValuesFilter, ForeignKeyFilter, get_column_obj
from sqlalchemy import DateTime, Select
from sqlalchemy.orm import InstrumentedAttribute
from starlette.requests import Request


class DateBoundFilter:
    """Rows whose date column is on or after (``since``) / on or before (``until``) a day.

    Two of these on one column make a date range; each is one query parameter,
    so the range survives paging, sorting and the export link.
    """

    has_operator = False
    template = "views_date_filter.html"
    #: Part of SQLAdmin's filter protocol; an absent parameter filters nothing
    #: (``ListingMixin.filtered_statement`` reads no default).
    default_value: Any = None

    def __init__(self, column: str, *, bound: str, title: str, parameter_name: str) -> None:
        if bound not in ("since", "until"):
            raise ValueError("bound is 'since' or 'until'")
        self.column = column
        self.bound = bound
        self.title = title
        self.parameter_name = parameter_name

    async def lookups(
        self, request: Request, model: Any, run_query: Callable[[Select[Any]], Any]
    ) -> list[tuple[str, str]]:
        return []

    async def get_filtered_query(self, query: Select[Any], value: Any, model: Any) -> Select[Any]:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            # A mistyped date filters nothing rather than failing the page.
            return query
        column: InstrumentedAttribute[Any] = get_column_obj(self.column, model)
        is_datetime = _is_datetime_column(column)
        if self.bound == "since":
            start: date | datetime = (
                datetime.combine(day, time.min, tzinfo=UTC) if is_datetime else day
            )
            return query.where(column >= start)
        if is_datetime:
            end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
            return query.where(column < end)
        return query.where(column <= day)


def date_range(column: str, *, since: str, until: str, prefix: str = "") -> list[DateBoundFilter]:
    """The two filters of a date range on the attribute named ``column``, titled ``since``
    and ``until``.

    Their query parameters are ``since`` and ``until``, after ``prefix`` and "_" if given.
    """
    lead = f"{prefix}_" if prefix else ""
    return [
        DateBoundFilter(column, bound="since", title=since, parameter_name=f"{lead}since"),
        DateBoundFilter(column, bound="until", title=until, parameter_name=f"{lead}until"),
    ]


def _is_datetime_column(column: InstrumentedAttribute[Any]) -> bool:
    column_type = column.type
    # UTCDateTime is a TypeDecorator: what it stores is its ``impl``.
    return isinstance(column_type, DateTime) or isinstance(
        getattr(column_type, "impl", None), DateTime
    )


class ChoiceFilter:
    """Rows where a condition from a fixed list holds (e.g. "unclassified": type not confirmed)."""

    has_operator = False
    template = "sqladmin/filters/lookup_filter.html"
    default_value: Any = None  # see DateBoundFilter

    def __init__(
        self,
        *,
        title: str,
        parameter_name: str,
        choices: dict[str, tuple[str, Callable[[Select[Any]], Select[Any]]]],
    ) -> None:
        self.title = title
        self.parameter_name = parameter_name
        self.choices = choices

    async def lookups(
        self, request: Request, model: Any, run_query: Callable[[Select[Any]], Any]
    ) -> list[tuple[str, str]]:
        return [("__all", "All")] + [(key, label) for key, (label, _) in self.choices.items()]

    async def get_filtered_query(self, query: Select[Any], value: Any, model: Any) -> Select[Any]:
        choice = self.choices.get(str(value))
        return choice[1](query) if choice else query


class PickerFilter(ForeignKeyFilter):
    """A filter by a related row (a course, a school) picked from one drop-down.

    SQLAdmin lists each related row as a link built from the page's address; with
    a thousand courses that sidebar was most of a list page's rendering time and
    a long scroll for staff.
    """

    template = "views_select_filter.html"


class LabelledValuesFilter(AllUniqueStringValuesFilter):
    """SQLAdmin's filter by the values a column holds, each shown as words, not as stored."""

    def __init__(self, column: str, *, title: str, words: Callable[[str], str]) -> None:
        super().__init__(column, title=title)
        self.words = words

    async def lookups(
        self, request: Request, model: Any, run_query: Callable[[Select[Any]], Any]
    ) -> list[tuple[str, str]]:
        found = await super().lookups(request, model, run_query)
        return [(value, text if value == "__all" else self.words(value)) for value, text in found]
