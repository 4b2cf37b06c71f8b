"""An export of 100,000 rows streams in bounded memory."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import insert

from domain.db.database import Database
from domain.db.tables import schools
from tests.admin.conftest import AdminClient

ROWS = 100_000
#: Loading 100,000 schools as objects at once takes several hundred MB; streaming stays far below.
GROWTH_LIMIT_KB = 80 * 1024


def test_exporting_100000_schools_stays_in_bounded_memory(
    staff_client: AdminClient, db: Database
) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with db.engine.begin() as connection:
        for start in range(0, ROWS, 10_000):
            connection.execute(
                insert(schools),
                [
                    {
                        "name": f"School {n:06d}",
                        "location": "Town",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n in range(start, start + 10_000)
                ],
            )
    before = _reset_peak_memory_kb()
    response = staff_client.get("/admin/school/export/xlsx?sortBy=id")
    growth = _status_kb("VmHWM") - before
    assert response.status_code == 200
    assert growth < GROWTH_LIMIT_KB, f"peak memory grew by {growth / 1024:.0f} MB"
    worksheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sum(1 for _ in worksheet.iter_rows(values_only=True)) == ROWS + 1


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/self/status")


def _reset_peak_memory_kb() -> int:
    """Reset the process's peak resident memory to what it uses now, and return that.

    Without the reset an earlier test's higher peak would hide this export's growth.
    """
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")
