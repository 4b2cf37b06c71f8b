"""Open a database and run units of work against it.

One ``Database`` per process, opened by ``create_app()`` or a script's ``main()``
(``Database.from_config(load_config())``); opening it maps the entities. It also
knows the public site's address, which services write into emailed links: a
session it opens hands it on (``public_base_url(session)``), so a use case deep
inside a transaction needs no extra argument and reads no environment.

On SQLite every writing unit of work starts with
``BEGIN IMMEDIATE`` so concurrent writers queue on the write lock (for up to
``busy_timeout``) instead of failing with "database is locked" halfway through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from domain.config import DEVELOPMENT_BASE_URL, Config
from domain.db.mapping import start_mappers

_WRITE = "rollbook_write"
_PUBLIC_BASE_URL = "rollbook_public_base_url"
SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    """An engine plus the two kinds of unit of work Rollbook uses."""

    #: PostgreSQL connections one process keeps; several processes share the
    #: server's max_connections (100 by default), see the README.
    POOL_SIZE = 20

    def __init__(
        self,
        url: str,
        *,
        public_base_url: str = DEVELOPMENT_BASE_URL,
        echo: bool = False,
        pool_size: int = POOL_SIZE,
    ) -> None:
        start_mappers()
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        #: The public site's address (``BASE_URL``), for the links emails carry.
        self.public_base_url = public_base_url.rstrip("/")
        self.engine = _create_engine(url, echo=echo, pool_size=pool_size)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        info = {_PUBLIC_BASE_URL: self.public_base_url}
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False, info=info)

    @classmethod
    def from_config(cls, config: Config) -> Database:
        """The configured database, writing links to the configured ``BASE_URL``."""
        return cls(config.database_url, public_base_url=config.base_url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction takes the write lock at once on SQLite.

        The caller commits; anything not committed is rolled back on exit.
        """
        with self._write_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; it never commits."""
        with self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def public_base_url(session: Session) -> str:
    """The public site's address for links written in ``session``'s emails."""
    return str(session.info[_PUBLIC_BASE_URL])


def _create_engine(url: str, *, echo: bool, pool_size: int) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A fixed pool, no overflow: under load, overflow connections are opened and
        # closed again and again, and each new PostgreSQL connection is a process
        # fork (it doubled PostgreSQL's CPU per booking; docs/benchmarks.md). A
        # request waits for a free connection instead.
        return create_engine(
            url, echo=echo, pool_size=pool_size, max_overflow=0, pool_pre_ping=True
        )
    database = parsed.database or ""
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False})
    _make_sqlite_transactional(engine)
    return engine


def _make_sqlite_transactional(engine: Engine) -> None:
    # pysqlite's own implicit BEGIN is turned off so that we can issue the right
    # BEGIN ourselves (SQLAlchemy's documented recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
