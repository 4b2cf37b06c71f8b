"""Profile public bookings in-process with pyinstrument (a dev-only tool: pip install pyinstrument).

``python -m bench profile --bookings 200`` books 200 students on one course of a
fresh PostgreSQL database through the public app (in-process over ASGI, one
thread, so the profile shows where one booking's time goes) and prints the
profile, plus the SQL statements one booking sends.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from bench.hot_course import prepare_database
from bench.servers import PgCluster, app_environment
from domain.config import load_config
from domain.db.database import Database

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def profile_bookings(*, bookings: int = 200, already_booked: int = 0) -> str:
    from pyinstrument import Profiler

    from domain.services.rate_limits import Limits
    from public_site import registration
    from public_site.app import create_public_app

    async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    # The site books in a worker thread, which pyinstrument does not follow: run
    # the booking in the request's own thread so the profile shows all of it.
    registration.run_in_threadpool = inline  # type: ignore[attr-defined]

    with PgCluster(max_connections=50) as pg:
        url = pg.create_database("profile")
        course_id = prepare_database(url, capacity=1_000_000)
        config = load_config(app_environment(url, Path(tempfile.mkdtemp())))
        db = Database(url)
        app = create_public_app(config, db)
        app.state.limits = Limits(submissions=10**9)
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(str(args[2]).split("\n")[0][:100])

        async def run() -> float:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                page = await client.get(f"/courses/{course_id}")
                token = CSRF.search(page.text)
                assert token, page.status_code

                async def book(n: int) -> None:
                    form = {
                        "csrf_token": token.group(1),
                        "email": f"p{n}@bench.example",
                        "first_name": "Profile",
                        "pricing_type": "full_package",
                    }
                    response = await client.post(f"/courses/{course_id}/register", data=form)
                    assert response.status_code == 303, response.status_code

                for n in range(already_booked):
                    await book(-n - 1)
                event.listen(db.engine, "before_cursor_execute", record)
                await book(0)
                event.remove(db.engine, "before_cursor_execute", record)
                started = time.perf_counter()
                profiler.start()
                for n in range(1, bookings + 1):
                    await book(n)
                profiler.stop()
                return time.perf_counter() - started

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        elapsed = asyncio.run(run())
        db.dispose()
    header = (
        f"{bookings} bookings in {elapsed:.2f} s ({elapsed / bookings * 1000:.1f} ms each, "
        f"one at a time, under the profiler), {len(statements)} SQL statements per booking:\n"
        + "\n".join(f"  {s}" for s in statements)
    )
    return header + "\n\n" + str(profiler.output_text(unicode=False, color=False))
