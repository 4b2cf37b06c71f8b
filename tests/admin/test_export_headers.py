"""Every export's header row is the admin's label for the same column: one word per column.

A column a list shows has the same header in the list and in its Excel export;
a column only exported takes its label from the same place (the view's labels).
"""

from __future__ import annotations

import html
import io
import re

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqladmin import ModelView

from admin_site.views.formats import HumanValues, column_label
from domain.db.database import Database
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_course, add_school, add_student, register

#: A listed related row and the exported column that names it.
SAME_COLUMN = {
    "course": "course.title",
    "school": "school.name",
    "slot": "slot.name",
    "registration": "registration.student.full_name",
}
_THEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")


def exported_views() -> list[type[HumanValues]]:
    """Every admin view with an Excel export, staff and superuser ones alike."""
    from admin_site.views import ALL_VIEWS
    from admin_site.views.staff import SettingAdmin, StaffUserAdmin

    views: list[type[ModelView]] = [*ALL_VIEWS, StaffUserAdmin, SettingAdmin]
    return [view for view in views if issubclass(view, HumanValues) and view.export_columns]


def admin_label(view: type[HumanValues], path: str) -> str:
    """The label the admin's pages give column ``path`` (list header, detail summary)."""
    labels = {str(key): label for key, label in view.column_labels.items()}
    return labels.get(path) or column_label(path)


def export_headers(client: AdminClient, identity: str) -> list[str]:
    response = client.get(f"/admin/{identity}/export/xlsx")
    assert response.status_code == 200, (identity, response.text[-500:])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    return [str(cell.value) for cell in sheet[1]]


def list_headers(client: AdminClient, identity: str) -> list[str]:
    response = client.get(f"/admin/{identity}/list")
    assert response.status_code == 200, identity
    thead = _THEAD.search(response.text)
    if thead is None:  # an empty list (the settings, before any is saved) has no table
        return []
    cells = [" ".join(html.unescape(_TAG.sub(" ", cell)).split()) for cell in _TH.findall(thead[1])]
    return [cell for cell in cells if cell]


def test_every_export_header_is_the_admins_label_for_the_same_column(
    superuser_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Contemporary Technique")
    register(db, add_student(db, "Jamie", last_name="Newcomer"), course)
    add_school(db)
    differ = []
    for view in exported_views():
        expected = [admin_label(view, path) for path in view.export_columns]
        got = export_headers(superuser_client, view.identity)
        differ += [
            (view.identity, path, header, label)
            for path, header, label in zip(view.export_columns, got, expected, strict=True)
            if header != label
        ]
    assert differ == []


def test_a_listed_column_has_the_same_header_in_the_list_and_the_export(
    superuser_client: AdminClient, db: Database
) -> None:
    checked = 0
    for view in exported_views():
        exported = dict(
            zip(view.export_columns, export_headers(superuser_client, view.identity), strict=True)
        )
        listed = list_headers(superuser_client, view.identity)
        for path, header in zip(
            [str(getattr(column, "key", column)) for column in view.column_list],
            listed,
            strict=False,
        ):
            exported_path = path if path in exported else SAME_COLUMN.get(path, "")
            if exported_path in exported:
                assert exported[exported_path] == header, (view.identity, path)
                checked += 1
    # Most listed columns are exported (the rest are on the detail page only).
    assert checked >= 30


def test_payment_columns_read_as_on_the_registration_page(
    superuser_client: AdminClient, db: Database
) -> None:
    headers = export_headers(superuser_client, "registration")
    assert "Payment method" in headers and "Payment reference" in headers
    assert "Method" not in headers and "Reference" not in headers
    assert "Job title" in headers and "Title" not in headers
    slot = export_headers(superuser_client, "course-slot")
    assert (
        slot[slot.index("Day")],
        slot[slot.index("Day") + 2],
        slot[slot.index("Day") + 3],
    ) == ("Day", "Start time", "End time")
