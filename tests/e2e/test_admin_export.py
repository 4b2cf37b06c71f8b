"""In Chromium: export a filtered list to Excel and read the file back with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page

from tests.admin.a3_factories import add_school
from tests.e2e.conftest import LiveServer


def test_export_holds_exactly_the_searched_rows_and_formulas_stay_text(
    signed_in_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    for name in ("Elm High", "Oak Primary", '=HYPERLINK("http://x") High', "Ash High"):
        add_school(live_server.db, name)
    page = signed_in_page
    page.goto(f"{live_server.url}/admin/school/list?search=High")
    with page.expect_download() as download_info:
        page.locator("#export-xlsx").click()
    saved = tmp_path / "schools.xlsx"
    download_info.value.save_as(saved)

    sheet = load_workbook(saved).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    name_column = next(i for i, title in enumerate(header) if title.lower() in ("name", "school"))
    names = sorted(str(row[name_column]) for row in rows[1:])
    assert names == sorted(["Elm High", '=HYPERLINK("http://x") High', "Ash High"])
    formula_cell = next(
        row[name_column]
        for row in sheet.iter_rows(min_row=2)
        if str(row[name_column].value).startswith("=")
    )
    assert formula_cell.data_type == "s"
