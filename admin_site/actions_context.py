"""What a dashboard, roll call or action endpoint needs from the request.

One place that knows where the admin app keeps the database and the signed-in
staff member, so the endpoints stay thin.
"""

from __future__ import annotations

from pathlib import Path

from itsdangerous import BadData, URLSafeTimedSerializer
from jinja2 import ChoiceLoader, FileSystemLoader
from sqladmin import Admin
from starlette.requests import Request
from starlette.staticfiles import StaticFiles

from admin_site.staff_context import csrf_token, current_actor
from domain.db.database import Database

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
STATIC_NAME = "rollbook-static"
#: How long an action's result message may be shown after the action ran.
RESULT_MAX_AGE = 600
_RESULT_SALT = "rollbook-admin-action-result"

__all__ = ["csrf_token", "current_actor", "database"]


def database(request: Request) -> Database:
    """The admin app's database (set on the admin sub-app's state by ``bind_database``)."""
    db: Database = request.app.state.db
    return db


def bind_database(admin: Admin) -> None:
    """Put ``admin.db`` and the app's config where the action endpoints find them."""
    db = getattr(admin, "db", None)
    if db is not None:
        admin.admin.state.db = db
    config = getattr(admin.app.state, "config", None)
    if config is not None:
        admin.admin.state.config = config


def _result_signer(request: Request) -> URLSafeTimedSerializer:
    config = getattr(request.app.state, "config", None)
    if config is None:
        raise RuntimeError("bind_database did not run for the admin app")
    return URLSafeTimedSerializer(config.secret_key, salt=_RESULT_SALT)


def sign_result(request: Request, message: str) -> str:
    """``message`` as a query value no one else can forge (there is no server-side flash)."""
    return str(_result_signer(request).dumps(message))


def read_result(request: Request, value: str) -> str:
    """The message signed into ``value``; empty when it is unsigned, tampered or stale."""
    try:
        message = _result_signer(request).loads(value, max_age=RESULT_MAX_AGE)
    except BadData:
        return ""
    return message if isinstance(message, str) else ""


def mount_static(admin: Admin) -> None:
    """Serve admin_site/static at /admin/rollbook-static unless the app already does."""
    if not any(getattr(route, "name", "") == STATIC_NAME for route in admin.admin.routes):
        admin.admin.mount("/rollbook-static", StaticFiles(directory=STATIC_DIR), name=STATIC_NAME)


def add_templates(admin: Admin) -> None:
    """Let ``admin`` find the dashboard, roll call and action templates."""
    loader = admin.templates.env.loader
    own = FileSystemLoader(str(TEMPLATES_DIR))
    if isinstance(loader, ChoiceLoader) and any(
        isinstance(item, FileSystemLoader) and str(TEMPLATES_DIR) in item.searchpath
        for item in loader.loaders
    ):
        return
    admin.templates.env.loader = ChoiceLoader([own, loader] if loader else [own])
