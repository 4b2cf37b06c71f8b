"""The "Match payments" page: upload, tick, confirm; a second upload confirms nothing."""

from __future__ import annotations

import html
import re

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.services.registration import register_student
from tests.admin.conftest import AdminClient
from tests.integration.r_factories import NOW, add_course, details, registration
from tests.statement_fixtures import bank_statement, venmo_row, venmo_statement

URL = "/admin/payments/match/"
CONFIRM = "/admin/payments/match/confirm"


def _booked(db: Database, n: int, price: str = "110.00") -> int:
    course = add_course(db, title=f"Salsa Series {n}", package=[price])
    visitor = Actor.public(f"198.51.100.{n}")
    return register_student(
        db, course_id=course, student=details(n), actor=visitor, now=NOW
    ).registration_id


def _upload(client: AdminClient, text: str, name: str = "statement.csv") -> str:
    answer = client.submit(URL, files={"statement": (name, text.encode(), "text/csv")})
    assert answer.status_code == 200, answer.text
    return " ".join(html.unescape(answer.text).split())


def _ticked(page: str) -> list[str]:
    return re.findall(r'name="pick"\s+value="([^"]+)"[^>]*checked', page)


def _offered(page: str) -> list[str]:
    return re.findall(r'name="pick"\s+value="([^"]+)"', page)


def test_the_page_offers_an_upload_in_the_registrations_menu(staff_client: AdminClient) -> None:
    page = staff_client.page(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.text and 'name="statement"' in page.text
    # In the Registrations menu, beside the lists of registrations.
    assert re.search(
        r'href="[^"]*/admin/payments/match/"[^>]*>\s*(<[^>]+>\s*)*Match payments', page.text
    )


def test_upload_proposes_then_confirm_pays_the_ticked_registrations(
    db: Database, staff_client: AdminClient
) -> None:
    exact, by_name, stranger = _booked(db, 1), _booked(db, 2, "80.00"), _booked(db, 3)
    text = venmo_statement(
        venmo_row(
            "3240312810181230868",
            "2026-11-03T18:43:08",
            "+ $110.00",
            note=f"Rollbook #{exact} Salsa Series 1",
        ),
        venmo_row("3240312810181230869", "2026-11-04T09:00:00", "+ $80.00", sender="Dancer2 Lopez"),
        venmo_row("3240312810181230870", "2026-11-05T09:00:00", "- $20.00", note="Rent"),
        venmo_row(
            "3240312810181230871", "2026-11-06T09:00:00", "+ $1,250.00", sender="Someone Else"
        ),
    )
    page = _upload(staff_client, text)
    assert "Venmo statement: 3 incoming payments; 1 outgoing or unfinished row left out." in page
    assert "Matched by reference (1)" in page
    assert "Check and tick (1)" in page
    assert "Not matched (1)" in page
    assert "$1,250.00" in page and "Dancer1 Lopez" in page and "Tue 3 Nov 2026" in page
    assert _ticked(page) == [f"{exact}|3240312810181230868"]
    assert _offered(page) == [
        f"{exact}|3240312810181230868",
        f"{by_name}|3240312810181230869",
    ]

    done = staff_client.submit(CONFIRM, {"method": "venmo", "pick": _offered(page)})
    assert done.status_code == 200
    assert done.text.count('data-outcome="confirmed"') == 2
    assert "Dancer2 Lopez — Salsa Series 2" in html.unescape(done.text)
    for reg, reference in ((exact, "3240312810181230868"), (by_name, "3240312810181230869")):
        saved = registration(db, reg)
        assert saved.payment_status == PaymentStatus.COMPLETED
        assert (saved.payment_method, saved.payment_reference) == ("venmo", reference)
    assert registration(db, stranger).payment_status == PaymentStatus.PENDING

    again = _upload(staff_client, text)
    assert "Already confirmed (2)" in again
    assert _offered(again) == []


def test_confirming_an_old_page_twice_confirms_once_and_says_why_not(
    db: Database, staff_client: AdminClient
) -> None:
    reg = _booked(db, 1)
    text = bank_statement(
        ["11/02/2026", "Zelle payment from DANCER1 LOPEZ Conf# BAC7XK2P9", "110.00", "1", ""]
    )
    page = _upload(staff_client, text, "bank.csv")
    assert "Zelle statement: 1 incoming payment." in page
    picks = _offered(page)
    assert picks == [f"{reg}|BAC7XK2P9"]
    first = staff_client.submit(CONFIRM, {"method": "zelle", "pick": picks})
    second = staff_client.submit(CONFIRM, {"method": "zelle", "pick": picks})
    assert 'data-outcome="confirmed"' in first.text
    assert 'data-outcome="refused"' in second.text
    assert "This payment is already confirmed." in html.unescape(second.text)
    assert registration(db, reg).payment_reference == "BAC7XK2P9"


def test_a_file_that_is_no_statement_is_refused_with_what_was_expected(
    staff_client: AdminClient,
) -> None:
    answer = staff_client.submit(
        URL, files={"statement": ("people.csv", b"name,email\nAna,a@example.org\n", "text/csv")}
    )
    assert answer.status_code == 400
    assert "not a Venmo statement nor a bank statement" in html.unescape(answer.text)


def test_confirm_with_nothing_ticked_is_refused(staff_client: AdminClient) -> None:
    answer = staff_client.submit(CONFIRM, {"method": "venmo"})
    assert answer.status_code == 400
    assert "Tick at least one payment" in answer.text


def test_signed_out_visitors_are_sent_to_sign_in(anonymous_client: AdminClient) -> None:
    answer = anonymous_client.page(URL)
    assert answer.status_code in (302, 303)
    assert "/admin/login" in answer.headers["location"]
