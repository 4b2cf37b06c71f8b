"""What every command that touches the database shares: its error, and a schema up to date."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from domain.config import Config
from domain.db.migrate import is_at_head, upgrade_to_head


class CommandError(Exception):
    """Stops the command with a message for the person who ran it."""


def prepare_database(config: Config) -> None:
    """Migrate the embedded SQLite database; refuse a PostgreSQL one that is behind."""
    try:
        if config.uses_embedded_database:
            upgrade_to_head(config.database_url)
        elif not is_at_head(config.database_url):
            raise CommandError(
                "the database schema is not up to date: run `rollbook migrate` first"
            )
    except SQLAlchemyError as exc:
        raise CommandError(f"cannot use the database: {exc}") from exc
