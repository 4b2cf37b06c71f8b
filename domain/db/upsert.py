"""``INSERT ... ON CONFLICT`` for whichever database a session is bound to.

PostgreSQL and SQLite share the syntax, but SQLAlchemy builds it from each
dialect's own ``insert``; this picks the one the session speaks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert_insert(session: Session, target: Any) -> postgresql.Insert | sqlite.Insert:
    """An insert into ``target`` (a table or mapped class) that knows ``ON CONFLICT``."""
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(target)
    return postgresql.insert(target)
