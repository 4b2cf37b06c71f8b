"""``rollbook import`` and ``rollbook export`` as a script or cron job runs them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import func, select

from domain.db import tables as t
from domain.db.database import Database
from tests.foundation.conftest import Run
from tests.imports.sheets import MESSY_STUDENTS, csv_bytes, xlsx_bytes

CLEAN = [["First name", "Last name", "Email"], ["Ana", "Lopez", "ana@example.org"]]


def _students(url: str) -> int:
    db = Database(url)
    try:
        with db.read() as s:
            return int(s.scalar(select(func.count()).select_from(t.students)) or 0)
    finally:
        db.dispose()


def test_import_reports_skipped_rows_and_exits_non_zero(
    rollbook: Run, tmp_path: Path, empty_database_url: str
) -> None:
    url = empty_database_url
    assert rollbook("migrate", DATABASE_URL=url).returncode == 0
    sheet = tmp_path / "roster.xlsx"
    sheet.write_bytes(xlsx_bytes(MESSY_STUDENTS))  # type: ignore[arg-type]

    dry = rollbook("import", "students", str(sheet), "--dry-run", DATABASE_URL=url)
    assert dry.returncode == 2, dry.stderr
    assert "Row 5 skipped (Benjamin Okafor <ben@example.org>): Duplicate in the file" in dry.stdout
    assert "Row 8 skipped: Missing name." in dry.stdout
    assert "3 would be created" in dry.stdout and "Nothing was written" in dry.stdout
    assert _students(url) == 0

    done = rollbook("import", "students", str(sheet), DATABASE_URL=url)
    assert done.returncode == 2
    assert "6 rows: 3 created, 0 updated, 3 skipped." in done.stdout
    assert _students(url) == 3


def test_a_clean_import_exits_zero_and_a_missing_file_says_so(
    rollbook: Run, tmp_path: Path
) -> None:
    sheet = tmp_path / "clean.csv"
    sheet.write_bytes(csv_bytes(CLEAN, delimiter=";", bom=True))
    ok = rollbook("import", "students", str(sheet))
    assert ok.returncode == 0, ok.stderr
    assert "1 rows: 1 created" in ok.stdout
    missing = rollbook("import", "students", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1
    assert "cannot read" in missing.stderr


def test_export_writes_the_students_list_as_the_admin_does(rollbook: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "clean.csv"
    sheet.write_bytes(csv_bytes(CLEAN))
    assert rollbook("import", "students", str(sheet)).returncode == 0
    out = tmp_path / "students.xlsx"
    done = rollbook("export", "students", "-o", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][1:4] == ("First name", "Last name", "Email")
    assert rows[1][1:4] == ("Ana", "Lopez", "ana@example.org")
    unknown = rollbook("export", "pupils")
    assert unknown.returncode == 1
    assert "there is no list 'pupils'; the lists are" in unknown.stderr
