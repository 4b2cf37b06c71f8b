"""Admin at scale: page times and SQL statement counts over 100,000 registrations.

The admin app runs in-process (Starlette's TestClient, a signed-in superuser)
against a PostgreSQL database seeded by ``bench.seed``. Each page is fetched a
few times to warm up, then ``repeat`` times timed; SQL statements are counted
with an engine event on one request.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.seed import Seeded, superuser_session
from bench.servers import app_environment
from domain.config import load_config
from domain.db.database import Database

with warnings.catch_warnings():
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


@dataclass
class PageResult:
    name: str
    url: str
    p50_ms: float
    p95_ms: float
    statements: int
    size_kb: float

    def describe(self) -> str:
        return (
            f"  {self.name:<34} p50 {self.p50_ms:7.1f} ms  p95 {self.p95_ms:7.1f} ms  "
            f"{self.statements:3d} SQL  {self.size_kb:6.0f} kB"
        )


def pages(seeded: Seeded) -> list[tuple[str, str]]:
    return [
        ("registrations list", "/admin/registration/list"),
        ("registrations list, searched", f"/admin/registration/list?search={seeded.search_term}"),
        # A payment reference typed in small letters: bench.seed gives paid registration
        # n the reference "V{n}", and n = 42421 is paid.
        ("registrations list, by reference", "/admin/registration/list?search=v42421"),
        (
            "registrations list, filtered",
            f"/admin/registration/list?course_id={seeded.busy_course_id}&payment_status=completed",
        ),
        ("registrations list, sorted", "/admin/registration/list?sortBy=amount_due&sort=desc"),
        ("course detail", f"/admin/course/details/{seeded.busy_course_id}"),
        ("dashboard", "/admin/"),
        ("roll call (60 students)", f"/admin/sessions/{seeded.roll_call_session_id}/rollcall/"),
    ]


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@contextmanager
def signed_in_admin(url: str) -> Iterator[tuple[TestClient, Database]]:
    """The admin app on ``url`` and a client signed in as a superuser."""
    from admin_site.app import create_admin_app
    from admin_site.request_context import SESSION_COOKIE

    config = load_config(app_environment(url, Path(tempfile.mkdtemp(prefix="rollbook-bench-"))))
    db = Database(url)
    app = create_admin_app(config, db)
    token = superuser_session(db, "bench")
    try:
        # Entered, as a server starts it: the admin's lifespan stores the settings.
        with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
            client.cookies.set(SESSION_COOKIE, token, domain="testserver.local", path="/admin")
            yield client, db
    finally:
        db.dispose()


def run_admin_pages(url: str, seeded: Seeded, *, repeat: int = 20) -> list[PageResult]:
    results = []
    with signed_in_admin(url) as (client, db):
        for name, page in pages(seeded):
            for _ in range(2):
                response = client.get(page)
                if response.status_code != 200:
                    raise RuntimeError(f"{page} answered {response.status_code}")
            with counting(db) as statements:
                size = len(client.get(page).content)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(page)
                times.append((time.perf_counter() - started) * 1000)
            p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
            results.append(
                PageResult(name, page, statistics.median(times), p95, len(statements), size / 1024)
            )
    return results
