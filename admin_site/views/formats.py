"""How the staff panel shows a value: ``domain.formatting`` applied to SQLAdmin's columns.

Every entity view gets a column formatter (SQLAdmin's ``column_formatters`` and
``column_formatters_detail``) for each column whose raw value would read as a
database value: times in the organisation's zone, money in its currency, enum
values as labels, states as coloured Tabler badges. The settings they need are
read once per page, before the page renders (``shown_with``), never per cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqladmin import ModelView
from sqladmin.formatters import BASE_FORMATTERS
from sqladmin.pagination import Pagination
from sqlalchemy import Date, Time, inspect
from sqlalchemy.orm import Mapper, QueryableAttribute, Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from admin_site.export.workbook import ExportColumn
from domain import formatting
from domain.db.types import Money, UTCDateTime
from domain.model import Course
from domain.rules.settings import DEFAULTS, Settings
from domain.services.settings import load_settings

#: A column formatter as SQLAdmin calls it: (row, attribute name) -> what the cell shows.
Formatter = Callable[[Any, Any], Any]

#: Columns that hold a value of a closed vocabulary (shown as its label).
LABELLED = frozenset(
    {
        "kind",
        "pricing_type",
        "payment_method",
        "source",
        "student_type",
        "required_student_type",
        "difficulty_level",
        "actor_kind",
        "purpose",
        "entity_type",
    }
)
#: Columns that hold a state (shown as a coloured badge).
STATES = frozenset({"status"})

_settings: ContextVar[Settings] = ContextVar("rollbook_shown_with", default=DEFAULTS)


def display_settings(session: Session) -> Settings:
    """The settings a page's values are shown with (zone, currency); read once per page."""
    return load_settings(session)


def show_with(settings: Settings) -> None:
    """Show the values of the page being rendered with ``settings``."""
    _settings.set(settings)


def shown_with() -> Settings:
    """The settings of the page being rendered (the defaults outside a page)."""
    return _settings.get()


def badge(text: str, colour: str) -> Markup:
    return Markup('<span class="badge bg-{}-lt">{}</span>').format(colour, text)


def show(value: Any) -> str:
    """A plain value in words, as a related table or a summary shows it."""
    settings = shown_with()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formatting.local_datetime(value, settings.timezone)
    if isinstance(value, date):
        return formatting.local_date(value)
    if isinstance(value, time):
        return formatting.clock_time(value)
    if isinstance(value, Decimal):
        return formatting.money(value, settings.currency)
    if isinstance(value, Course):
        return course_text(value)
    return str(value)


def show_cell(row: Any, path: object, value: Any) -> str:
    """A related table's cell: ``value`` read from ``row`` by ``path`` ("payment_status")."""
    name = path.rsplit(".", 1)[-1] if isinstance(path, str) else ""
    if name == "payment_status" and path == name and hasattr(row, "cancelled_at"):
        return formatting.payment_badge(row)[0]
    if name in LABELLED or name in STATES or name == "payment_status":
        return formatting.label(value)
    if name == "action" and isinstance(value, str):
        return formatting.action_label(value)
    if name == "day_of_week" and isinstance(value, int):
        return formatting.weekday(value)
    return show(value)


def _moment(row: Any, name: str) -> str:
    return formatting.local_datetime(getattr(row, name), shown_with().timezone)


def _money(row: Any, name: str) -> str:
    return formatting.money(getattr(row, name), shown_with().currency)


def _date(row: Any, name: str) -> str:
    return formatting.local_date(getattr(row, name))


def _time(row: Any, name: str) -> str:
    return formatting.clock_time(getattr(row, name))


def _label(row: Any, name: str) -> str:
    return formatting.label(getattr(row, name))


def _state(row: Any, name: str) -> Markup:
    value = getattr(row, name)
    return badge(formatting.label(value), formatting.state_colour(value))


def _payment(row: Any, name: str) -> Markup:
    # A cancelled registration reads Cancelled, whatever its payment status.
    return badge(*formatting.payment_badge(row))


def _weekday(row: Any, name: str) -> str:
    return formatting.weekday(getattr(row, name))


def _action(row: Any, name: str) -> str:
    return formatting.action_label(getattr(row, name))


def course_text(course: Course | None) -> str:
    """'Salsa Basics · Mon 2 Mar 2026': the course's first day on the studio's calendar."""
    # The course's own name says its date as ISO and in UTC; here it is the studio's day.
    if course is None:
        return ""
    day = course.starts_at.astimezone(ZoneInfo(shown_with().timezone)).date()
    return f"{course.title} · {formatting.local_date(day)}"


def _course(row: Any, name: str) -> str:
    return course_text(getattr(row, name))


def _by_type(column_type: Any) -> Formatter | None:
    if isinstance(column_type, UTCDateTime):
        return _moment
    if isinstance(column_type, Money):
        return _money
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Time):
        return _time
    return None


