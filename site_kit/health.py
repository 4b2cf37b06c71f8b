"""``GET /health``: 200 when the database answers, 503 when it does not.

Each site mounts it too, so a site served alone has the same health check:
``Route("/health", health_endpoint(db))``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.db.database import Database

Endpoint = Callable[[Request], Awaitable[Response]]


def health_endpoint(db: Database) -> Endpoint:
    """A Starlette endpoint reporting whether ``db`` answers a trivial query."""

    async def health(request: Request) -> Response:
        # ping() blocks on the network; keep it off the event loop.
        if await run_in_threadpool(db.ping):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "unavailable", "database": "not answering"}, status_code=503)

    return health
