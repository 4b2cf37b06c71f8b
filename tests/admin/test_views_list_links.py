"""A related row a list row may lack (a student's school, who marked) is a link when there
is one and an empty cell when there is none: never a link without words (issue 12)."""

from __future__ import annotations

from domain.db.database import Database
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_school, add_student


def test_a_student_without_a_school_has_an_empty_school_cell_not_an_empty_link(
    staff_client: AdminClient, db: Database
) -> None:
    hill = add_school(db, "Hill School")
    add_student(db, "Ada", last_name="Aardvark", school_id=hill.id)
    add_student(db, "Bo", last_name="Bramble")
    page = staff_client.get("/admin/student/list").text
    assert '<a href="">' not in page
    ada_row, bo_row = (row for row in page.split("<tr>")[2:4])
    assert f'<a class="list-name" href="/admin/school/details/{hill.id}">Hill School</a>' in ada_row
    assert "Bramble" in bo_row and "/admin/school/details/" not in bo_row
