"""A running series stays on the catalogue for drop-ins to its later classes only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from starlette.testclient import TestClient

from domain import formatting
from domain.db import tables as t
from domain.db.database import Database
from domain.model import ClassSession, Registration
from tests.public.factories import count, make_course, register_via_site


@dataclass(frozen=True)
class Class:
    id: int
    session_date: date


def _sessions(db: Database, course_id: int) -> list[Class]:
    with db.read() as session:
        rows = session.scalars(
            select(ClassSession)
            .where(t.class_sessions.c.course_id == course_id)
            .order_by(t.class_sessions.c.session_date)
        )
        return [Class(row.id or 0, row.session_date) for row in rows]


def _running_series(db: Database) -> tuple[int, list[Class], list[Class]]:
    """An 8-week series that started a little over two weeks ago; past and future classes."""
    course_id = make_course(
        db,
        title="Bachata Series",
        starts_in=timedelta(days=-15),
        weeks=8,
        drop_in_price=Decimal("25.00"),
        sessions=True,
    )
    today = datetime.now(UTC).date()
    sessions = _sessions(db, course_id)
    past = [s for s in sessions if s.session_date < today]
    future = [s for s in sessions if s.session_date > today]
    assert len(past) >= 2 and len(future) >= 4
    return course_id, past, future


def test_running_series_is_listed_with_drop_ins_only(client: TestClient, db: Database) -> None:
    course_id, _, _ = _running_series(db)
    make_course(db, title="Finished Course", starts_in=timedelta(days=-60), weeks=2)
    text = client.get("/").text
    assert "Bachata Series" in text
    assert "Started: book a class" in text
    assert "Finished Course" not in text
    page = client.get(f"/courses/{course_id}")
    assert page.status_code == 200
    assert "already started, no longer on sale" in page.text


def test_running_series_page_offers_only_future_classes_as_drop_ins(
    client: TestClient, db: Database
) -> None:
    course_id, past, future = _running_series(db)
    page = client.get(f"/courses/{course_id}").text
    assert 'value="full_package"' not in page
    assert 'name="pricing_type" value="drop_in"' in page
    for s in future:
        assert f'value="{s.id}"' in page
    for s in past:
        assert f'value="{s.id}"' not in page
        # The schedule still shows it, as held.
        assert f'<span class="class-day">{formatting.local_date(s.session_date)}</span>' in page


def test_public_books_a_drop_in_to_a_later_class_of_a_running_series(
    client: TestClient, db: Database
) -> None:
    course_id, past, future = _running_series(db)
    refused = register_via_site(client, course_id)
    assert refused.status_code == 400
    assert "full course can no longer be booked" in refused.text
    assert count(db, Registration) == 0
    too_late = register_via_site(
        client, course_id, pricing_type="drop_in", drop_in_session=str(past[-1].id)
    )
    assert too_late.status_code == 400
    assert "choose the class you want to drop in to" in too_late.text
    assert count(db, Registration) == 0
    booked = register_via_site(
        client, course_id, pricing_type="drop_in", drop_in_session=str(future[0].id)
    )
    assert booked.status_code == 303
    with db.read() as session:
        registration = session.scalars(select(Registration)).one()
        assert registration.drop_in_session_id == future[0].id
