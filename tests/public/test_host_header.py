"""The public site's redirects never point at a forged Host, and production refuses one.

The admin's redirects, and the combined app, are in tests/admin/test_host_header.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from starlette.testclient import TestClient

from domain.config import Config
from domain.db.database import Database
from public_site.app import create_public_app
from tests.public.factories import csrf_token, make_course, student_form

EVIL = "evil.example"
FORGED = {"host": EVIL}
SITE = "https://rollbook.example.org"


def assert_stays_home(response: httpx.Response) -> str:
    assert response.is_redirect, response.status_code
    location = response.headers["location"]
    assert EVIL not in location and location.startswith("/") and not location.startswith("//")
    return location


def test_a_booking_with_a_forged_host_redirects_to_a_path(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    form = {"csrf_token": csrf_token(client, f"/courses/{course_id}"), **student_form()}

    response = client.post(f"/courses/{course_id}/register", data=form, headers=FORGED)

    assert assert_stays_home(response).startswith("/registrations/")


@pytest.mark.parametrize(("path", "target"), [("/signup", "/signup/"), ("/profile", "/profile/")])
def test_a_trailing_slash_redirect_with_a_forged_host_is_a_path(
    client: TestClient, path: str, target: str
) -> None:
    response = client.get(path, headers=FORGED)
    assert assert_stays_home(response) == target


@pytest.fixture
def production_site(config: Config, db: Database) -> Iterator[TestClient]:
    live = replace(config, env="production", base_url=SITE)
    with TestClient(create_public_app(live, db), base_url=SITE) as test_client:
        yield test_client


def test_in_production_the_public_site_alone_refuses_a_foreign_host(
    production_site: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    for path in ("/", f"/courses/{course_id}", "/signup/"):
        assert production_site.get(path).status_code == 200, path
        refused = production_site.get(path, headers=FORGED)
        assert refused.status_code == 400, path
        assert "location" not in refused.headers
        assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
    assert production_site.get("/health", headers={"host": "10.0.0.7:8000"}).status_code == 200
