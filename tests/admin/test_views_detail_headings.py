"""A detail page is headed by the thing's name and lists only the facts it has."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import buttons, red_buttons
from tests.admin.views_seed import START, add_course, add_school, add_student, register


def heading(html: str) -> str:
    found = re.search(r'<h2 class="page-title">(.*?)</h2>', html, re.S)
    assert found, "no page heading"
    return found.group(1).strip()


def facts(html: str) -> dict[str, str]:
    """The summary's label → value pairs."""
    block = re.search(r'<dl class="row detail-facts[^"]*">(.*?)</dl>', html, re.S)
    assert block, "no summary of facts"
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", block.group(1), re.S)
    return {label.strip(): re.sub(r"<[^>]+>", "", value).strip() for label, value in pairs}


def test_detail_pages_are_headed_by_the_things_name(
    staff_client: AdminClient, db: Database
) -> None:
    school = add_school(db, "Hillside Academy")
    course = add_course(db, "Contemporary Technique")
    jamie = add_student(db, "Jamie", last_name="Newcomer")
    registration = register(db, jamie, course, school=school)
    pages = {
        f"/admin/course/details/{course.id}": "Contemporary Technique",
        f"/admin/registration/details/{registration.id}": "Jamie Newcomer — Contemporary Technique",
        f"/admin/student/details/{jamie.id}": "Jamie Newcomer",
        f"/admin/school/details/{school.id}": "Hillside Academy",
    }
    for url, name in pages.items():
        page = staff_client.get(url)
        assert page.status_code == 200, url
        assert heading(page.text) == name, url
        assert f"<title>{name} ·" in page.text, url
        # SQLAdmin's own "Id: 12" heading is gone.
        assert not re.search(r">\s*Id\s*:\s*\d+\s*<", page.text), url
        assert ">Column<" not in page.text and ">Value<" not in page.text, url


def test_detail_summary_leaves_empty_fields_out(staff_client: AdminClient, db: Database) -> None:
    course = add_course(db, "Salsa Basics")
    registration = register(
        db, add_student(db, "Ada", last_name="King"), course, payment_status=PaymentStatus.PENDING
    )
    page = staff_client.get(f"/admin/registration/details/{registration.id}").text
    shown = facts(page)
    assert shown["Student"] == "Ada King"
    assert shown["Course"].startswith("Salsa Basics")
    # Never paid, never cancelled: those lines are not there at all.
    for empty in ("Payment reference", "Refunded", "Cancelled", "Cancellation reason"):
        assert not any(label.startswith(empty) for label in shown), empty
    # No line without a value (a yes/no shows its mark).
    assert not re.search(r"<dd[^>]*>\s*</dd>", page)


@pytest.mark.parametrize(
    ("status", "cancelled", "expected"),
    [
        (
            PaymentStatus.PENDING,
            False,
            ["Confirm payment", "Resend confirmation", "Edit", "Cancel registration", "Delete"],
        ),
        (
            PaymentStatus.COMPLETED,
            False,
            # Paid: its payment history is kept, so it cannot be deleted.
            ["Mark refunded", "Resend confirmation", "Edit", "Cancel registration"],
        ),
        (
            PaymentStatus.NOT_REQUIRED,
            False,
            ["Resend confirmation", "Edit", "Cancel registration", "Delete"],
        ),
        (PaymentStatus.PENDING, True, ["Un-cancel", "Edit", "Delete"]),
    ],
)
def test_registration_page_offers_only_the_moves_its_state_allows(
    staff_client: AdminClient, db: Database, status: str, cancelled: bool, expected: list[str]
) -> None:
    course = add_course(db, "Salsa Basics")
    registration = register(
        db, add_student(db, "Ada", last_name="King"), course, payment_status=status
    )
    if cancelled:
        with db.write() as session:
            session.execute(
                update(t.registrations)
                .where(t.registrations.c.id == registration.id)
                .values(cancelled_at=START)
            )
            session.commit()
    page = staff_client.get(f"/admin/registration/details/{registration.id}").text
    assert buttons(page) == expected
    # SQLAdmin's own list of every action is not shown as well.
    for label in {"Confirm payment", "Mark refunded", "Un-cancel", "Cancel registration"} - set(
        expected
    ):
        assert f">{label}<" not in page.replace("\n", "").replace("  ", ""), label
    if "Cancel registration" in expected:
        assert red_buttons(page)[0] == "Cancel registration"
        url = re.search(r'href="([^"]+)"[^>]*>Cancel registration<', page)
        assert url and "cancel-registration" in url.group(1), "the button opens the cancel form"
        assert f"pks={registration.id}" in url.group(1)
