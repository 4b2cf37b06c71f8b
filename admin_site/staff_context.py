"""Who is signed in on this request: the names every admin module uses.

``StaffSessionMiddleware`` (admin_site/session.py) puts the signed-in staff member
and the CSRF token on the request state; views read them through these helpers.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from domain.actors import Actor
from domain.db.database import Database
from domain.services.staff_sessions import SignedInStaff

STATE_STAFF = "rollbook_staff"
STATE_CSRF = "csrf_token"
STATE_DB = "rollbook_db"
SESSION_COOKIE = "rollbook_admin_session"


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


def database(request: Request) -> Database:
    """The app's ``Database``, for calling domain services from a view."""
    db = getattr(request.state, STATE_DB, None)
    if not isinstance(db, Database):
        raise RuntimeError("StaffSessionMiddleware did not run for this request")
    return db
