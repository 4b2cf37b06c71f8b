"""The audit log: each entry as a sentence ("Priya Patel confirmed payment of $110.00 for ...").

The names a page's sentences need (staff members, students, courses) are read
for the whole page in one statement (``domain.services.audit_log``), before the
page renders, and kept for it like the display settings (``formats.shown_with``).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqladmin.helpers import slugify_class_name
from sqladmin.pagination import Pagination
from sqlalchemy import Select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from admin_site.export.rows import EXPORT_BATCH
from admin_site.export.workbook import write_workbook
from admin_site.views.base import DetailFact, ReadOnlyView
from admin_site.views.filters import LabelledValuesFilter, date_range
from admin_site.views.formats import display_settings, shown_with
from domain import formatting
from domain.audit_sentences import EntryFacts
from domain.db.database import Database
from domain.model import AuditEntry
from domain.services.audit_log import (
    Names,
    actor_of,
    change_lines,
    describe,
    load_names,
    record_words,
)

#: Kinds of row whose detail page the audit entry links to while the row exists.
_LINKED = frozenset(
    {
        "Registration",
        "WaitlistEntry",
        "Attendance",
        "ClassSession",
        "CourseSlot",
        "Price",
        "Student",
        "Course",
        "School",
        "ContactLog",
    }
)


@dataclass
class _Page:
    """The sentences of the entries on the page being rendered, and the names behind them."""

    names: Names = field(default_factory=Names)
    sentences: dict[int, str] = field(default_factory=dict)


_page: ContextVar[_Page | None] = ContextVar("rollbook_audit_page", default=None)


def _current() -> _Page:
    return _page.get() or _Page()


def sentence_of(entry: AuditEntry) -> str:
    """The entry's sentence on this page; read without names if the page did not load them."""
    page = _current()
    found = page.sentences.get(entry.id or 0)
    if found is not None:
        return found
    return describe(entry, page.names, currency=shown_with().currency)


def _sentence(entry: Any, _: Any) -> Markup:
    # The sentence, and when under it: one column that wraps, so a phone reads it whole.
    moment = formatting.local_datetime(entry.occurred_at, shown_with().timezone)
    return Markup(
        '<span class="audit-sentence">{}<small class="d-block text-secondary">{}</small></span>'
    ).format(sentence_of(entry), moment)


class AuditEntryView(ReadOnlyView, model=AuditEntry):
    name = "Audit entry"
    name_plural = "Audit log"
    icon = "fa-solid fa-clock-rotate-left"
    category = "System"
    # Each entry reads as a line of a feed: the sentence, then when (newest first).
    column_list = ["action"]
    column_labels = {
        "occurred_at": "When",
        "action": "What happened",
        "actor_label": "Who",
        "entity_type": "Record",
        "entity_id": "Record number",
    }
    column_formatters = {"action": _sentence}
    column_searchable_list = ["actor_label", "action", "entity_type", "entity_id", "reason"]
    column_sortable_list = ["occurred_at", "actor_label", "entity_type"]
    column_default_sort = ("occurred_at", True)
    column_filters = [
        LabelledValuesFilter("action", title="Action", words=formatting.action_label),
        LabelledValuesFilter("entity_type", title="Record", words=formatting.label),
        *date_range("occurred_at", since="Since", until="Until"),
    ]
    column_details_list = ["occurred_at", "action", "actor_label", "entity_type", "reason"]
    #: Written by ``audit_export_rows``: the sentence, who and the changes in words.
    export_columns = ["occurred_at", "action", "actor_label", "entity_type", "reason", "changes"]

    async def list(self, request: Request) -> Pagination:
        pagination = await super().list(request)
        currency = shown_with().currency
        _page.set(await run_in_threadpool(self._describe, list(pagination.rows), currency))
        return pagination

    async def get_object_for_details(self, request: Request) -> Any:
        entry = await super().get_object_for_details(request)
        if entry is not None:
            _page.set(await run_in_threadpool(self._describe, [entry], shown_with().currency))
        return entry

    def _describe(self, entries: Sequence[EntryFacts], currency: str) -> _Page:
        with self.session_maker() as session:
            names = load_names(session, entries)
        return _Page(
            names=names,
            sentences={
                getattr(entry, "id", 0): describe(entry, names, currency=currency)
                for entry in entries
            },
        )

    def _write_export(self, db: Database, stmt: Select[Any]) -> str:
        # Each batch of entries has its names loaded at once, as a list page does.
        columns, _ = self.export_table()
        with db.read() as session:
            settings = display_settings(session)
            rows = audit_export_rows(session, stmt, settings.timezone, settings.currency)
            return write_workbook(
                [(self.name_plural, [header for header, _ in columns], rows)],
                zone=ZoneInfo(settings.timezone),
                currency=settings.currency,
            )

    def detail_title(self, model: Any) -> str:
        """'Refunded payment · Sun 29 Nov 2026, 16:35' (the sentence is the first fact)."""
        moment = formatting.local_datetime(model.occurred_at, shown_with().timezone)
        return f"{formatting.action_label(model.action)} · {moment}"

    async def detail_facts(self, request: Request, model: Any) -> builtins.list[DetailFact]:
        """When, who, which record, the reason and each change, in words."""
        settings = shown_with()
        names = _current().names
        facts = [
            DetailFact("What happened", sentence_of(model)),
            DetailFact("When", formatting.local_datetime(model.occurred_at, settings.timezone)),
            DetailFact("Who", actor_of(model, names)),
        ]
        url = self._record_url(request, model, names)
        facts.append(DetailFact("Record", record_words(model, names), url))
        if model.reason:
            facts.append(DetailFact("Reason", model.reason))
        lines = change_lines(model, names, zone=settings.timezone, currency=settings.currency)
        if lines:
            facts.append(DetailFact("Changes", _changes_list(lines)))
        return facts

    def _record_url(self, request: Request, model: Any, names: Names) -> str:
        key = model.entity_id
        if model.entity_type not in _LINKED or not key.isdigit():
            return ""
        if (model.entity_type, int(key)) not in names.subjects:
            return ""  # deleted since: nothing to open
        identity = slugify_class_name(model.entity_type)
        return str(request.url_for("admin:details", identity=identity, pk=key))


def _changes_list(lines: list[tuple[str, str, str]]) -> Markup:
    items = Markup("").join(
        Markup("<li><span class='text-secondary'>{}:</span> {} → {}</li>").format(*line)
        for line in lines
    )
    return Markup('<ul class="list-unstyled mb-0 audit-changes">{}</ul>').format(items)


def audit_export_rows(
    session: Session, stmt: Select[Any], zone: str, currency: str
) -> Iterator[list[Any]]:
    """When, what happened, who, record, reason and changes of each entry, in words.

    Entries are read ``EXPORT_BATCH`` at a time, each batch's names in one statement.
    """
    entries = session.execute(stmt.execution_options(yield_per=EXPORT_BATCH)).scalars()
    for batch in entries.partitions():
        names = load_names(session, batch)
        for entry in batch:
            changes = change_lines(entry, names, zone=zone, currency=currency)
            yield [
                entry.occurred_at,
                describe(entry, names, currency=currency),
                actor_of(entry, names),
                record_words(entry, names),
                entry.reason,
                "; ".join(f"{field}: {old} → {new}" for field, old, new in changes),
            ]
