"""The organisation's contact: three settings grouped under Organisation, checked on save."""

from __future__ import annotations

import html

from sqlalchemy import select

from domain.db.database import Database
from domain.model import Setting
from tests.admin.conftest import AdminClient
from tests.admin.test_settings_page import URL, _form

CONTACT = {
    "contact_email": "Hello@Harbour-Dance.example",
    "contact_phone": "+1 555 0100",
    "postal_address": "12 Pier Road, Springfield",
}


def test_the_contact_settings_are_in_the_organisation_group(
    superuser_client: AdminClient,
) -> None:
    text = html.unescape(superuser_client.page(URL).text)
    organisation = text[text.index(">Organisation</h3>") : text.index(">Payments</h3>")]
    for label in ("Contact email", "Contact phone", "Postal address"):
        assert f">{label}</" in organisation
    assert 'id="contact_email"' in organisation and 'id="postal_address"' in organisation


def test_the_contact_is_saved_and_the_email_kept_in_lower_case(
    superuser_client: AdminClient, db: Database
) -> None:
    superuser_client.page(URL)
    response = superuser_client.submit(URL, _form(**CONTACT), follow_redirects=False)
    assert response.status_code == 303
    with db.read() as session:
        stored = {row.key: row.value for row in session.scalars(select(Setting))}
    assert stored["contact_email"] == "hello@harbour-dance.example"
    assert stored["contact_phone"] == "+1 555 0100"
    assert stored["postal_address"] == "12 Pier Road, Springfield"


def test_a_contact_email_that_is_not_an_address_is_refused_by_its_field(
    superuser_client: AdminClient, db: Database
) -> None:
    superuser_client.page(URL)
    response = superuser_client.submit(URL, _form(**{**CONTACT, "contact_email": "call us"}))
    assert response.status_code == 400
    text = html.unescape(response.text)
    message = "Contact email must be an address such as hello@example.org"
    assert text.index('id="contact_email"') < text.index(message) < text.index('id="contact_phone"')
    with db.read() as session:
        assert session.get(Setting, "contact_phone").value == ""  # type: ignore[union-attr]
