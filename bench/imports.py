"""Import N students from an .xlsx file with ``rollbook import``: seconds and peak memory.

The sheet is written first (XlsxWriter), with a few rows to skip (a duplicate
email, a bad one); the import then runs as the command a staff member or a
cron job runs, in a process of its own, so its peak resident memory (maximum
RSS of the child) is the import's alone. Target: 100,000 students in under
60 s and 300 MB.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter  # type: ignore[import-untyped]

from bench.servers import app_environment
from domain.db.migrate import upgrade_to_head


@dataclass
class ImportResult:
    rows: int
    seconds: float
    peak_rss_mb: float
    file_mb: float
    exit_code: int
    summary: str

    def describe(self) -> str:
        return (
            f"import of {self.rows} students from xlsx ({self.file_mb:.1f} MB): "
            f"{self.seconds:.1f} s, peak resident memory {self.peak_rss_mb:.0f} MB\n"
            f"  {self.summary} (exit code {self.exit_code})"
        )


def write_students_sheet(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Students")
    sheet.write_row(0, 0, ["First Name", "Last name", "E-mail", "Phone", "Notes"])
    for n in range(1, rows + 1):
        email = f"student{n}@example.org"
        if n % 10_000 == 0:
            email = "student1@example.org"  # a duplicate in the file
        elif n % 10_000 == 1 and n > 1:
            email = "not-an-email"
        sheet.write_row(n, 0, [f"Student{n}", "Imported", email, f"555-{n:07d}", "from bench"])
    book.close()


def run_import(database_url: str, rows: int) -> ImportResult:
    upgrade_to_head(database_url)
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "students.xlsx"
        write_students_sheet(sheet, rows)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "rollbook.cli", "import", "students", str(sheet)],
            env=app_environment(database_url, Path(folder) / "data"),
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode not in (0, 2):
            raise RuntimeError(f"rollbook import failed: {done.stderr[-2000:]}")
        lines = done.stdout.strip().splitlines()
        return ImportResult(
            rows=rows,
            seconds=seconds,
            # ru_maxrss is the largest child so far: the import is the largest child here.
            peak_rss_mb=max(peak_kb, before) / 1024,
            file_mb=sheet.stat().st_size / 1e6,
            exit_code=done.returncode,
            summary=lines[-1] if lines else "",
        )
