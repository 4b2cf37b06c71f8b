"""The real Rollbook app, with every password check logged: a uvicorn factory for tests.

A test that runs several server processes cannot count calls in memory, so each
process appends one line to the file named by ``ROLLBOOK_TEST_VERIFY_LOG`` for
every argon2 verification: "right" or "wrong", its outcome.
"""

from __future__ import annotations

import os

from domain.services import staff
from rollbook.asgi import CombinedApp
from rollbook.asgi import create_app as create_rollbook_app

LOG_VARIABLE = "ROLLBOOK_TEST_VERIFY_LOG"


def create_app() -> CombinedApp:
    log = os.environ[LOG_VARIABLE]
    verify = staff.verify_password

    def logged_verify(password_hash: str, password: str) -> bool:
        right = verify(password_hash, password)
        # One O_APPEND write per line: lines from concurrent processes never mix.
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, b"right\n" if right else b"wrong\n")
        finally:
            os.close(fd)
        return right

    staff.verify_password = logged_verify
    return create_rollbook_app()
