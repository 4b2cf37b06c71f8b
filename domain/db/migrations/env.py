"""Alembic environment: the target is the domain's table metadata.

The database URL comes from the Alembic config (``domain.db.migrate`` sets it), or
else from ``DATABASE_URL`` through ``load_config()``, so plain ``alembic``
commands run from the repository root work too.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine, pool

from domain.db.tables import metadata
from domain.db.types import Money, UTCDateTime

config = context.config


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from domain.config import load_config

    return load_config().database_url


def _render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    # Our column types render as themselves (not with their implementation's
    # arguments), so a migration keeps exact money and aware timestamps.
    if kind == "type" and isinstance(obj, Money | UTCDateTime):
        autogen_context.imports.add("import domain.db.types")
        return f"domain.db.types.{type(obj).__name__}()"
    return False


def _options(url: str) -> dict[str, object]:
    return {
        "target_metadata": metadata,
        "compare_type": True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        "render_as_batch": url.startswith("sqlite"),
        "render_item": _render_item,
    }


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, literal_binds=True, **_options(url))  # type: ignore[arg-type]
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **_options(str(connection.engine.url)))  # type: ignore[arg-type]
        with context.begin_transaction():
            context.run_migrations()
        return
    url = _url()
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context.configure(connection=conn, **_options(url))  # type: ignore[arg-type]
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