def column_formatters(model: type, names: Iterable[str]) -> dict[Any, Formatter]:
    """A formatter for each of ``names`` (the model's columns) a person would not read raw."""
    mapper: Mapper[Any] = inspect(model)
    found: dict[Any, Formatter] = {}
    for name, relation in mapper.relationships.items():
        if relation.mapper.class_ is Course and not relation.uselist:
            found[name] = _course
    for name in names:
        column = mapper.columns.get(name)
        if column is None:
            continue
        formatter = _by_type(column.type)
        if formatter is None:
            if name == "payment_status" and hasattr(model, "cancelled_at"):
                formatter = _payment
            elif name in STATES or name == "payment_status":
                formatter = _state
            elif name in LABELLED:
                formatter = _label
            elif name == "action":
                formatter = _action
            elif name == "day_of_week":
                formatter = _weekday
        if formatter is not None:
            found[name] = formatter
    return found


def is_labelled(name: str) -> bool:
    """Whether column ``name`` holds a value of a closed vocabulary (shown as its label)."""
    return name in LABELLED or name in STATES or name == "payment_status"


def export_words(name: str) -> Callable[[Any], Any] | None:
    """How an export writes column ``name``'s stored words, as the list shows them; None: as is."""
    if is_labelled(name):
        return formatting.label
    if name == "action":
        return formatting.action_label
    if name == "day_of_week":
        return lambda number: formatting.weekday(int(number))
    return None


def column_label(name: str) -> str:
    """A column's header in words: "contact_name" -> "Contact name", "course.title" -> "Course"."""
    if name == "id":
        return "ID"
    parts = name.split(".")
    last = parts[-1]
    if len(parts) > 1 and last in ("title", "name"):
        last = parts[-2]
    return last.replace("_", " ").capitalize()


class HumanValues(ModelView):
    """Every value of a view in words: formatters, headers, search placeholder, settings read once.

    Each column a person would not read raw gets its formatter (``column_formatters``);
    a view's own formatters and labels win.
    """

    column_type_formatters = {
        **BASE_FORMATTERS,
        datetime: show,
        date: show,
        time: show,
        Decimal: show,
        Course: show,
    }

    def __init__(self) -> None:
        view = type(self)
        automatic = column_formatters(self.model, inspect(self.model).columns.keys())
        view.column_formatters = {**automatic, **view.column_formatters}
        view.column_formatters_detail = {**automatic, **view.column_formatters_detail}
        # Every attribute and every listed, searched or sorted path gets a label in words;
        # a label the view gives itself wins.
        named = [
            *inspect(self.model).attrs.keys(),
            *view.column_list,
            *view.column_details_list,
            *view.column_searchable_list,
            *view.column_sortable_list,
        ]
        labels: dict[Any, str] = {_name(n): column_label(_name(n)) for n in named}
        labels.update({_name(key): label for key, label in view.column_labels.items()})
        view.column_labels = labels
        super().__init__()

    #: The Excel export's columns: dotted attribute paths ("student.email"). Each header is
    #: the column's label on the admin's pages (``export_header``), never a word of its own.
    export_columns: ClassVar[list[str]] = []

    def export_header(self, path: str) -> str:
        """The header of exported column ``path``: its label on the list and detail pages."""
        labels = {str(key): label for key, label in self.column_labels.items()}
        return labels.get(path) or column_label(path)

    def export_table(self) -> tuple[list[ExportColumn], dict[int, Callable[[Any], Any]]]:
        """(header, path) of each exported column, and how the stored words are put."""
        columns: list[ExportColumn] = [
            (self.export_header(path), path) for path in self.export_columns
        ]
        words = {
            position: put
            for position, path in enumerate(self.export_columns)
            if (put := self.export_words(path.rsplit(".", 1)[-1])) is not None
        }
        return columns, words

    def export_words(self, name: str) -> Callable[[Any], Any] | None:
        """How the export writes column ``name``'s values; a view may name its own words."""
        return export_words(name)

    def search_placeholder(self) -> str:
        # "first name, last name, email" rather than "student.first_name, ...".
        labels = {str(key): label for key, label in self.column_labels.items()}
        words = [
            labels.get(_name(name)) or column_label(_name(name))
            for name in self.column_searchable_list
        ]
        words = [word.lower() for word in words]
        return ", ".join(dict.fromkeys(words))

    async def list(self, request: Request) -> Pagination:
        show_with(await run_in_threadpool(self._display_settings))
        return await super().list(request)

    async def get_object_for_details(self, request: Request) -> Any:
        show_with(await run_in_threadpool(self._display_settings))
        return await super().get_object_for_details(request)

    def _display_settings(self) -> Settings:
        with self.session_maker() as session:
            return display_settings(session)


def _name(column: object) -> str:
    """A view's column as SQLAdmin names it: a string path, or an attribute's key."""
    if isinstance(column, QueryableAttribute):
        return str(column.key)
    return str(column)
