"""The rows of an export, read in batches, as cheaply as their columns allow.

A list's export runs the list's own statement (filters, search, sort). When
every exported column is a table column of the row or of a row it points to
(``"student.email"``), the statement is narrowed to those columns with outer
joins and streamed as plain rows: no ORM object is built. Otherwise (a column
read by a function or a Python property) ORM objects are streamed and the
related rows their paths pass through are loaded per batch, not per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, inspect
from sqlalchemy.orm import Mapper, Session, aliased, selectinload

from admin_site.export.workbook import (
    ExportColumn,
    column_getter,
    export_filename,
    studio_currency,
    studio_zone,
    write_workbook,
)
from domain.db.database import Database
from domain.model import Course

if TYPE_CHECKING:
    # What selectinload() returns; named for the type checker only.
    from sqlalchemy.orm.strategy_options import _AbstractLoad

#: Rows fetched per round trip while exporting; bounds memory whatever the table size.
EXPORT_BATCH = 1000


def write_list_export(
    db: Database,
    stmt: Select[Any],
    model: type[Any],
    columns: Sequence[ExportColumn],
    title: str,
    *,
    words: Mapping[int, Callable[[Any], Any]] | None = None,
) -> str:
    """Export what a list's statement selects to a temporary .xlsx file; returns its path.

    The columns at the positions of ``words`` hold stored words (a closed vocabulary,
    a weekday number): each value is written as the function puts it ("Full course").
    """
    with db.read() as session:
        rows = worded_rows(export_rows(session, stmt, model, columns), words or {})
        headers = [header for header, _ in columns]
        return write_workbook(
            [(title, headers, rows)],
            zone=studio_zone(session),
            currency=studio_currency(session),
        )


def list_filename(db: Database, name: str, course_id: str | None = None) -> str:
    """'Registrations - Contemporary Technique - 2026-11-29.xlsx' (the course when filtered by one).

    The date is the studio's today.
    """
    with db.read() as session:
        course = session.get(Course, int(course_id)) if course_id and course_id.isdigit() else None
        course_title = course.title if course is not None else ""
        today = datetime.now(studio_zone(session)).date()
    return export_filename(name, course_title, day=today)


def worded_rows(
    rows: Iterable[Sequence[Any]], words: Mapping[int, Callable[[Any], Any]]
) -> Iterable[Sequence[Any]]:
    """``rows`` with the values at the positions of ``words`` put into words."""
    if not words:
        return rows
    positions = sorted(words.items())

    def reword(row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for position, put in positions:
            if values[position] is not None:
                values[position] = put(values[position])
        return values

    return map(reword, rows)


def export_rows(
    session: Session,
    stmt: Select[Any],
    model: type[Any],
    columns: Sequence[ExportColumn],
    *,
    batch: int = EXPORT_BATCH,
) -> Iterator[Sequence[Any]]:
    """The values of ``columns`` for each row ``stmt`` selects, in its order."""
    plain = plain_rows_statement(stmt, model, columns)
    if plain is not None:
        yield from session.execute(plain.execution_options(yield_per=batch))
        return
    getters = [column_getter(column) for column in columns]
    loaded = stmt.options(*related_loads(model, columns))
    for obj in session.execute(loaded.execution_options(yield_per=batch)).scalars():
        yield [getter(obj) for getter in getters]


def plain_rows_statement(
    stmt: Select[Any], model: type[Any], columns: Sequence[ExportColumn]
) -> Select[Any] | None:
    """``stmt`` selecting only the columns' values, or None when one is not a table column.

    Each related row is joined once under an alias of its own, so joins the
    list made for its search or sort are left as they are; outer joins keep
    rows whose related row is missing, with None, as a dotted path reads.
    """
    root: Mapper[Any] = inspect(model)
    aliases: dict[tuple[str, ...], Any] = {}
    joins: list[tuple[Any, Any]] = []
    selected = []
    for _, getter in columns:
        if not isinstance(getter, str):
            return None
        *steps, name = getter.split(".")
        entity: Any = model
        mapper = root
        for depth, step in enumerate(steps):
            relation = mapper.relationships.get(step)
            if relation is None or relation.uselist:
                return None
            path = tuple(steps[: depth + 1])
            if path not in aliases:
                aliases[path] = aliased(relation.mapper.class_)
                joins.append((aliases[path], getattr(entity, step)))
            entity, mapper = aliases[path], relation.mapper
        if name not in mapper.column_attrs:
            return None
        selected.append(getattr(entity, name))
    if not selected:
        return None
    # The list's eager-load options name the entity, no longer selected: they are ignored.
    plain = stmt.with_only_columns(*selected, maintain_column_froms=False)
    for alias, relation in joins:
        plain = plain.outerjoin(alias, relation)
    return plain


def related_loads(model: type[Any], columns: Sequence[ExportColumn]) -> list[_AbstractLoad]:
    """selectinload options for the related rows the columns' dotted paths pass through."""
    loads: dict[tuple[str, ...], _AbstractLoad] = {}
    for _, getter in columns:
        if not isinstance(getter, str):
            continue
        mapper: Mapper[Any] = inspect(model)
        load: _AbstractLoad | None = None
        path: tuple[str, ...] = ()
        for step in getter.split("."):
            relation = mapper.relationships.get(step)
            if relation is None:
                break
            attribute = getattr(mapper.class_, step)
            load = selectinload(attribute) if load is None else load.selectinload(attribute)
            path += (step,)
            mapper = relation.mapper
        if load is not None:
            loads[path] = load
    # A path that is the start of a longer one is loaded by the longer one.
    return [
        load
        for path, load in loads.items()
        if not any(other[: len(path)] == path and other != path for other in loads)
    ]
