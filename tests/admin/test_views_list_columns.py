"""Each list shows the few columns a coordinator scans, in that order; newest first."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from domain.db.database import Database
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import START, add_course, add_student, listed, register

#: Each list's header cells, in order (the rest is on the detail page and in the export).
COLUMNS = {
    "registration": ["Student", "Course", "Type", "Amount", "Payment", "Signed up"],
    "class-session": ["Date", "Course", "Slot", "Location", "Marked"],
    "course-slot": ["Course", "Name", "Level", "Day", "Start time", "Capacity"],
    "course": ["Title", "Kind", "Starts", "Capacity", "Published"],
    "student": ["First name", "Last name", "Email", "Student type", "School"],
    "school": ["Name", "Location", "Contact name"],
    "waitlist-entry": ["Course", "Position", "Student", "Status", "Joined at"],
    "outgoing-email": ["To", "Subject", "Kind", "Status", "Queued"],
    "audit-entry": ["What happened"],
}

_THEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")


def headers(client: AdminClient, identity: str) -> list[str]:
    """The words in a list table's header cells (the checkbox and link cells have none)."""
    response = client.get(f"/admin/{identity}/list")
    assert response.status_code == 200, identity
    thead = _THEAD.search(response.text)
    assert thead, identity
    cells = [" ".join(html.unescape(_TAG.sub(" ", cell)).split()) for cell in _TH.findall(thead[1])]
    return [cell for cell in cells if cell]


def test_each_list_shows_the_chosen_columns_in_order(
    staff_client: AdminClient, db: Database
) -> None:
    for identity, columns in COLUMNS.items():
        assert headers(staff_client, identity) == columns, identity


def test_registrations_list_newest_first(staff_client: AdminClient, db: Database) -> None:
    course = add_course(db)
    old = register(db, add_student(db, "Old"), course, created_at=START - timedelta(days=9))
    new = register(db, add_student(db, "New"), course, created_at=START - timedelta(days=1))
    mid = register(db, add_student(db, "Mid"), course, created_at=START - timedelta(days=5))
    assert listed(staff_client, "registration") == [new.id, mid.id, old.id]
