"""What every Rollbook entity view shares: paging, writes through the domain, guarded
delete, Excel export.

An entity view is a declarative ``RollbookView`` subclass in the module of its
domain area (people, courses, registrations, system). Its creates and edits go
through a domain service (``create_record`` / ``update_record``, called from
SQLAdmin's ``insert_model`` / ``update_model`` hooks) that validates, writes and
audits in one transaction: SQLAdmin's generic copy of a form onto a row never
runs. Actions that carry a rule (confirm payment, cancel, move on the
waitlist, ...) are added to those classes with ``@action`` and go through a
domain service too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqladmin.fields import TimezoneAwareDateTimeField
from sqladmin.helpers import get_object_identifier, slugify_class_name
from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Mapper
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse
from wtforms import Form
from wtforms.fields.core import UnboundField

from admin_site.export.rows import list_filename, write_list_export
from admin_site.export.workbook import (
    ExportColumn,
    column_value,
    studio_zone,
    xlsx_response,
)
from admin_site.request_context import current_actor, database
from admin_site.views.formats import HumanValues, show, show_cell
from admin_site.views.listing import ListingMixin
from admin_site.views.refusals import refusals_on_the_form
from domain import formatting
from domain.actors import Actor
from domain.db.database import Database
from domain.errors import InvalidTransition
from domain.services.deletion import delete_blockers, delete_entity

#: Rows a detail page's related table shows; the rest are one "see all" link away.
RELATED_ROWS = 25

#: A form's values by the domain's names: a picked related row as its id (``course_id``).
FormValues = dict[str, Any]
T = TypeVar("T")


class RelatedRows(list[Any]):
    """The first ``RELATED_ROWS`` related rows, knowing how many there are in all."""

    def __init__(self, rows: Sequence[Any], total: int) -> None:
        super().__init__(rows)
        self.total = total


@dataclass
class RelatedTable:
    """A table of related rows on a detail page (a course's sessions, a school's sign-ups...)."""

    title: str
    #: The identity of the view each row links to.
    identity: str
    headers: list[str]
    rows: list[tuple[Any, list[str]]] = field(default_factory=list)
    #: The list page filtered to these rows, where there is one.
    list_url: str = ""
    #: How many related rows exist; ``rows`` holds at most ``RELATED_ROWS`` of them.
    total: int = 0

    @property
    def is_capped(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class DetailFact:
    """A line of a detail page's summary: label, value in words, a link if it names a row."""

    label: str
    #: Text, or markup a formatter made (kept as markup).
    text: Any
    url: str = ""


def _prop_name(column: object) -> str:
    return str(column.key) if isinstance(column, InstrumentedAttribute) else str(column)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not value)


def _fact_text(formatted: Any) -> Any:
    if isinstance(formatted, list | tuple):
        return ", ".join(str(item) for item in formatted)
    return formatted


def _delete_blockers(db: Database, model: type, pk: Any) -> list[str]:
    with db.read() as session:
        row = session.get(model, pk)
        return delete_blockers(session, row) if row is not None else []


def choices(enum: Any) -> list[tuple[str, str]]:
    """(value, label) pairs of a StrEnum for a select field or a filter."""
    return [(value.value, formatting.label(value.value)) for value in enum]


def display(value: Any) -> str:
    """A value as a detail-page table shows it."""
    return show(value)


def related_table(
    title: str,
    identity: str,
    columns: Sequence[ExportColumn],
    rows: Sequence[Any],
    list_url: str = "",
) -> RelatedTable:
    return RelatedTable(
        title=title,
        identity=identity,
        headers=[header for header, _ in columns],
        rows=[
            (row.id, [show_cell(row, column[1], column_value(row, column)) for column in columns])
            for row in rows
        ],
        list_url=list_url,
        total=rows.total if isinstance(rows, RelatedRows) else len(rows),
    )


