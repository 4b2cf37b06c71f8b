"""A setting saved through its own edit form (scripts, old bookmarks) is checked and audited.

The page staff use is the one form of every setting: tests/admin/test_settings_page.py.
"""

from __future__ import annotations

from sqlalchemy import select

from domain.db.database import Database
from domain.model import AuditEntry, Setting
from tests.admin.conftest import AdminClient


def _value(db: Database, key: str) -> str | None:
    with db.read() as session:
        row = session.get(Setting, key)
        return row.value if row else None


def test_a_valid_value_is_saved_and_audited(superuser_client: AdminClient, db: Database) -> None:
    response = superuser_client.submit(
        "/admin/setting/edit/offer_hours", {"value": " 24 ", "save": "Save"}, follow_redirects=False
    )

    assert response.status_code == 302
    assert _value(db, "offer_hours") == "24"
    with db.read() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert entry.action == "setting.update" and entry.changes == {"value": ["48", "24"]}


def test_a_value_of_the_wrong_type_is_refused_with_a_message(
    superuser_client: AdminClient, db: Database
) -> None:
    response = superuser_client.submit(
        "/admin/setting/edit/offer_hours",
        {"value": "two days", "save": "Save"},
        follow_redirects=False,
    )

    assert response.status_code == 400
    assert "Waitlist offer (hours) must be a whole number" in response.text
    assert _value(db, "offer_hours") == "48"


def test_yes_no_settings_accept_only_yes_or_no(superuser_client: AdminClient, db: Database) -> None:
    refused = superuser_client.submit(
        "/admin/setting/edit/registration_open",
        {"value": "maybe", "save": "Save"},
        follow_redirects=False,
    )
    accepted = superuser_client.submit(
        "/admin/setting/edit/registration_open",
        {"value": "no", "save": "Save"},
        follow_redirects=False,
    )

    assert refused.status_code == 400 and "must be yes or no" in refused.text
    assert accepted.status_code == 302
    assert _value(db, "registration_open") == "false"


def test_unknown_settings_cannot_be_created_or_edited(
    superuser_client: AdminClient, db: Database
) -> None:
    created = superuser_client.submit(
        "/admin/setting/create", {"key": "colour", "value": "red"}, follow_redirects=False
    )
    edited = superuser_client.submit(
        "/admin/setting/edit/colour", {"value": "red", "save": "Save"}, follow_redirects=False
    )

    assert created.status_code == 403
    assert edited.status_code == 404
    assert _value(db, "colour") is None
