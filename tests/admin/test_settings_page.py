"""Every setting on one grouped form: saved as a whole, audited per change, or not at all."""

from __future__ import annotations

import html

from sqlalchemy import select

from domain.db.database import Database
from domain.model import AuditEntry, Setting
from domain.rules.settings import DESCRIPTIONS, GROUPS, KEYS, LABELS
from tests.admin.conftest import AdminClient

URL = "/admin/settings/"


def _stored(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {row.key: row.value for row in session.scalars(select(Setting))}


def _audit(db: Database) -> list[tuple[str, str, list[str]]]:
    with db.read() as session:
        entries = session.scalars(select(AuditEntry))
        return sorted((e.action, e.entity_id, e.changes["value"]) for e in entries)


def _form(**changes: str) -> dict[str, str]:
    """The form as the page sends it untouched (ticked boxes only), with ``changes``."""
    form = {
        "organisation_name": "Rollbook",
        "timezone": "UTC",
        "registration_open": "true",
        "payment_hold_hours": "72",
        "unpaid_bookings_per_address": "4",
        "venmo_handle": "",
        "zelle_recipient_name": "",
        "zelle_phone": "",
        "offer_hours": "48",
        "automatic_offers": "true",
        "emails_enabled": "true",
        "completion_threshold_percent": "100",
        "currency": "USD",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != "false"}


def test_every_setting_is_shown_with_its_label_and_description_in_its_group(
    superuser_client: AdminClient,
) -> None:
    page = superuser_client.page(URL)

    assert page.status_code == 200
    text = html.unescape(page.text)
    for group in GROUPS:
        assert f">{group.title}</h3>" in text
    for key in KEYS:
        assert f">{LABELS[key]}</" in text
        assert DESCRIPTIONS[key] in text
    # Inputs fit the values: a switch, a number, a list of time zones.
    assert 'type="checkbox"' in page.text and 'id="registration_open"' in page.text
    assert 'type="number"' in page.text and 'max="100"' in page.text
    assert '<option value="Europe/Berlin"' in page.text


def test_the_menu_entry_settings_opens_the_one_page(superuser_client: AdminClient) -> None:
    page = superuser_client.page("/admin/").text

    assert f'href="http://testserver{URL}"' in page or f'href="{URL}"' in page
    assert "/admin/setting/list" not in page


def test_a_valid_save_changes_exactly_what_changed_and_audits_each_change(
    superuser_client: AdminClient, db: Database
) -> None:
    superuser_client.page(URL)  # the app's start stored the defaults
    before = _stored(db)

    response = superuser_client.submit(
        URL,
        _form(offer_hours="24", automatic_offers="false", timezone="Europe/Berlin"),
        follow_redirects=False,
    )

    assert response.status_code == 303
    after = _stored(db)
    assert {k for k in KEYS if after[k] != before[k]} == {
        "offer_hours",
        "automatic_offers",
        "timezone",
    }
    assert after["offer_hours"] == "24" and after["automatic_offers"] == "false"
    assert after["timezone"] == "Europe/Berlin"
    assert _audit(db) == [
        ("setting.update", "automatic_offers", ["true", "false"]),
        ("setting.update", "offer_hours", ["48", "24"]),
        ("setting.update", "timezone", ["UTC", "Europe/Berlin"]),
    ]
    shown = superuser_client.get(response.headers["location"])
    assert (
        "Saved. Changed: Time zone, Waitlist offer (hours), Automatic waitlist offers."
        in html.unescape(shown.text)
    )
    assert 'value="24"' in shown.text


def test_saving_an_untouched_form_changes_nothing_and_says_so(
    superuser_client: AdminClient, db: Database
) -> None:
    superuser_client.page(URL)
    before = _stored(db)

    response = superuser_client.submit(URL, _form())

    assert response.status_code == 200
    assert "Nothing to save: every setting already had that value." in response.text
    assert _stored(db) == before and _audit(db) == []


def test_one_invalid_value_changes_nothing_and_is_shown_by_its_field(
    superuser_client: AdminClient, db: Database
) -> None:
    superuser_client.page(URL)
    before = _stored(db)

    response = superuser_client.submit(
        URL,
        _form(organisation_name="Studio Nine", offer_hours="two days", emails_enabled="false"),
    )

    assert response.status_code == 400
    assert _stored(db) == before
    assert _audit(db) == []
    text = html.unescape(response.text)
    assert "Nothing was saved" in text
    message = "Waitlist offer (hours) must be a whole number, not 'two days'"
    field = text.index('id="offer_hours"')
    assert text.index(message) > field
    assert text.index(message) < text.index('id="automatic_offers"')
    # What was typed is kept, so the fix is one edit.
    assert 'value="Studio Nine"' in text and 'value="two days"' in text


def test_staff_who_are_not_superusers_are_refused(staff_client: AdminClient, db: Database) -> None:
    before = _stored(db)

    shown = staff_client.page(URL)
    saved = staff_client.submit(URL, _form(offer_hours="24"), follow_redirects=False)

    assert shown.status_code == 403 and saved.status_code == 403
    assert _stored(db) == before
    assert "/admin/settings/" not in staff_client.page("/admin/").text


def test_a_save_without_the_csrf_token_is_refused(
    superuser_client: AdminClient, db: Database
) -> None:
    superuser_client.page(URL)
    before = _stored(db)

    response = superuser_client.post(URL, data=_form(offer_hours="24"), follow_redirects=False)

    assert response.status_code == 403
    assert _stored(db) == before


def test_the_old_list_and_edit_addresses_open_the_one_page(
    superuser_client: AdminClient, staff_client: AdminClient
) -> None:
    listed = superuser_client.page("/admin/setting/list")
    edited = superuser_client.page("/admin/setting/edit/offer_hours")

    assert listed.status_code == edited.status_code == 303
    assert listed.headers["location"].endswith(URL)
    assert edited.headers["location"].endswith(f"{URL}#setting-offer_hours")
    assert staff_client.page("/admin/setting/list").status_code == 403


def test_a_settings_details_address_opens_the_one_page_at_its_setting(
    superuser_client: AdminClient, staff_client: AdminClient
) -> None:
    shown = superuser_client.page("/admin/setting/details/automatic_offers")

    assert shown.status_code == 303
    assert shown.headers["location"].endswith(f"{URL}#setting-automatic_offers")
    assert staff_client.page("/admin/setting/details/automatic_offers").status_code == 403
