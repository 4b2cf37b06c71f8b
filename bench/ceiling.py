"""The ceiling: the hot-course booking's SQL straight through pgbench, no Python in the way.

``pgbench_booking.sql`` sends the statements one public booking sends (see the
file), against a course prepared exactly as for the HTTP benchmark. Whatever
pgbench reaches is what this PostgreSQL on this machine allows; Rollbook's
committed bookings per second are reported as a fraction of it.
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select, text

from bench.hot_course import active_registrations, prepare_database
from bench.servers import PgCluster, pg_bin
from domain.db import tables as t

SCRIPT = Path(__file__).with_name("pgbench_booking.sql")


@dataclass
class CeilingResult:
    clients: int
    seconds: float
    transactions: int
    per_second: float
    average_ms: float
    capacity: int
    active: int

    def describe(self) -> str:
        return (
            f"pgbench ceiling, {self.clients} clients, {self.seconds:.0f} s\n"
            f"  bookings: {self.transactions} ({self.per_second:.1f}/s), "
            f"average latency {self.average_ms:.1f} ms\n"
            f"  seats {self.capacity}, active registrations {self.active}"
        )


def run_ceiling(
    *,
    clients: int = 50,
    seconds: float = 20.0,
    capacity: int = 100_000,
    durable: bool = True,
    cluster: PgCluster | None = None,
) -> CeilingResult:
    own = cluster is None
    pg = cluster or PgCluster(max_connections=300, durable=durable)
    if own:
        pg.start()
    try:
        url = pg.create_database(f"ceiling_{int(time.time() * 1000) % 10**8}")
        course_id = prepare_database(url, capacity=capacity)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE SEQUENCE bench_email"))
            slot_id = conn.scalar(
                select(t.course_slots.c.id).where(t.course_slots.c.course_id == course_id)
            )
        engine.dispose()
        database = url.rsplit("/", 1)[1]
        command = [
            str(pg_bin() / "pgbench"),
            "-n",
            "-f",
            str(SCRIPT),
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(int(seconds)),
            "-D",
            f"course={course_id}",
            "-D",
            f"slot={slot_id}",
            "-h",
            "127.0.0.1",
            "-p",
            str(pg.port),
            "-U",
            "postgres",
            database,
        ]
        output = subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=seconds + 120
        ).stdout
        return CeilingResult(
            clients=clients,
            seconds=seconds,
            transactions=int(_find(r"number of transactions actually processed: (\d+)", output)),
            per_second=float(_find(r"tps = ([\d.]+)", output)),
            average_ms=float(_find(r"latency average = ([\d.]+) ms", output)),
            capacity=capacity,
            active=active_registrations(url, course_id),
        )
    finally:
        if own:
            pg.remove()


def _find(pattern: str, output: str) -> str:
    found = re.search(pattern, output)
    if not found:
        raise RuntimeError(f"pgbench printed no {pattern!r}:\n{output}")
    return found.group(1)
