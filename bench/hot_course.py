"""Hot course: N visitors book one course at once through the public site.

The public site runs under uvicorn (1 or more workers) against a PostgreSQL
cluster of the benchmark's own. Each simulated visitor loads the course page
once (CSRF cookie and token, as a browser does) and then books again and again,
each time as a new student from an address of its own (``X-Forwarded-For``,
trusted from 127.0.0.1 as behind a reverse proxy), so the per-address rate
limit still runs, and costs what it costs, without capping the load.

A booking counts as committed when the site answers 303 (its success redirect);
anything else is an error. After the run the database is asked how many seats
are taken: overbooked = active registrations - capacity, if positive.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text

from bench.servers import AppServer, PgCluster, app_environment
from domain.db import tables as t
from domain.db.database import Database
from domain.db.tables import metadata

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class LoadResult:
    clients: int
    workers: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # committed bookings, seconds
    errors: dict[str, int] = field(default_factory=dict)
    capacity: int = 0
    active: int = 0
    courses: int = 1
    app_cpu: float = 0.0  # CPU seconds the app processes used during the load
    pg_cpu: float = 0.0  # ... the PostgreSQL processes
    client_cpu: float = 0.0  # ... this load generator
    machine_busy: float = 0.0  # share of both cores busy during the load (anything running)

    @property
    def committed(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.committed / self.seconds if self.seconds else 0.0

    @property
    def overbooked(self) -> int:
        return max(0, self.active - self.capacity)

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000

    def _per(self, seconds: float) -> float:
        return seconds * 1000 / self.committed if self.committed else 0.0

    def describe(self) -> str:
        errors = sum(self.errors.values())
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"hot course, {self.clients} clients, {self.workers} uvicorn worker(s), "
            f"{self.seconds:.0f} s"
            + (f", spread over {self.courses} courses" if self.courses > 1 else "")
            + "\n"
            f"  committed registrations: {self.committed} ({self.per_second:.1f}/s)\n"
            f"  latency of committed bookings: p50 {self.percentile(50):.1f} ms, "
            f"p95 {self.percentile(95):.1f} ms, p99 {self.percentile(99):.1f} ms\n"
            f"  errors: {errors} ({detail})\n"
            f"  CPU per committed booking: app {self._per(self.app_cpu):.1f} ms, "
            f"PostgreSQL {self._per(self.pg_cpu):.1f} ms, load generator "
            f"{self._per(self.client_cpu):.1f} ms "
            f"(of {2 * 1000 / max(self.per_second, 1e-9):.1f} ms the 2 cores have per booking); "
            f"the machine's cores were {self.machine_busy:.0%} busy\n"
            f"  seats {self.capacity}, active registrations {self.active}"
            + (" (fullest course)" if self.courses > 1 else "")
            + ", "
            f"overbooked {self.overbooked}"
        )


def prepare_database(url: str, *, capacity: int) -> int:
    """The schema and one published, priced course with ``capacity`` seats; returns its id."""
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    # Imported here: the factory lives with the tests and needs nothing from pytest.
    from tests.public.factories import make_course

    db = Database(url)
    try:
        return make_course(
            db, title="Hot Course", capacity=capacity, package_price=Decimal("120.00")
        )
    finally:
        db.dispose()


def active_registrations(url: str, course_id: int) -> int:
    db = Database(url)
    try:
        with db.read() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(t.registrations)
                    .where(
                        t.registrations.c.course_id == course_id,
                        text(t.REGISTRATION_ACTIVE_SQL),
                    )
                )
                or 0
            )
    finally:
        db.dispose()


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU time of each of ``pids`` still alive and of its ended children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime + stime, plus cutime + cstime: the CPU of children that have ended
        # (a PostgreSQL backend closed during the load is reaped by the postmaster).
        times[pid] = sum(int(f) for f in fields[11:15]) / tick
    return times


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU the processes alive at the end used since ``before``.

    Counted per process: a backend that ended in between (the set-up's
    connections) must not subtract its whole life from the total.
    """
    return sum(spent - before.get(pid, 0.0) for pid, spent in after.items())


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already in user
    return total - idle, total


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return busy / total if total else 0.0


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _visitor(
    base_url: str,
    course_id: int,
    number: int,
    deadline: float,
    result: LoadResult,
) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        page = await client.get(f"/courses/{course_id}")
        found = CSRF.search(page.text)
        if not found:
            result.errors["no form"] = result.errors.get("no form", 0) + 1
            return
        token = found.group(1)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            form = {
                "csrf_token": token,
                "email": f"v{number}-{n}@bench.example",
                "first_name": "Bench",
                "last_name": f"Visitor {number}",
                "pricing_type": "full_package",
            }
            address = f"10.{number % 250}.{(n // 250) % 250}.{n % 250 + 1}"
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/courses/{course_id}/register",
                    data=form,
                    headers={"X-Forwarded-For": address},
                )
            except httpx.HTTPError as exc:
                key = type(exc).__name__
                result.errors[key] = result.errors.get(key, 0) + 1
                continue
            elapsed = time.perf_counter() - started
            if response.status_code == 303:
                result.latencies.append(elapsed)
            else:
                key = f"HTTP {response.status_code}"
                result.errors[key] = result.errors.get(key, 0) + 1


async def _load(base_url: str, course_ids: list[int], clients: int, seconds: float) -> LoadResult:
    result = LoadResult(clients=clients, workers=0, seconds=seconds)
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(
        *(
            _visitor(base_url, course_ids[i % len(course_ids)], i, deadline, result)
            for i in range(clients)
        )
    )
    result.seconds = time.monotonic() - started
    return result


def run_hot_course(
    *,
    clients: int = 50,
    seconds: float = 20.0,
    workers: int = 1,
    capacity: int = 100_000,
    durable: bool = True,
    cluster: PgCluster | None = None,
    courses: int = 1,
) -> LoadResult:
    """One run on a fresh database; a cluster is made (and removed) unless one is given.

    ``courses`` > 1 spreads the visitors over that many courses (each with
    ``capacity`` seats): the comparison that shows what one course's lock costs.
    """
    own = cluster is None
    pg = cluster or PgCluster(max_connections=300, durable=durable)
    if own:
        pg.start()
    try:
        name = f"hot_{workers}w_{int(time.time() * 1000) % 10**8}"
        url = pg.create_database(name)
        course_ids = [prepare_database(url, capacity=capacity) for _ in range(courses)]
        data_dir = Path(tempfile.mkdtemp(prefix="rollbook-bench-"))
        env = app_environment(url, data_dir)
        with AppServer("public_site.app:create_public_app", env, workers=workers) as app:
            # Warm the pools and connections first, so the CPU counted below is the load's.
            httpx.get(app.base_url + "/health", timeout=10)
            app_before, pg_before = cpu_seconds(app.pids()), cpu_seconds(pg.pids())
            own_before, machine_before = own_cpu(), machine_ticks()
            result = asyncio.run(_load(app.base_url, course_ids, clients, seconds))
            result.machine_busy = busy_share(machine_before, machine_ticks())
            result.app_cpu = cpu_used(app_before, cpu_seconds(app.pids()))
            result.pg_cpu = cpu_used(pg_before, cpu_seconds(pg.pids()))
            result.client_cpu = own_cpu() - own_before
        result.workers = workers
        result.courses = courses
        result.capacity = capacity
        # Overbooking is judged per course: the worst course counts.
        result.active = max(active_registrations(url, c) for c in course_ids)
        return result
    finally:
        if own:
            pg.remove()
