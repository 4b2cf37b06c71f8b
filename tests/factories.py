"""Row factories shared by the integration, admin and browser tests.

Each area keeps its own ``*_factories`` module for rows shaped to its tests;
what they have in common lives here.
"""

from __future__ import annotations

from typing import Any

from domain.actors import Actor
from domain.db.database import Database
from domain.model import Registration, StaffUser


def insert(db: Database, row: Any) -> int:
    """Add ``row`` (with whatever it cascades to) in its own transaction; its new id."""
    with db.write() as s:
        s.add(row)
        s.commit()
        assert row.id is not None
        return int(row.id)


def staff_actor(db: Database, username: str = "maria") -> Actor:
    """A real staff user (so audit entries and marked_by can point at it)."""
    user = StaffUser(username=username, full_name=username.title())
    return Actor.staff(insert(db, user), username)


def registration(db: Database, registration_id: int) -> Registration:
    """The registration as stored now, readable after its session has closed."""
    with db.read() as s:
        found = s.get(Registration, registration_id)
        assert found is not None
        s.expunge_all()  # keep the loaded values after the read session rolls back
        return found
