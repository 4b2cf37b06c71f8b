"""Staff see every course's waitlist in the domain's waitlist order (``waitlist_order``)."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from domain.db.database import Database
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_course, listed
from tests.waitlist_seed import IN_ORDER, add_line

_ENTRY_LINK = re.compile(r'href="[^"]*/admin/waitlist-entry/details/(\d+)"')


def _names(ids: list[int], *lines: dict[str, int]) -> list[str]:
    names = {entry_id: name for line in lines for name, entry_id in line.items()}
    return [names[entry_id] for entry_id in ids]


def test_waitlist_order_is_line_position_then_those_who_left_by_joining_time(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    assert salsa.id is not None and tango.id is not None
    salsa_line, tango_line = add_line(db, salsa.id), add_line(db, tango.id)

    # The list: course by course, each in waitlist order.
    assert _names(listed(staff_client, "waitlist-entry"), salsa_line, tango_line) == [
        *IN_ORDER,
        *IN_ORDER,
    ]
    assert _names(listed(staff_client, "waitlist-entry", f"?course_id={tango.id}"), tango_line) == (
        IN_ORDER
    )

    # The export of one course's list.
    response = staff_client.get(f"/admin/waitlist-entry/export/xlsx?course_id={salsa.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    exported = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported == IN_ORDER  # the third column is the first name

    # The waitlist table on the course's page.
    page = staff_client.get(f"/admin/course/details/{salsa.id}")
    assert page.status_code == 200
    shown = [int(pk) for pk in _ENTRY_LINK.findall(page.text)]
    assert _names(list(dict.fromkeys(shown)), salsa_line) == IN_ORDER


def test_a_waitlist_sorted_by_a_column_follows_that_column(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db)
    assert course.id is not None
    by_name = add_line(db, course.id)
    joined = listed(staff_client, "waitlist-entry", "?sortBy=joined_at&sort=desc")
    assert _names(joined, by_name) == ["Eve", "Fay", "Ana", "Dan", "Cleo", "Ben"]
