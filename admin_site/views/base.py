"""What every Rollbook entity view shares: paging, guarded delete, audit, Excel export.

An entity view is a declarative ``RollbookView`` subclass in the module of its
domain area (people, courses, registrations, system). Actions that carry a
rule (confirm payment, cancel, move on the waitlist, ...) are added to those
classes with ``@action`` and go through a domain service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqladmin._queries import Query
from sqladmin.fields import TimezoneAwareDateTimeField
from sqladmin.formatters import BASE_FORMATTERS
from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import object_session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from wtforms import Form
from wtforms.fields.core import UnboundField

from admin_site.export import (
    ExportColumn,
    column_value,
    export_filename,
    studio_zone,
    xlsx_response,
)
from admin_site.export_rows import write_list_export
from admin_site.staff_context import current_actor, database
from admin_site.views.listing import ListingMixin
from admin_site.views.refusals import refusals_on_the_form
from domain import audit
from domain.clock import utcnow
from domain.db.database import Database
from domain.services.deletion import delete_entity

#: Rows a detail page's related table shows; the rest are one "see all" link away.
RELATED_ROWS = 25


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


def choices(enum: Any) -> list[tuple[str, str]]:
    """(value, label) pairs of a StrEnum for a select field or a filter."""
    return [(value.value, value.value.replace("_", " ")) for value in enum]


def display(value: Any) -> str:
    """A value as a detail-page table shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


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
        rows=[(row.id, [display(column_value(row, column)) for column in columns]) for row in rows],
        list_url=list_url,
        total=rows.total if isinstance(rows, RelatedRows) else len(rows),
    )


def _datetime_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z").strip()


def _label(name: str) -> str:
    if name == "id":
        return "ID"
    return name.split(".")[-1].replace("_", " ").capitalize()


class RollbookView(ListingMixin):
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
    #: The Excel export's columns: (header, dotted attribute path or function of the row).
    export_columns: ClassVar[list[ExportColumn]] = []
    column_type_formatters = {**BASE_FORMATTERS, datetime: _datetime_text}

    def __init__(self) -> None:
        super().__init__()
        # Columns without an explicit label read as words: "contact_name" -> "Contact name".
        names = {*self._list_prop_names, *self._details_prop_names, *self._form_prop_names}
        for name in names:
            self._column_labels.setdefault(name, _label(name))
        self._column_labels_value_by_key = {v: k for k, v in self._column_labels.items()}

    # ---- detail page -------------------------------------------------------------

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        """Tables of related rows under the detail page; each view adds its own."""
        return []

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
        rows = await self._run_query(stmt.limit(RELATED_ROWS))
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
    ) -> Response:
        if request is None:
            raise ValueError("the export needs the request to know the list's filters")
        stmt = await self.filtered_statement(request)
        db = database(request)
        path = await run_in_threadpool(self._write_export, db, stmt)
        return xlsx_response(path, export_filename(self.name_plural))

    def _write_export(self, db: Database, stmt: Select[Any]) -> str:
        # Plain rows when every column is a table column; else ORM objects, related rows per batch.
        return write_list_export(db, stmt, self.model, self.export_columns, self.name_plural)

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

    def check_values(self, db: Database, data: dict[str, Any], pk: int | None) -> None:
        """The domain's checks of a row about to be created (``pk`` None) or changed.

        Runs in a worker thread before anything is written; a ``ValidationError``
        names the form field it is about. Each view with rules overrides it.
        """

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        with refusals_on_the_form(request, self.get_form_columns()):
            await run_in_threadpool(self.check_values, database(request), data, None)
            return await _EntityQuery(self).insert(data, request)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        with refusals_on_the_form(request, self.get_form_columns()):
            await run_in_threadpool(self.check_values, database(request), data, int(pk))
            return await self.save_changes(request, pk, data)

    async def save_changes(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        """An edit's write once its values passed ``check_values``; SQLAdmin's copy by default."""
        return await super().update_model(request, pk, data)

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

    async def on_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        if hasattr(model, "updated_at"):
            data["updated_at"] = utcnow()
        if is_created:
            return
        session = object_session(model)
        changes = _changes(model, data)
        if session is not None and changes:
            audit.record(session, current_actor(request), "update", model, changes)

    async def after_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        if is_created:
            await run_in_threadpool(self._audit_created, database(request), model, request)

    def _audit_created(self, db: Database, model: Any, request: Request) -> None:
        # SQLAdmin adds a new row outside our reach before commit; the entry follows at once.
        with db.write() as session:
            changes = {name: [None, _plain(getattr(model, name))] for name in _column_names(model)}
            audit.record(session, current_actor(request), "create", model, changes)
            session.commit()

    def _zone_from_db(self) -> ZoneInfo:
        with self.session_maker() as session:
            return studio_zone(session)


class ReadOnlyView(RollbookView):
    """Rows changed only through services (actions, roll call, worker): read and export here."""

    can_create = False
    can_edit = False
    can_delete = False


class _EntityQuery(Query):
    """SQLAdmin's writes, building a new entity from its plain fields only.

    SQLAdmin hands a dataclass model every form value, related rows as raw ids;
    our entities take the related rows afterwards, when SQLAdmin looks them up.
    """

    def _get_model_object(self, data: dict[str, Any]) -> Any:
        model = self.model_view.model
        relations = set(inspect(model).relationships.keys())
        plain = {f.name for f in dataclasses.fields(model) if f.init} - relations
        return model(**{name: value for name, value in data.items() if name in plain})


def _column_names(model: Any) -> list[str]:
    return [attr.key for attr in inspect(type(model)).column_attrs]


def _changes(model: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    columns = set(_column_names(model)) - {"updated_at"}
    changes = {
        name: [_plain(getattr(model, name)), _plain(value)]
        for name, value in data.items()
        if name in columns and getattr(model, name) != value
    }
    # A picked related row (a student's school) is recorded as its foreign key.
    for name, relation in inspect(type(model)).relationships.items():
        local = list(relation.local_columns)
        if name not in data or relation.uselist or len(local) != 1:
            continue
        key = local[0].key
        old, new = getattr(model, key), related_id(data[name])
        if old != new:
            changes[key] = [old, new]
    return changes


def related_id(value: Any) -> int | None:
    """The id of a related row as a form gives it (the row, its id, or blank)."""
    if value is None or value == "":
        return None
    if hasattr(value, "id"):
        return int(value.id)
    return int(value)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value for the audit log."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
