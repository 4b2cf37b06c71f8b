"""Time to queue class reminders for many registrations: ``python -m bench.reminders``.

Seeds ``--registrations`` students, each booked on one of ``--courses`` courses whose
one class starts in 12 hours, then times one run of the reminder job (claiming every
key in ``sent_notices``, issuing a cancel link and queuing an email for each) and a
second run, which finds every key taken and queues nothing. On a PostgreSQL cluster
of its own (``bench.servers.PgCluster``), or on a temporary SQLite file with ``--sqlite``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select

from bench.servers import PgCluster
from domain.db import tables as t
from domain.db.database import Database
from domain.db.schema import metadata
from domain.services.reminders import queue_class_reminders

BATCH = 2000


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[start : start + BATCH])


def seed(url: str, *, registrations: int, courses: int, now: datetime) -> None:
    """Courses with one class each, 12 hours from ``now``; registrations spread evenly."""
    engine = create_engine(url)
    metadata.create_all(engine)
    starts = (now + timedelta(hours=12)).replace(minute=0, second=0, microsecond=0)
    booked = now - timedelta(days=10)
    with engine.begin() as conn:
        _insert(
            conn,
            t.courses,
            [
                {
                    "id": c + 1,
                    "title": f"Course {c + 1}",
                    "kind": "workshop",
                    "location": "Hall A",
                    "what_to_bring": "Water",
                    "starts_at": starts,
                    "capacity": registrations,
                    "is_published": True,
                    "created_at": booked,
                    "updated_at": booked,
                }
                for c in range(courses)
            ],
        )
        _insert(
            conn,
            t.class_sessions,
            [
                {
                    "id": c + 1,
                    "course_id": c + 1,
                    "session_date": starts.date(),
                    "start_time": starts.time(),
                    "end_time": (starts + timedelta(hours=2)).time(),
                }
                for c in range(courses)
            ],
        )
        _insert(
            conn,
            t.students,
            [
                {
                    "id": n + 1,
                    "first_name": f"Student{n + 1}",
                    "last_name": "Bench",
                    "email": f"student{n + 1}@example.org",
                    "created_at": booked,
                    "updated_at": booked,
                }
                for n in range(registrations)
            ],
        )
        _insert(
            conn,
            t.registrations,
            [
                {
                    "id": n + 1,
                    "student_id": n + 1,
                    "course_id": n % courses + 1,
                    "pricing_type": "full_package",
                    "amount_due": Decimal("0"),
                    "payment_status": "not_required",
                    "created_at": booked,
                    "updated_at": booked,
                }
                for n in range(registrations)
            ],
        )
    engine.dispose()


def measure(url: str, *, registrations: int, courses: int) -> str:
    now = datetime.now(UTC).replace(microsecond=0)
    seed(url, registrations=registrations, courses=courses, now=now)
    db = Database(url)
    try:
        started = time.perf_counter()
        queued = queue_class_reminders(db, now=now)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = queue_class_reminders(db, now=now)
        second = time.perf_counter() - started
        with db.read() as session:
            emails = session.scalar(select(func.count()).select_from(t.outgoing_emails))
    finally:
        db.dispose()
    assert queued == registrations and again == 0 and emails == registrations
    return (
        f"reminders: {registrations} registrations on {courses} courses "
        f"({db.url.get_backend_name()}): queued in {first:.2f} s "
        f"({first / registrations * 1000:.2f} ms each); a second run, all sent, {second:.2f} s"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrations", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=50)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    args = parser.parse_args(argv)
    if args.sqlite:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
            print(measure(url, registrations=args.registrations, courses=args.courses))
        return
    with PgCluster() as pg:
        url = pg.create_database("reminders")
        print(measure(url, registrations=args.registrations, courses=args.courses))


if __name__ == "__main__":
    main()
