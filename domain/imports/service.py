"""Preview or apply an import: every row decided in one transaction, all or nothing.

A preview runs the very writes an apply would, then rolls them back, so what
the preview says of each row is what the apply does to the same data. An apply
commits the created and updated rows with one audit entry for the import; if
anything fails on the way, nothing at all is written.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.imports.columns import ImportKind, Mapping, guess_mapping
from domain.imports.people_rows import (
    ImportOptions,
    Progress,
    RowResult,
    import_schools,
    import_students,
    no_progress,
)
from domain.imports.reading import Sheet
from domain.imports.registration_rows import import_registrations
from domain.services.settings import load_settings


@dataclass
class ImportBatch:
    """What an import's audit entry is about: the kind of rows brought in."""

    key: str


@dataclass
class ImportReport:
    kind: ImportKind
    rows: list[RowResult]
    applied: bool = False
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.counts = Counter(row.action for row in self.rows)

    @property
    def skipped(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == "skip"]

    def summary(self) -> str:
        verb = "" if self.applied else "would be "
        return (
            f"{len(self.rows)} rows: {self.counts['create']} {verb}created, "
            f"{self.counts['update']} {verb}updated, {self.counts['skip']} skipped."
        )


def preview_import(
    db: Database,
    kind: ImportKind,
    sheet: Sheet,
    mapping: Mapping | None = None,
    options: ImportOptions | None = None,
    *,
    actor: Actor,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """What applying would do to each row; nothing is written."""
    with db.write() as session:
        rows = _run(session, kind, sheet, mapping, options or ImportOptions(), actor, now, progress)
        session.rollback()
    return ImportReport(kind, rows)


def apply_import(
    db: Database,
    kind: ImportKind,
    sheet: Sheet,
    mapping: Mapping | None = None,
    options: ImportOptions | None = None,
    *,
    actor: Actor,
    filename: str = "",
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Write every row that is not skipped, in one transaction, audited as one import."""
    now = now or utcnow()
    with db.write() as session:
        rows = _run(session, kind, sheet, mapping, options or ImportOptions(), actor, now, progress)
        report = ImportReport(kind, rows, applied=True)
        audit.record(
            session,
            actor,
            "import",
            ImportBatch(str(kind)),
            {
                "file": [None, filename],
                "rows": [None, len(rows)],
                "created": [None, report.counts["create"]],
                "updated": [None, report.counts["update"]],
                "skipped": [None, report.counts["skip"]],
            },
            reason=f"imported {kind} from {filename or 'a file'} — {report.summary()}",
            now=now,
        )
        session.commit()
    return report


_Runner = Callable[..., list[RowResult]]


def _run(
    session: Session,
    kind: ImportKind,
    sheet: Sheet,
    mapping: Mapping | None,
    options: ImportOptions,
    actor: Actor,
    now: datetime | None,
    progress: Progress,
) -> list[RowResult]:
    now = now or utcnow()
    columns = guess_mapping(kind, sheet.headers) if mapping is None else mapping
    if kind == ImportKind.REGISTRATIONS:
        return import_registrations(
            session,
            sheet.rows,
            columns,
            options,
            actor=actor,
            settings=load_settings(session),
            now=now,
            progress=progress,
        )
    runner: _Runner = import_students if kind == ImportKind.STUDENTS else import_schools
    return runner(session, sheet.rows, columns, options, now=now, progress=progress)


def skipped_rows_csv(report: ImportReport, headers: list[str]) -> str:
    """The skipped rows as they were in the file, each with its row number and reason."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Row", "Reason", *headers])
    for row in report.skipped:
        # A cell that a spreadsheet would run as a formula is written as text.
        writer.writerow([row.line, row.reason, *(_as_text(cell) for cell in row.cells)])
    return out.getvalue()


def _as_text(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
