"""What an admin endpoint needs from the request: the database, the config, who is signed in.

``RollbookAdmin`` (admin_site/auth.py) keeps the database and the config on the
state of SQLAdmin's app, where every admin endpoint runs; ``StaffSessionMiddleware``
(admin_site/session.py) puts the signed-in staff member and the CSRF token on
each request's state. Every admin module reads them through these helpers, so
there is one way to find each.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from domain.actors import Actor
from domain.config import Config
from domain.db.database import Database
from domain.services.staff_sessions import SignedInStaff

STATE_STAFF = "rollbook_staff"
STATE_CSRF = "csrf_token"
SESSION_COOKIE = "rollbook_admin_session"


def database(request: Request) -> Database:
    """The app's ``Database``, for calling domain services from an endpoint."""
    db = getattr(request.app.state, "db", None)
    if not isinstance(db, Database):
        raise RuntimeError("not an admin endpoint: RollbookAdmin keeps the database")
    return db


def config(request: Request) -> Config:
    """The app's ``Config`` (the secret key, the mailbox directory, ...)."""
    found = getattr(request.app.state, "config", None)
    if not isinstance(found, Config):
        raise RuntimeError("not an admin endpoint: RollbookAdmin keeps the config")
    return found


def current_staff(request: Request) -> SignedInStaff | None:
    """The signed-in staff member, or None on an anonymous request."""
    staff = getattr(request.state, STATE_STAFF, None)
    return staff if isinstance(staff, SignedInStaff) else None


def current_actor(request: Request) -> Actor:
    """The ``Actor`` to pass to domain services; 403 when nobody is signed in."""
    staff = current_staff(request)
    if staff is None:
        raise HTTPException(status_code=403)
    return Actor.staff(staff.staff_user_id, staff.username)


def is_superuser(request: Request) -> bool:
    staff = current_staff(request)
    return staff is not None and staff.is_superuser


def csrf_token(request: Request) -> str:
    """The token a form on this page must send back (hidden field ``csrf_token``)."""
    return str(getattr(request.state, STATE_CSRF, ""))
