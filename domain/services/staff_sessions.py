"""Signed-in admin sessions, kept in the database so that any app process can end them.

The cookie holds a random token; the table holds only its SHA-256, so a copy of the
table cannot be replayed as cookies. Deleting a row signs that browser out at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.model import StaffSession, StaffUser

#: A session unused for this long is over.
IDLE_TIMEOUT = timedelta(hours=2)
#: last_seen_at is refreshed at most this often, so a page view is not always a write.
TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedInStaff:
    """Who a request's session belongs to."""

    staff_user_id: int
    username: str
    full_name: str
    is_superuser: bool
    session_id: str
    csrf_token: str
    #: The password is a temporary one from a reset and must be changed first.
    must_change_password: bool = False


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    db: Database, *, staff_user_id: int, replacing_token: str = "", now: datetime | None = None
) -> tuple[str, SignedInStaff]:
    """A new session for a user who just signed in: (cookie token, who).

    Any session the browser already had is ended, so a session id planted before
    sign-in never becomes a signed-in one.
    """
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with db.write() as session:
        if replacing_token:
            session.execute(
                delete(t.staff_sessions).where(
                    t.staff_sessions.c.id == hash_session_token(replacing_token)
                )
            )
        user = session.get(StaffUser, staff_user_id)
        if user is None or not user.is_active:
            raise LookupError("no active staff user to sign in")
        row = StaffSession(
            id=hash_session_token(token),
            staff_user_id=staff_user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
        session.add(row)
        session.commit()
        return token, _signed_in(user, row)


def resolve_session(
    db: Database, token: str, *, now: datetime | None = None
) -> SignedInStaff | None:
    """The signed-in user for a cookie token, or None when it is unknown, idle or inactive."""
    if not token:
        return None
    now = now or utcnow()
    session_id = hash_session_token(token)
    with db.read() as session:
        found = session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, t.staff_users.c.id == t.staff_sessions.c.staff_user_id)
            .where(t.staff_sessions.c.id == session_id)
        ).first()
        if found is None:
            return None
        # Read everything before the block ends: its rollback expires the objects.
        row, user = found
        idle = now - row.last_seen_at
        signed_in = _signed_in(user, row) if user.is_active else None
    if signed_in is None or idle >= IDLE_TIMEOUT:
        end_session(db, token)
        return None
    if idle >= TOUCH_INTERVAL:
        with db.write() as session:
            stored = session.get(StaffSession, session_id)
            if stored is None:
                return None
            stored.last_seen_at = now
            session.commit()
    return signed_in


def end_session(db: Database, token: str) -> None:
    """Sign one browser out: its cookie stops working everywhere."""
    with db.write() as session:
        session.execute(
            delete(t.staff_sessions).where(t.staff_sessions.c.id == hash_session_token(token))
        )
        session.commit()


def end_all_sessions_in_session(session: Session, staff_user_id: int) -> None:
    """Sign a user out of every browser, inside the caller's transaction."""
    session.execute(
        delete(t.staff_sessions).where(t.staff_sessions.c.staff_user_id == staff_user_id)
    )


def _signed_in(user: StaffUser, row: StaffSession) -> SignedInStaff:
    assert user.id is not None
    return SignedInStaff(
        staff_user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        is_superuser=user.is_superuser,
        session_id=row.id,
        csrf_token=row.csrf_token,
        must_change_password=user.must_change_password,
    )
