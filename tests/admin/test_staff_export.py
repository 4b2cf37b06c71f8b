"""Staff users and settings export to Excel for superusers, never with a password hash."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from domain.db import tables as t
from domain.db.database import Database
from tests.admin.conftest import AdminClient

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(response_content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(response_content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_superusers_export_staff_users_without_password_hashes(
    superuser_client: AdminClient, db: Database
) -> None:
    with db.read() as session:
        hashes = [
            str(h)
            for h in session.scalars(
                t.staff_users.select().with_only_columns(t.staff_users.c.password_hash)
            )
        ]
    assert hashes and all(hashes)

    response = superuser_client.get("/admin/staff-user/export/xlsx")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(XLSX)
    assert "attachment" in response.headers["content-disposition"]
    rows = _rows(response.content)
    assert rows[0][:3] == ("Username", "Full name", "Email")
    assert [row[0] for row in rows[1:]] == ["boss"]
    cells = " ".join(str(cell) for row in rows for cell in row).lower()
    assert "password hash" not in cells and "argon2" not in cells
    assert all(h not in cells for h in hashes)


def test_superusers_export_the_settings(superuser_client: AdminClient) -> None:
    response = superuser_client.get("/admin/setting/export/xlsx")

    assert response.status_code == 200
    rows = _rows(response.content)
    # The headers and the settings' names as the admin shows them, not stored keys.
    assert rows[0] == ("Setting", "Value", "Description", "Changed")
    keys = {row[0] for row in rows[1:]}
    assert {"Offer hours", "Timezone", "Emails enabled"} <= keys


@pytest.mark.parametrize("identity", ["staff-user", "setting"])
def test_staff_who_are_not_superusers_cannot_export_them(
    staff_client: AdminClient, identity: str
) -> None:
    response = staff_client.get(f"/admin/{identity}/export/xlsx", follow_redirects=False)

    assert response.status_code == 403
    assert not response.headers["content-type"].startswith(XLSX)
