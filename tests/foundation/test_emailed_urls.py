"""Emailed links: one definition of their paths, served by the public site, under BASE_URL.

The paths live in ``domain.services.emailed_urls`` and the public site's routes
are those very strings; the address in front is the one the ``Database`` was
opened with (``Database.from_config``), never read from the environment when an
email is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.routing import Match, Route
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.config import load_config
from domain.db.database import Database, public_base_url
from domain.model import School
from domain.services.certificates import issue_certificate
from domain.services.emailed_urls import EMAILED_PATHS
from domain.services.profiles import request_profile_link
from domain.services.school_sign_in import request_school_links
from domain.services.student_sign_in import request_sign_in_link
from public_site.app import create_public_app
from tests.certificate_seed import course_with_roll_call
from tests.public.conftest import make_config
from tests.public.factories import emails, full_course_with_offer

SITE = "https://book.example.org"
_LINK = re.compile(r"https?://[^\s\"'<>]+")


def _links(db: Database) -> list[str]:
    return [link for email in emails(db) for link in _LINK.findall(email.body_text)]


@pytest.fixture
def site_db(db: Database) -> Iterator[Database]:
    """The test database, opened as a site configured with ``BASE_URL=SITE`` opens it."""
    opened = Database(db.url.render_as_string(hide_password=False), public_base_url=SITE)
    yield opened
    opened.dispose()


def _email_every_kind_of_link(db: Database) -> None:
    """Registration, waitlist offer, profile, student and school sign-in, certificate emails."""
    full_course_with_offer(db, waiting_email="wanda@example.com")
    assert request_profile_link(db, email="wanda@example.com", actor=Actor.public("192.0.2.9"))
    assert request_sign_in_link(db, email="wanda@example.com", actor=Actor.public("192.0.2.9"))
    with db.write() as session:
        session.add(School(name="Lincoln High", location="Springfield", contact_email="p@l.org"))
        session.commit()
    assert request_school_links(db, email="p@l.org", actor=Actor.public("192.0.2.9")) == 1
    roll = course_with_roll_call(db)
    issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)


def test_every_emailed_path_is_served_by_a_public_route(tmp_path: Path) -> None:
    app = create_public_app(make_config(tmp_path), Database("sqlite://"))
    for path in EMAILED_PATHS:
        scope = {"type": "http", "method": "GET", "path": path.format(token="T" * 43)}
        served = [
            route
            for route in app.routes
            if isinstance(route, Route) and route.matches(scope)[0] == Match.FULL
        ]
        assert served, f"no public page answers {path}"
        assert served[0].path == path, f"{path} is answered by {served[0].path}"


def test_emailed_links_name_the_address_the_database_was_opened_with(
    site_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment says otherwise: a service must not read it when it writes an email.
    monkeypatch.setenv("BASE_URL", "https://elsewhere.example.net")
    _email_every_kind_of_link(site_db)

    links = _links(site_db)
    paths = {re.sub(r"[A-Za-z0-9_-]{20,}", "{token}", link.removeprefix(SITE)) for link in links}
    assert paths == set(EMAILED_PATHS), links
    assert all(link.startswith(SITE + "/") for link in links), links


def test_every_link_in_the_emails_opens_a_public_page(site_db: Database, tmp_path: Path) -> None:
    _email_every_kind_of_link(site_db)
    config = make_config(tmp_path, site_db.url.render_as_string(hide_password=False))
    with TestClient(create_public_app(config, site_db), base_url=SITE) as client:
        for link in _links(site_db):
            page = client.get(link.removeprefix(SITE), follow_redirects=False)
            assert page.status_code == 200, f"{link} answered {page.status_code}"


def test_a_script_opens_the_database_with_the_configured_address(tmp_path: Path) -> None:
    config = load_config({"ROLLBOOK_DATA_DIR": str(tmp_path), "BASE_URL": SITE + "/"})
    db = Database.from_config(config)
    try:
        assert db.public_base_url == SITE
        with db.write() as session:
            assert public_base_url(session) == SITE
    finally:
        db.dispose()
