"""A site's lifespan: what it does when the server starts and stops.

Building an app (``create_*_app``) touches no database; work that does, such as
storing the default settings, runs here, when the server starts. A site that
opened its own ``Database`` closes it when the server stops; one it was given
is its owner's to close (the combined app, a test).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool

from domain.db.database import Database

Lifespan = Callable[[Starlette], AbstractAsyncContextManager[None]]
StartupJob = Callable[[Database], object]


def site_lifespan(
    db: Database, *, owns_db: bool, on_startup: Sequence[StartupJob] = ()
) -> Lifespan:
    """Run ``on_startup`` jobs on ``db`` before serving; dispose of ``db`` after, if owned."""

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            for job in on_startup:
                # Jobs block on the database: keep them off the event loop.
                await run_in_threadpool(job, db)
            yield
        finally:
            if owns_db:
                db.dispose()

    return lifespan
