"""Both sites in one ASGI app: ``/admin`` to the staff panel, everything else to the public site.

Serve it with ``uvicorn rollbook.asgi:create_app --factory``. Each site is also
an app of its own (``admin_site.app:create_admin_app``,
``public_site.app:create_public_app``); here they share one ``Database``.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

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
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.worker is not None:
                    self.worker.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # Joined off the event loop: the message being delivered finishes first.
                if self.worker is not None and not await run_in_threadpool(self.worker.stop):
                    log.warning("the outbox worker did not stop in time")
                self.db.dispose()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(config: Config | None = None, db: Database | None = None) -> CombinedApp:
    """The public site and the admin panel on one port, sharing one database."""
    from admin_site.app import create_admin_app
    from public_site.app import create_public_app

    config = config or load_config()
    db = db or Database(config.database_url)
    return CombinedApp(
        admin=create_admin_app(config, db),
        public=create_public_app(config, db),
        db=db,
        # Production, or any SMTP server, keeps the worker its own process
        # (`rollbook worker`); the quick start's email needs no second command.
        worker=EmbeddedWorker(config) if config.uses_local_mailbox else None,
    )
