"""The staff admin app: SQLAdmin mounted at /admin with Rollbook's security around it."""

from __future__ import annotations

from pathlib import Path

from sqladmin import ModelView
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from admin_site.actions.registry import with_buttons
from admin_site.auth import RollbookAdmin
from admin_site.input_guard import AdminInputGuard
from admin_site.pages import PAGES
from admin_site.pages.account import PasswordView
from admin_site.pages.dashboard import register_dashboard
from admin_site.security import CookiePolicy, CSRFMiddleware, SecurityHeadersMiddleware
from admin_site.session import StaffSessionMiddleware
from domain.config import Config, load_config
from domain.db.database import Database
from domain.services.settings import ensure_settings
from site_kit.health import health_endpoint
from site_kit.hosts import host_middleware, relative_location
from site_kit.lifespan import site_lifespan

HERE = Path(__file__).parent
BASE_URL = "/admin"


def create_admin_app(config: Config | None = None, db: Database | None = None) -> Starlette:
    """Build the admin ASGI app; pass ``db`` to share a Database (tests, the combined app).

    Building reads no database: the default settings are stored when the server starts.
    """
    config = config or load_config()
    owns_db = db is None
    db = db or Database.from_config(config)
    cookies = CookiePolicy(secure=config.https or config.is_production, path=BASE_URL)

    app = Starlette(
        routes=[Route("/health", health_endpoint(db))],
        middleware=[
            Middleware(SecurityHeadersMiddleware, hsts=config.is_production or config.https),
            # Before anything reads the database: a foreign Host is refused here.
            *host_middleware(config),
            Middleware(StaffSessionMiddleware, db=db, cookies=cookies, prefix=BASE_URL),
            Middleware(
                CSRFMiddleware, secret_key=config.secret_key, cookies=cookies, prefix=BASE_URL
            ),
        ],
        lifespan=site_lifespan(db, owns_db=owns_db, on_startup=[ensure_settings]),
    )
    app.state.config = config
    app.state.db = db
    admin = RollbookAdmin(
        app,
        base_url=BASE_URL,
        title="Rollbook",
        templates_dir=str(HERE / "templates"),
        config=config,
        db=db,
        cookies=cookies,
    )
    admin.admin.router.routes.insert(
        0, Mount("/rollbook-static", StaticFiles(directory=HERE / "static"), name="rollbook-static")
    )
    _answer_deletes_with_a_path(admin)
    register_dashboard(admin)
    for view in _model_views():
        admin.add_view(with_buttons(view))
    admin.add_view(PasswordView)
    for add_page in PAGES:
        add_page(admin)
    # Inside SQLAdmin's app, so that every admin route, its own included, is covered.
    admin.admin.add_middleware(AdminInputGuard, admin=admin)
    return app


def _answer_deletes_with_a_path(admin: RollbookAdmin) -> None:
    """SQLAdmin answers a delete with the list's URL, which its JavaScript then opens.

    The URL is absolute, built from the request's Host header: send it as a path,
    as ``RelativeRedirects`` does for a redirect's Location.
    """
    routes = admin.admin.router.routes
    index, route = next(
        (i, r) for i, r in enumerate(routes) if isinstance(r, Route) and r.name == "delete"
    )
    assert isinstance(route, Route)
    delete = route.endpoint

    async def delete_then_answer_a_path(request: Request) -> Response:
        answer: Response = await delete(request)
        if not isinstance(answer, PlainTextResponse):
            return answer  # the sign-in page's redirect, say
        path = relative_location(bytes(answer.body).decode(), request.url.netloc)
        return PlainTextResponse(path, status_code=answer.status_code)

    routes[index] = Route(route.path, delete_then_answer_a_path, methods=["DELETE"], name="delete")


def _model_views() -> list[type[ModelView]]:
    # Imported here: defining a ModelView inspects the mapping, which
    # Database() has started by now.
    from admin_site.views import ALL_VIEWS
    from admin_site.views.staff import SettingAdmin, StaffUserAdmin

    return [*ALL_VIEWS, StaffUserAdmin, SettingAdmin]
