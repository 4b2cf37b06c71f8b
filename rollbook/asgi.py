"""Both sites in one ASGI app: ``/admin`` to the staff panel, everything else to the public site.

Serve it with ``uvicorn rollbook.asgi:create_app --factory``. Each site is also
an app of its own (``admin_site.app:create_admin_app``,
``public_site.app:create_public_app``); here they share one ``Database``, and
each site's lifespan runs inside this app's (startup in order, shutdown in
reverse), as it would served alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.config import Config, load_config
from domain.db.database import Database
from domain.outbox.worker import EmbeddedWorker
from site_kit.health import Endpoint, health_endpoint

log = logging.getLogger(__name__)

ADMIN_PREFIX = "/admin"


class CombinedApp:
    """Dispatch on the path, leaving the scope untouched.

    The admin app serves its pages under ``/admin/`` itself (alone or here), so
    the path is passed through as is rather than mounted, which would strip it.
    """

    def __init__(
        self,
        *,
        admin: ASGIApp,
        public: ASGIApp,
        db: Database,
        worker: EmbeddedWorker | None = None,
    ) -> None:
        self.admin = admin
        self.public = public
        self.db = db
        #: Sends the outbox to the local mailbox while the app runs (development only).
        self.worker = worker
        self._health: Endpoint = health_endpoint(db)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path: str = scope.get("path", "")
        if scope["type"] == "http" and path == "/health":
            response = await self._health(Request(scope, receive))
            await response(scope, receive, send)
        elif path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self.admin(scope, receive, send)
        else:
            await self.public(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        sites = AsyncExitStack()
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                for site in (self.admin, self.public):
                    await sites.enter_async_context(running(site))
            except LifespanFailed as exc:
                await sites.aclose()
                self.db.dispose()
                await send({"type": "lifespan.startup.failed", "message": str(exc)})
                raise  # as Starlette does: the server reports the message and stops
            if self.worker is not None:
                self.worker.start()
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
        if message["type"] == "lifespan.shutdown":
            # Joined off the event loop: the message being delivered finishes first.
            if self.worker is not None and not await run_in_threadpool(self.worker.stop):
                log.warning("the outbox worker did not stop in time")
            try:
                await sites.aclose()
            except LifespanFailed as exc:
                await send({"type": "lifespan.shutdown.failed", "message": str(exc)})
                raise
            finally:
                self.db.dispose()
            await send({"type": "lifespan.shutdown.complete"})


class LifespanFailed(Exception):
    """A site could not start, or stop; the message says why."""


@asynccontextmanager
async def running(app: ASGIApp) -> AsyncIterator[None]:
    """Run ``app``'s lifespan over the ASGI protocol: started on entry, stopped on exit.

    Starlette runs no lifespan of an app it merely calls, so the combined app
    plays the server's part for each site.
    """
    to_app: asyncio.Queue[Message] = asyncio.Queue()
    from_app: asyncio.Queue[Message] = asyncio.Queue()
    scope: Scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}

    async def serve() -> None:
        await app(scope, to_app.get, from_app.put)

    task = asyncio.create_task(serve())
    try:
        await _exchange(to_app, from_app, task, "startup")
        yield
        await _exchange(to_app, from_app, task, "shutdown")
        await task
    finally:
        # A site that failed has raised after answering: collect it, stop any other.
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def _exchange(
    to_app: asyncio.Queue[Message],
    from_app: asyncio.Queue[Message],
    task: asyncio.Task[None],
    step: str,
) -> None:
    await to_app.put({"type": f"lifespan.{step}"})
    answer = asyncio.ensure_future(from_app.get())
    await asyncio.wait({answer, task}, return_when=asyncio.FIRST_COMPLETED)
    if not answer.done():
        answer.cancel()
        raise LifespanFailed(f"the app ended before its {step}: {_ending(task)}")
    message = answer.result()
    if message["type"] != f"lifespan.{step}.complete":
        raise LifespanFailed(message.get("message") or f"{step} failed")


def _ending(task: asyncio.Task[None]) -> str:
    error = None if task.cancelled() else task.exception()
    return repr(error) if error else "no answer"


def create_app(config: Config | None = None, db: Database | None = None) -> CombinedApp:
    """The public site and the admin panel on one port, sharing one database."""
    from admin_site.app import create_admin_app
    from public_site.app import create_public_app

    config = config or load_config()
    db = db or Database.from_config(config)
    return CombinedApp(
        admin=create_admin_app(config, db),
        public=create_public_app(config, db),
        db=db,
        # Production, or any SMTP server, keeps the worker its own process
        # (`rollbook worker`); the quick start's email needs no second command.
        worker=EmbeddedWorker(config) if config.uses_local_mailbox else None,
    )
