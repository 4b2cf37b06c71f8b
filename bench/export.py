"""Export every registration (100,000 rows) to xlsx: seconds and peak memory.

The export runs in a fresh Python process, so its peak resident memory
(``VmHWM``) is the export's and the app's alone: the process starts, builds
the admin app, signs in, notes its memory, downloads the file through the admin
(in-process), and reports the time and the peak.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.servers import ROOT

EXPORT_URL = "/admin/registration/export/xlsx"


@dataclass
class ExportResult:
    rows: int
    seconds: float
    bytes: int
    peak_rss_mb: float
    baseline_rss_mb: float
    #: The xlsx writer the admin's export used (library, version, mode).
    writer: str

    def describe(self) -> str:
        return (
            f"export of {self.rows} registrations to xlsx "
            f"({self.writer})\n"
            f"  {self.seconds:.1f} s, {self.bytes / 1e6:.1f} MB file\n"
            f"  peak resident memory {self.peak_rss_mb:.0f} MB "
            f"(the process held {self.baseline_rss_mb:.0f} MB just before the export: "
            f"+{self.peak_rss_mb - self.baseline_rss_mb:.0f} MB)"
        )


def _max_rss_mb() -> float:
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec, so
    # this child would report the parent's peak (seeding 100,000 rows: ~140 MB).
    return _status_mb("VmHWM")


def _rss_mb() -> float:
    return _status_mb("VmRSS")


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(url: str) -> None:
    """Run in the subprocess: export and print the figures as JSON."""
    from openpyxl import load_workbook

    from admin_site.export.workbook import WRITER
    from bench.admin_scale import signed_in_admin

    with signed_in_admin(url) as (client, _db):
        # A small export first: templates, mappers and the writer are loaded before measuring.
        client.get(EXPORT_URL + "?search=student00001")
        baseline = _rss_mb()
        started = time.perf_counter()
        response = client.get(EXPORT_URL)
        seconds = time.perf_counter() - started
        peak = _max_rss_mb()
    if response.status_code != 200:
        raise SystemExit(f"the export answered {response.status_code}")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = -1  # the header row is not an exported row
    for _ in sheet.iter_rows(values_only=True):
        rows += 1
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": seconds,
                "bytes": len(response.content),
                "peak_rss_mb": peak,
                "baseline_rss_mb": baseline,
                "writer": WRITER,
            }
        )
    )


def run_export(url: str) -> ExportResult:
    code = f"from bench.export import child; child({url!r})"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"the export process failed:\n{done.stderr[-3000:]}")
    return ExportResult(**json.loads(done.stdout.strip().splitlines()[-1]))
