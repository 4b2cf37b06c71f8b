"""A visitor holding the most unpaid bookings an address may hold gets a page saying so.

The limit itself (what counts, the lock that makes it hold under concurrency) is
proven in tests/integration/test_unpaid_cap.py; here is what the visitor sees.
"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.model import Registration, Student
from tests.public.factories import (
    csrf_token,
    full_course_with_offer,
    make_course,
    post,
    student_form,
)

CAP = 4


def _book(client: TestClient, course_id: int, email: str) -> httpx.Response:
    token = csrf_token(client, f"/courses/{course_id}")
    form = {"csrf_token": token, **student_form(email=email)}
    return client.post(f"/courses/{course_id}/register", data=form)


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        students = session.scalar(select(func.count()).select_from(Student))
        registrations = session.scalar(select(func.count()).select_from(Registration))
        return int(students or 0), int(registrations or 0)


def test_the_booking_past_the_unpaid_limit_gets_a_page_saying_what_to_do(
    client: TestClient, db: Database
) -> None:
    courses = [make_course(db, title=f"Salsa {n}") for n in range(CAP + 1)]
    for n in range(CAP):
        assert _book(client, courses[n], f"dancer{n}@example.com").status_code == 303
    before = _counts(db)

    response = _book(client, courses[CAP], "one.more@example.com")

    assert response.status_code == 429
    page = response.text
    assert "You have 4 unpaid bookings waiting for payment." in page
    assert "gives its seat back 72 hours after it was made" in page
    assert 'href="/signup/"' in page
    assert _counts(db) == before


def test_free_courses_stay_open_to_an_address_at_its_limit(
    client: TestClient, db: Database
) -> None:
    for n in range(CAP):
        _book(client, make_course(db, title=f"Paid {n}"), f"paid{n}@example.com")
    free = make_course(db, title="Open practice", package_price=None)

    response = _book(client, free, "free@example.com")

    assert response.status_code == 303


def test_claiming_an_offer_past_the_unpaid_limit_gets_the_same_page_and_keeps_the_offer(
    client: TestClient, db: Database
) -> None:
    _course_id, token = full_course_with_offer(db)
    for n in range(CAP):
        _book(client, make_course(db, title=f"Paid {n}"), f"paid{n}@example.com")
    claim = f"/offers/{token}/claim"

    response = post(client, claim, {}, page=claim)

    assert response.status_code == 429
    assert "You have 4 unpaid bookings waiting for payment." in response.text
    assert "Claim my seat" in client.get(claim).text  # the offer is still open
