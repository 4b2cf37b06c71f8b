"""A refusal the rules did not foresee still reads as a sentence; an accepted form still saves.

The rules in ``test_views_refusals.py`` catch each value before it is written;
these are the nets behind them: a constraint a concurrent save trips, a value a
column cannot hold, and the control case of a form the rules accept.
"""

from __future__ import annotations

import logging
from datetime import time

import pytest
from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from tests.admin.conftest import AdminClient
from tests.admin.test_views_refusals import PRICE, SESSION, STUDENT, _rows, assert_no_driver_text
from tests.admin.views_seed import refusal_records


@pytest.fixture
def seed(db: Database, superuser_client: AdminClient) -> dict[str, int]:
    return refusal_records(db, superuser_client)


def test_a_duplicate_that_races_past_the_check_gets_a_general_sentence_and_a_log_line(
    seed: dict[str, int],
    superuser_client: AdminClient,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Another save of the same email committed between the check and this insert.
    monkeypatch.setattr(
        "domain.services.people.check_student", lambda session, *, email, **_: email.lower()
    )
    before = _rows(db, t.students)

    with caplog.at_level(logging.WARNING, logger="rollbook.admin"):
        response = superuser_client.submit(
            "/admin/student/create", {**STUDENT, "email": "ada@example.com", "save": "Save"}
        )

    assert response.status_code == 400
    assert_no_driver_text(response.text)
    assert "This could not be saved: it conflicts with another record" in response.text
    assert _rows(db, t.students) == before
    logged = [r.getMessage() for r in caplog.records if r.name == "rollbook.admin"]
    assert len(logged) == 1 and "/admin/student/create" in logged[0]
    assert "students" in logged[0]  # the driver's words go to the log, naming the table


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_value_the_column_cannot_hold_gets_a_general_sentence(
    seed: dict[str, int],
    superuser_client: AdminClient,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PostgreSQL's NUMERIC(10, 2) refuses what SQLite's integer cents would hold.
    for check in ("check_price_fields", "check_price"):
        monkeypatch.setattr(f"domain.services.courses.{check}", lambda *a, **k: None)
    before = _rows(db, t.prices)

    response = superuser_client.submit(
        "/admin/price/create",
        {**PRICE, "slot": str(seed["slot"]), "amount": "123456789012", "save": "Save"},
    )

    assert response.status_code == 400
    assert_no_driver_text(response.text)
    assert "This could not be saved: a value is too long or out of range." in response.text
    assert _rows(db, t.prices) == before


def test_an_accepted_form_still_saves(
    seed: dict[str, int], superuser_client: AdminClient, db: Database
) -> None:
    response = superuser_client.submit(
        "/admin/class-session/create",
        {**{k: v.format(**seed) for k, v in SESSION.items()}, "save": "Save"},
    )
    assert response.status_code == 200, response.text[-2000:]
    with db.read() as session:
        starts = session.scalars(select(t.class_sessions.c.start_time)).all()
    assert time(18) in starts and len(starts) == 2
