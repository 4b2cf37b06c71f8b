"""``rollbook import`` and ``rollbook export``: data in from a spreadsheet, lists out to one."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from domain.actors import Actor
from domain.config import Config
from domain.db.database import Database
from domain.errors import DomainError
from domain.imports.columns import FIELDS, ImportKind, guess_mapping
from domain.imports.people_rows import ImportOptions
from domain.imports.reading import read_sheet
from domain.imports.service import ImportReport, apply_import, preview_import
from rollbook.database_setup import CommandError, prepare_database

#: The exit code when the import ran but skipped rows (1 is a failure: nothing done).
SKIPPED_ROWS = 2


def add_data_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    imports = commands.add_parser(
        "import",
        help="bring schools, students or registrations in from an .xlsx or .csv file",
        description="Rows are matched by their header row. Every row is decided first "
        "(created, updated or skipped with its reason); then all are written in one "
        "transaction. The exit code is 2 when rows were skipped.",
    )
    imports.add_argument("kind", choices=[str(kind) for kind in ImportKind])
    imports.add_argument("file", type=Path)
    imports.add_argument("--course", type=int, help="registrations: the course id of every row")
    imports.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    imports.add_argument(
        "--update-existing", action="store_true", help="change students or schools already here"
    )
    imports.add_argument(
        "--override-reason",
        default="",
        help="registrations: pass capacity and eligibility, for this reason",
    )
    imports.set_defaults(run=run_import)

    exports = commands.add_parser(
        "export",
        help="write a list the admin exports to an .xlsx file",
        description="LIST is a list's name as the admin's menu shows it, in lower case "
        "with dashes (students, registrations, audit-log, ...).",
    )
    exports.add_argument("list")
    exports.add_argument("-o", "--output", type=Path, help="file to write (default: its name)")
    exports.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a filter of the list page, as in its address (course_id=3, search=ana)",
    )
    exports.set_defaults(run=run_export)


def run_import(args: argparse.Namespace, config: Config) -> int:
    kind = ImportKind(args.kind)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}") from exc
    try:
        sheet = read_sheet(args.file.name, data)
    except DomainError as exc:
        raise CommandError(f"{args.file}: {exc}") from exc
    mapping = guess_mapping(kind, sheet.headers)
    err = Console(stderr=True)
    labels = {field.name: field.label for field in FIELDS[kind]}
    for name, index in mapping.items():
        err.print(f"  {labels[name]:<14} ← column {sheet.headers[index]!r}")
    options = ImportOptions(
        update_existing=args.update_existing,
        course_id=args.course,
        override_reason=args.override_reason,
    )
    prepare_database(config)
    db = Database.from_config(config)
    actor = Actor.script(f"rollbook import {kind}")
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task(
                "Checking rows" if args.dry_run else "Importing", total=len(sheet.rows)
            )

            def step() -> None:
                bar.advance(task)

            if args.dry_run:
                report = preview_import(
                    db, kind, sheet, mapping, options, actor=actor, progress=step
                )
            else:
                report = apply_import(
                    db,
                    kind,
                    sheet,
                    mapping,
                    options,
                    actor=actor,
                    filename=args.file.name,
                    progress=step,
                )
    except DomainError as exc:
        raise CommandError(f"{exc} Nothing was imported.") from exc
    finally:
        db.dispose()
    _print_report(report, dry_run=args.dry_run)
    return SKIPPED_ROWS if report.skipped else 0


def _print_report(report: ImportReport, *, dry_run: bool) -> None:
    out = Console(highlight=False, soft_wrap=True)
    for row in report.skipped:
        who = f" ({row.subject})" if row.subject else ""
        out.print(f"Row {row.line} skipped{who}: {row.reason}", markup=False)
    note = " Nothing was written (dry run)." if dry_run else ""
    out.print(report.summary() + note, markup=False)


def run_export(args: argparse.Namespace, config: Config) -> int:
    from admin_site.list_exports import export_list

    filters: dict[str, str] = {}
    for item in args.filter:
        name, sep, value = item.partition("=")
        if not sep:
            raise CommandError(f"--filter {item!r}: write it as NAME=VALUE")
        filters[name.strip()] = value.strip()
    prepare_database(config)
    db = Database.from_config(config)
    try:
        path, filename = export_list(db, args.list, filters)
    except LookupError as exc:
        raise CommandError(str(exc.args[0])) from exc
    finally:
        db.dispose()
    target = args.output or Path(filename)
    shutil.move(path, target)
    print(f"Wrote {target}", file=sys.stderr)
    return 0
