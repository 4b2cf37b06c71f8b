"""``INSERT ... ON CONFLICT`` is built in one place, for the session's database."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from domain.db.database import Database
from domain.db.tables import rate_limit_buckets
from domain.db.upsert import upsert_insert

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "site_kit", "admin_site", "public_site", "rollbook", "bench")
NOON = datetime(2030, 1, 5, 12, 0, tzinfo=UTC)


def test_upsert_speaks_the_dialect_of_the_sessions_database(db: Database) -> None:
    bucket = rate_limit_buckets.c
    for count in (1, 2):
        with db.write() as session:
            session.execute(
                upsert_insert(session, rate_limit_buckets)
                .values(key="k", window_start=NOON, count=count)
                .on_conflict_do_update(index_elements=[bucket.key], set_={"count": count})
            )
            session.commit()
    with db.read() as session:
        assert session.execute(select(bucket.key, bucket.count)).all() == [("k", 2)]


def _dialect_inserts(path: Path) -> list[str]:
    """Where ``path`` builds a PostgreSQL or SQLite ``insert`` itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            ("sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.sqlite")
        ):
            found += [f"{path}:{node.lineno}" for a in node.names if a.name == "insert"]
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "insert"
            and isinstance(node.value, ast.Name)
            and node.value.id in ("postgresql", "sqlite", "pg", "pg_dialect")
        ):
            found.append(f"{path}:{node.lineno}")
    return found


def test_the_upsert_is_written_once_in_domain_db_upsert() -> None:
    upsert = ROOT / "domain" / "db" / "upsert.py"
    elsewhere = [
        hit
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != upsert and "migrations" not in path.parts
        for hit in _dialect_inserts(path)
    ]
    assert elsewhere == []
    assert _dialect_inserts(upsert)  # the check finds the one it allows
