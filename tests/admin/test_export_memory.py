"""An export of 100,000 rows streams in bounded memory."""

from __future__ import annotations

import io
import resource
from datetime import UTC, datetime

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
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = staff_client.get("/admin/school/export/xlsx?sortBy=id")
    # ru_maxrss is the process's peak resident memory (KiB on Linux).
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert response.status_code == 200
    assert growth < GROWTH_LIMIT_KB, f"peak memory grew by {growth / 1024:.0f} MB"
    worksheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sum(1 for _ in worksheet.iter_rows(values_only=True)) == ROWS + 1
