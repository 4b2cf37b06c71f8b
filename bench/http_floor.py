"""The floor under the hot course: the same visitors asking for almost nothing.

The hot course's load generator, uvicorn and the app share two cores. To see
how much of a booking's cost is HTTP itself on this machine, the same number
of clients (same httpx load generator, same uvicorn) ask for the site's
stylesheet (no database) and for ``/health`` (one round trip to PostgreSQL).
No booking can be faster than these requests.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.hot_course import cpu_seconds, cpu_used, own_cpu, prepare_database
from bench.servers import AppServer, PgCluster, app_environment

#: What the floor asks for: a static file, and the health check (one SELECT 1).
PATHS = {"static file": "/static/site/site.css", "health check": "/health"}


@dataclass
class FloorResult:
    what: str
    workers: int
    clients: int
    requests: int
    seconds: float
    app_cpu: float
    client_cpu: float

    def describe(self) -> str:
        if not self.requests:
            return f"HTTP floor, {self.what}: no request answered 200"
        rate = self.requests / self.seconds
        return (
            f"HTTP floor, {self.what}, {self.clients} clients, {self.workers} worker(s): "
            f"{rate:.0f} requests/s; CPU per request: app {self.app_cpu / self.requests * 1000:.1f}"
            f" ms, load generator {self.client_cpu / self.requests * 1000:.1f} ms"
        )


async def _client(base_url: str, path: str, deadline: float, done: list[int]) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        while time.monotonic() < deadline:
            response = await client.get(path)
            if response.status_code == 200:
                done[0] += 1


async def _load(base_url: str, path: str, clients: int, seconds: float) -> tuple[int, float]:
    done = [0]
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_client(base_url, path, deadline, done) for _ in range(clients)))
    return done[0], time.monotonic() - started


def run_floor(
    pg: PgCluster, *, clients: int = 50, seconds: float = 10.0, workers: int = 1
) -> list[FloorResult]:
    url = pg.create_database(f"floor_{workers}w_{int(time.time() * 1000) % 10**8}")
    prepare_database(url, capacity=1)
    env = app_environment(url, Path(tempfile.mkdtemp(prefix="rollbook-floor-")))
    results = []
    with AppServer("public_site.app:create_public_app", env, workers=workers) as app:
        for what, path in PATHS.items():
            httpx.get(app.base_url + path, timeout=10)
            app_before, own_before = cpu_seconds(app.pids()), own_cpu()
            requests, elapsed = asyncio.run(_load(app.base_url, path, clients, seconds))
            results.append(
                FloorResult(
                    what=what,
                    workers=workers,
                    clients=clients,
                    requests=requests,
                    seconds=elapsed,
                    app_cpu=cpu_used(app_before, cpu_seconds(app.pids())),
                    client_cpu=own_cpu() - own_before,
                )
            )
    return results
