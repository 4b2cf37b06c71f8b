"""Settings are stored, typed, audited, and bad values change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.actors import Actor
from domain.db.database import Database
from domain.errors import SettingError, SettingsRefused
from domain.model import AuditEntry, Setting
from domain.rules.settings import KEYS
from domain.services.settings import (
    ensure_settings,
    load_settings,
    update_setting,
    update_settings,
)


def test_defaults_are_stored_with_their_descriptions(db: Database) -> None:
    ensure_settings(db)
    ensure_settings(db)  # twice changes nothing
    with db.read() as s:
        rows = s.scalars(select(Setting)).all()
        assert len(rows) == len({r.key for r in rows}) == len(KEYS)
        assert {r.key for r in rows} == set(KEYS)
        hold = s.get(Setting, "payment_hold_hours")
        assert hold is not None and hold.value == "72" and "seat" in hold.description


def test_updating_a_setting_changes_behaviour_and_is_audited(db: Database) -> None:
    ensure_settings(db)
    update_setting(db, "payment_hold_hours", " 24 ", actor=Actor.script("test"))
    with db.read() as s:
        assert load_settings(s).payment_hold_hours == 24
        entry = s.scalars(select(AuditEntry)).one()
        assert entry.action == "setting.update"
        assert entry.changes == {"value": ["72", "24"]}
        assert entry.actor_kind == "script"


def test_a_bad_value_is_refused_and_changes_nothing(db: Database) -> None:
    ensure_settings(db)
    with pytest.raises(SettingError, match="whole number"):
        update_setting(db, "offer_hours", "two days", actor=Actor.script())
    with db.read() as s:
        assert load_settings(s).offer_hours == 48
        assert s.scalars(select(AuditEntry)).first() is None


def test_updating_many_settings_stores_and_audits_only_what_differs(db: Database) -> None:
    ensure_settings(db)

    changed = update_settings(
        db,
        {"offer_hours": "48", "payment_hold_hours": "24", "automatic_offers": "no"},
        actor=Actor.script("test"),
    )

    assert changed == ["payment_hold_hours", "automatic_offers"]
    with db.read() as s:
        settings = load_settings(s)
        assert settings.payment_hold_hours == 24 and settings.automatic_offers is False
        entries = s.scalars(select(AuditEntry)).all()
        assert sorted(e.entity_id for e in entries) == ["automatic_offers", "payment_hold_hours"]


def test_one_bad_value_among_many_stores_none_of_them(db: Database) -> None:
    ensure_settings(db)

    with pytest.raises(SettingsRefused) as caught:
        update_settings(
            db,
            {"payment_hold_hours": "24", "offer_hours": "0", "timezone": "Mars/Olympus"},
            actor=Actor.script(),
        )

    assert set(caught.value.errors) == {"offer_hours", "timezone"}
    assert "between 1 and" in caught.value.errors["offer_hours"]
    with db.read() as s:
        assert load_settings(s).payment_hold_hours == 72
        assert s.scalars(select(AuditEntry)).first() is None
