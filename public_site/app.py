"""The public site: an ASGI app assembled from lists, built by ``create_public_app()``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import jinja2
from jinja2.runtime import Context
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.templating import Jinja2Templates

from domain import formatting
from domain.config import Config, load_config
from domain.db.database import Database
from domain.rules.settings import Settings
from domain.services.rate_limits import Limits, RateLimited
from domain.services.settings import load_settings
from public_site import (
    calendar_feeds,
    catalogue,
    certificates,
    my_bookings,
    my_bookings_actions,
    my_school,
    pages,
    profile,
    registration,
    school_signup,
    token_pages,
)
from public_site.security import CsrfRefused, SecurityMiddleware
from public_site.static_assets import static_mounts
from site_kit.health import health_endpoint
from site_kit.hosts import host_middleware
from site_kit.lifespan import site_lifespan

HERE = Path(__file__).parent


def _templates(asset: Callable[[str, str], str]) -> Jinja2Templates:
    # Autoescaping is on for every template, whatever its file name.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["money"] = _money
    env.globals["asset"] = asset
    return Jinja2Templates(env=env, context_processors=[_site_settings])


def _site_settings(request: Request) -> dict[str, object]:
    """The organisation's name, contact and currency, for every page's frame and amounts."""
    # A database read on every render: pages render in worker threads only
    # (plain ``def`` endpoints and handlers, public_site/endpoints.py).
    with request.app.state.db.read() as session:
        settings = load_settings(session)
    return {"site_name": settings.organisation_name or "Rollbook", "site": settings}


@jinja2.pass_context
def _money(context: Context, amount: Decimal | None) -> str:
    """An amount in the currency setting, whichever page or partial shows it."""
    site: Settings = context["site"]
    return formatting.money(amount, site.currency)


def _favicon(_request: Request) -> Response:
    # Browsers ask for /favicon.ico whatever the page links; every modern one takes an SVG.
    return FileResponse(
        HERE / "static" / "favicon.svg",
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def _routes(db: Database, static: list[Mount]) -> list[BaseRoute]:
    return [
        Route("/health", health_endpoint(db), name="health"),
        Route("/favicon.ico", _favicon, name="favicon"),
        *catalogue.routes,
        *registration.routes,
        *school_signup.routes,
        *token_pages.routes,
        *profile.routes,
        *my_bookings.routes,
        *my_bookings_actions.routes,
        *my_school.routes,
        *certificates.routes,
        *calendar_feeds.routes,
        *static,
    ]


def create_public_app(config: Config | None = None, db: Database | None = None) -> Starlette:
    """Build the public site; the database is opened here unless one is given.

    Building reads no database; the server's lifespan closes a database opened here.
    """
    config = config or load_config()
    database = db or Database.from_config(config)
    static, asset = static_mounts(HERE / "static")
    app = Starlette(
        routes=_routes(database, static),
        middleware=[
            Middleware(SecurityMiddleware, problem_page=pages.problem, secure_cookies=config.https),
            *host_middleware(config),
        ],
        exception_handlers={
            CsrfRefused: pages.csrf_refused,
            RateLimited: pages.rate_limited,
            HTTPException: pages.http_error,
            500: pages.server_error,
        },
        lifespan=site_lifespan(database, owns_db=db is None),
    )
    app.state.config = config
    app.state.db = database
    app.state.templates = _templates(asset)
    app.state.limits = Limits()
    return app