class RollbookView(HumanValues, ListingMixin):
    """Base of every entity view; not registered itself."""

    page_size = 25
    page_size_options = [25, 50, 100]
    can_export = True
    export_types = ["xlsx"]
    list_template = "views_list.html"
    details_template = "views_details.html"
    # SQLAdmin's forms, with a refused value's sentence under its field.
    create_template = "rollbook/create.html"
    edit_template = "rollbook/edit.html"
    # ---- detail page -------------------------------------------------------------

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        """Tables of related rows under the detail page; each view adds its own."""
        return []

    def detail_title(self, model: Any) -> str:
        """The detail page's heading; empty for the usual name (full name, title, name).

        A view whose rows have no name of their own says what one is called here
        (a registration: "Jamie Newcomer — Contemporary Technique").
        """
        return ""

    async def detail_facts(self, request: Request, model: Any) -> list[DetailFact]:
        """The detail page's summary: each field that has a value, in words; empty ones left out."""
        mapper = cast(Mapper[Any], inspect(self.model))
        names = [_prop_name(name) for name in self.column_details_list] or [
            attr.key for attr in mapper.column_attrs
        ]
        relations = {relation.key for relation in mapper.relationships}
        labels = {str(key): label for key, label in self.column_labels.items()}
        facts: list[DetailFact] = []
        for name in names:
            if name == "id":
                continue
            value, formatted = await self.get_detail_value(model, name, request)
            if _is_empty(value) or _is_empty(formatted):
                continue
            url = ""
            if name in relations and not isinstance(value, list):
                url = str(
                    request.url_for(
                        "admin:details",
                        identity=slugify_class_name(type(value).__name__),
                        pk=get_object_identifier(value),
                    )
                )
            facts.append(DetailFact(labels.get(name, name), _fact_text(formatted), url))
        return facts

    async def delete_blockers(self, request: Request, model: Any) -> list[str]:
        """Why this row may not be deleted, as the delete itself would say; empty when it may.

        The detail page offers Delete only when this is empty.
        """
        return await run_in_threadpool(
            _delete_blockers, database(request), self.model, get_object_identifier(model)
        )

    def detail_links(self, request: Request, model: Any) -> list[tuple[str, str]]:
        """(label, url) buttons under the detail page's fields."""
        return []

    def menu_links(self, request: Request) -> list[tuple[str, str]]:
        """(label, url) buttons beside the list's export button (e.g. a "register" action)."""
        return []

    async def query(self, stmt: Select[Any]) -> RelatedRows:
        """The first ``RELATED_ROWS`` rows of a detail page's related table, and their count.

        Two statements whatever the number of rows: a course with thousands of
        sign-ups shows the first page of them, not all.
        """
        rows = await self.rows(stmt.limit(RELATED_ROWS))
        # Counted even when few, so that a page's cost never depends on the data.
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        total = await run_in_threadpool(self._scalar, counted)
        return RelatedRows(rows, int(total or 0))

    def _scalar(self, stmt: Select[Any]) -> Any:
        with self.session_maker() as session:
            return session.scalar(stmt)

    # ---- export ------------------------------------------------------------------

    async def get_model_objects(self, request: Request, limit: int | None = 0) -> list[Any]:
        # SQLAdmin's export route would load every row here; ours streams them instead.
        return []

    async def export_data(
        self, data: list[Any], export_type: str = "xlsx", request: Request | None = None
    ) -> StreamingResponse:
        if request is None:
            raise ValueError("the export needs the request to know the list's filters")
        stmt = await self.filtered_statement(request)
        db = database(request)
        path = await run_in_threadpool(self._write_export, db, stmt)
        course_id = request.query_params.get("course_id")
        filename = await run_in_threadpool(list_filename, db, self.name_plural, course_id)
        return xlsx_response(path, filename)

    def _write_export(self, db: Database, stmt: Select[Any]) -> str:
        # Plain rows when every column is a table column; else ORM objects, related rows per batch.
        columns, words = self.export_table()
        return write_list_export(db, stmt, self.model, columns, self.name_plural, words=words)

    # ---- changes -----------------------------------------------------------------

    async def delete_model(self, request: Request, pk: Any) -> None:
        # DeleteRefused propagates: SQLAdmin shows its message above the list.
        await run_in_threadpool(
            delete_entity,
            database(request),
            model=self.model,
            entity_id=int(pk),
            actor=current_actor(request),
        )

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> Any:
        """Create the row through its domain service, which validates, writes and audits.

        Runs in a worker thread. Each view that lets staff create rows overrides it; the
        default refuses on the form, so a view without a service can never write a row.
        """
        raise InvalidTransition(f"{self.name} cannot be added from this form.")

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> Any:
        """Change the row through its domain service (see ``create_record``)."""
        raise InvalidTransition(f"{self.name} cannot be changed from this form.")

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        # SQLAdmin's own insert would copy the form onto the row and commit it
        # apart from the rules and the audit entry; the domain service does all three.
        values = self.form_values(data)
        with refusals_on_the_form(request, self.get_form_columns()):
            return await run_in_threadpool(
                self.create_record, database(request), values, current_actor(request)
            )

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        values = self.form_values(data)
        with refusals_on_the_form(request, self.get_form_columns()):
            return await run_in_threadpool(
                self.update_record, database(request), int(pk), values, current_actor(request)
            )

    def form_values(self, data: dict[str, Any]) -> FormValues:
        """The form's values by the domain's names, as SQLAdmin would have stored them.

        A picked related row becomes its id (``course`` -> ``course_id``); a blank
        value of a column that may be empty becomes None.
        """
        mapper: Mapper[Any] = inspect(self.model)
        values: FormValues = {}
        for name, value in data.items():
            relation = mapper.relationships.get(name)
            if relation is not None:
                (key,) = (column.key for column in relation.local_columns)
                values[str(key)] = related_id(value)
                continue
            column = mapper.columns.get(name)
            blank = value is None or value == ""
            values[name] = None if blank and column is not None and column.nullable else value
        return values

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        form = await super().scaffold_form(rules)
        zone = await run_in_threadpool(self._zone_from_db)
        # Staff type times on the studio's clock; SQLAdmin would assume UTC.
        for value in vars(form).values():
            if isinstance(value, UnboundField) and issubclass(
                value.field_class, TimezoneAwareDateTimeField
            ):
                value.kwargs["display_timezone"] = zone
                value.kwargs["description"] = f"Time zone: {zone.key}"
        return form

    def _zone_from_db(self) -> ZoneInfo:
        with self.session_maker() as session:
            return studio_zone(session)


class ReadOnlyView(RollbookView):
    """Rows changed only through services (actions, roll call, worker): read and export here."""

    can_create = False
    can_edit = False
    can_delete = False


def as_fields(kind: type[T], values: FormValues) -> T:
    """A form's values as the ``TypedDict`` a domain service takes.

    Only a type for mypy: the service refuses a name it does not know, and its
    rules check every value, whatever the form held.
    """
    return cast(T, values)


def mapped(entity: type, name: str) -> InstrumentedAttribute[Any]:
    """``entity.name`` as SQLAlchemy maps it, for joins and loader options.

    The entities are plain dataclasses mapped imperatively, so mypy sees
    ``Registration.student`` as a ``Student``, not as the relationship it is
    once mapped; conditions and sorts use the typed columns of ``domain.db.tables``.
    """
    return cast(InstrumentedAttribute[Any], getattr(entity, name))


def related_id(value: Any) -> int | None:
    """The id of a related row as a form gives it (the row, its id, or blank)."""
    if value is None or value == "":
        return None
    if hasattr(value, "id"):
        return int(value.id)
    return int(value)
