"""Catch database work and password hashing on the event loop's thread, which stall every request.

Starlette's ``TestClient`` runs the app's event loop in a thread of its own and
the app's thread pool beside it; only the loop's thread has a running loop. A
pool checkout or a statement seen there is a request that made every other
request of its process wait for the database.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import event

from domain.db.database import Database

#: Frames from these packages name the code that touched the database.
APP_PACKAGES = ("/admin_site/", "/public_site/", "/domain/", "/rollbook/", "/sqladmin/")


def _on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _caller() -> str:
    frames = [f for f in traceback.extract_stack() if any(p in f.filename for p in APP_PACKAGES)]
    return " <- ".join(f"{f.filename.rsplit('/', 2)[-2]}/{f.name}" for f in reversed(frames[-4:]))


@contextmanager
def work_on_the_loop(db: Database) -> Iterator[list[str]]:
    """Collect "what at caller" for each checkout, statement or password hash on the loop."""
    found: list[str] = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def hash_watched(hasher: PasswordHasher, *args: Any, **kwargs: Any) -> str:
        if _on_the_loop():
            found.append(f"password hash at {_caller()}")
        return real_hash(hasher, *args, **kwargs)

    def verify_watched(hasher: PasswordHasher, *args: Any, **kwargs: Any) -> bool:
        if _on_the_loop():
            found.append(f"password check at {_caller()}")
        return real_verify(hasher, *args, **kwargs)

    def checkout(*_args: Any) -> None:
        if _on_the_loop():
            found.append(f"connection checkout at {_caller()}")

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if _on_the_loop():
            found.append(f"{' '.join(sql.split())[:80]} at {_caller()}")

    event.listen(db.engine, "checkout", checkout)
    event.listen(db.engine, "before_cursor_execute", statement)
    PasswordHasher.hash = hash_watched  # type: ignore[method-assign, assignment]
    PasswordHasher.verify = verify_watched  # type: ignore[method-assign, assignment]
    try:
        yield found
    finally:
        PasswordHasher.hash = real_hash  # type: ignore[method-assign]
        PasswordHasher.verify = real_verify  # type: ignore[method-assign]
        event.remove(db.engine, "checkout", checkout)
        event.remove(db.engine, "before_cursor_execute", statement)
