"""Read and change the system settings."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import settings as settings_table
from domain.errors import SettingError, SettingsRefused
from domain.model import Setting
from domain.rules.settings import (
    DEFAULTS,
    DESCRIPTIONS,
    KEYS,
    Settings,
    format_setting,
    parse_setting,
    settings_from_stored,
)


def load_settings(session: Session) -> Settings:
    """The settings in force: stored values over defaults."""
    columns = settings_table.c
    rows = session.execute(select(columns.key, columns.value)).all()
    return settings_from_stored({key: value for key, value in rows})


def ensure_settings(db: Database) -> None:
    """Store every known setting with its default and description, keeping stored values."""
    with db.write() as session:
        existing = {s.key: s for s in session.scalars(select(Setting))}
        for key in KEYS:
            row = existing.get(key)
            if row is None:
                session.add(
                    Setting(
                        key=key,
                        value=format_setting(getattr(DEFAULTS, key)),
                        description=DESCRIPTIONS[key],
                    )
                )
            elif row.description != DESCRIPTIONS[key]:
                row.description = DESCRIPTIONS[key]
        session.commit()


def update_setting(db: Database, key: str, raw_value: str, *, actor: Actor) -> Setting:
    """Check and store one setting; ``SettingError`` says what is wrong with a bad value."""
    value = format_setting(parse_setting(key, raw_value))
    with db.write() as session:
        row = _store(session, key, value, actor)
        session.commit()
        return row


def update_settings(db: Database, raw_values: Mapping[str, str], *, actor: Actor) -> list[str]:
    """Check every value, then store those that differ, each audited, in one transaction.

    Returns the keys that changed. If any value is refused, nothing is stored and
    ``SettingsRefused`` maps each refused key to its sentence.
    """
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, raw in raw_values.items():
        try:
            values[key] = format_setting(parse_setting(key, raw))
        except SettingError as refused:
            errors[key] = str(refused)
    if errors:
        raise SettingsRefused(errors)
    with db.write() as session:
        stored = {row.key: row.value for row in session.scalars(select(Setting))}
        changed = [key for key in KEYS if key in values and stored.get(key) != values[key]]
        for key in changed:
            _store(session, key, values[key], actor)
        session.commit()
    return changed


def _store(session: Session, key: str, value: str, actor: Actor) -> Setting:
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=format_setting(getattr(DEFAULTS, key)))
        row.description = DESCRIPTIONS[key]
        session.add(row)
    before = audit.snapshot(row, ["value"])
    row.value = value
    row.updated_at = utcnow()
    audit.record(session, actor, "setting.update", row, audit.diff(before, row))
    return row
