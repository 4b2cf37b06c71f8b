"""Shared fixtures. Database tests run once on SQLite and once on PostgreSQL.

PostgreSQL comes from ``ROLLBOOK_TEST_PG_URL`` (a server URL; ``scripts/postgres.sh``
starts one and prints it). Each pytest run works in a database of its own, so
several runs can share one server. Without the variable the PostgreSQL half
fails with a message: a database test is never silently skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from domain.db.database import Database
from domain.db.mapping import start_mappers
from domain.db.tables import metadata

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    # Test modules import the admin's views, whose classes need the entities
    # mapped (create_admin_app maps them by opening its Database first).
    start_mappers()


def _server_url() -> str:
    url = os.environ.get("ROLLBOOK_TEST_PG_URL", "")
    if not url:
        pytest.fail(
            "ROLLBOOK_TEST_PG_URL is not set: start PostgreSQL with "
            "`export ROLLBOOK_TEST_PG_URL=$(bash scripts/postgres.sh)`",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    return _server_url()


@pytest.fixture(scope="session")
def make_pg_database(pg_server_url: str) -> Iterator[object]:
    """A factory of empty PostgreSQL databases, dropped when the run ends."""
    created: list[str] = []
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = f"rollbook_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database (no tables) on the current backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'rollbook.sqlite3'}"
    make = request.getfixturevalue("make_pg_database")
    return str(make())  # type: ignore[operator]


@pytest.fixture(scope="session")
def _pg_schema_url(request: pytest.FixtureRequest) -> str:
    make = request.getfixturevalue("make_pg_database")
    url = str(make())  # type: ignore[operator]
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A ``Database`` with every table and no rows, on SQLite and on PostgreSQL."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'rollbook.sqlite3'}")
        metadata.create_all(database.engine)
    else:
        database = Database(request.getfixturevalue("_pg_schema_url"))
        _truncate_all(database)
    yield database
    database.dispose()


def _truncate_all(database: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
