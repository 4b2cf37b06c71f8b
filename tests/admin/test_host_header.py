"""A forged Host header never becomes a redirect target, and in production it is refused.

Starlette and SQLAdmin build redirects with ``request.url_for``, which trusts
the Host header: ``Host: evil.example`` used to come back as
``Location: http://evil.example/admin/``. Each redirect the admin sends is
tried with that header here; the public site's are in
tests/public/test_host_header.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from admin_site.app import create_admin_app
from domain.config import Config, load_config
from domain.db.database import Database
from domain.model import StaffUser
from rollbook.asgi import create_app
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.admin.conftest import PASSWORD, SECRET_KEY, AdminClient, csrf_token_in

EVIL = "evil.example"
FORGED = {"host": EVIL}
SITE = "https://rollbook.example.org"


def assert_stays_home(response: httpx.Response) -> str:
    """The redirect's target: a path on whatever address the browser asked."""
    assert response.is_redirect, response.status_code
    location = response.headers["location"]
    assert EVIL not in location and location.startswith("/") and not location.startswith("//")
    return location


def test_signing_in_and_out_with_a_forged_host_redirects_to_paths(
    anonymous_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    make_staff_user("alice")
    first = anonymous_client.get("/admin/", headers=FORGED, follow_redirects=False)
    assert assert_stays_home(first) == "/admin/login"

    signed_in = anonymous_client.submit(
        "/admin/login",
        {"username": "alice", "password": PASSWORD},
        headers=FORGED,
        follow_redirects=False,
    )
    assert assert_stays_home(signed_in) == "/admin/"

    page = anonymous_client.get("/admin/", follow_redirects=False)
    again = anonymous_client.get("/admin/login", headers=FORGED, follow_redirects=False)
    assert assert_stays_home(again) == "/admin/"
    anonymous_client.csrf_token = csrf_token_in(page.text)
    signed_out = anonymous_client.submit("/admin/logout", headers=FORGED, follow_redirects=False)
    assert assert_stays_home(signed_out) == "/admin/login"


@pytest.mark.parametrize(
    ("button", "target"),
    [
        ("Save", "/admin/school/list"),
        ("Save and continue editing", "/admin/school/edit/"),
        ("Save and add another", "/admin/school/create"),
    ],
)
def test_saving_a_form_with_a_forged_host_redirects_to_a_path(
    staff_client: AdminClient, button: str, target: str
) -> None:
    school = {"name": "Hill Academy", "location": "Springfield", "save": button}
    created = staff_client.submit(
        "/admin/school/create", school, headers=FORGED, follow_redirects=False
    )
    assert assert_stays_home(created).startswith(target)

    edited = staff_client.submit(
        "/admin/school/edit/1",
        {**school, "name": "Hill High"},
        headers=FORGED,
        follow_redirects=False,
    )
    assert assert_stays_home(edited).startswith(target)


def test_deleting_with_a_forged_host_answers_the_list_as_a_path(
    staff_client: AdminClient,
) -> None:
    staff_client.submit("/admin/school/create", {"name": "Hill Academy", "save": "Save"})

    # SQLAdmin's delete answers the URL its JavaScript then opens.
    answer = staff_client.delete(
        "/admin/school/delete?pks=1", headers={**FORGED, **staff_client.csrf_headers()}
    )

    assert answer.status_code == 200
    assert answer.text == "/admin/school/list"


def test_actions_with_a_forged_host_redirect_to_paths(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Bachata Series", price=Decimal("50.00"))
    pk = add_registration(
        db,
        student_id=add_student(db, "Ann", "Lee"),
        course_id=course,
        amount=Decimal("50.00"),
        status="pending",
    )

    opened = staff_client.get(
        f"/admin/registration/action/resend-confirmation?pks={pk}",
        headers=FORGED,
        follow_redirects=False,
    )
    assert assert_stays_home(opened) == f"/admin/actions/resend-confirmation/?pks={pk}"

    done = staff_client.submit(
        "/admin/actions/resend-confirmation/",
        {"pks": str(pk)},
        headers=FORGED,
        follow_redirects=False,
    )
    assert assert_stays_home(done).startswith("/admin/actions/resend-confirmation/done")


def test_a_trailing_slash_redirect_with_a_forged_host_is_a_path(
    staff_client: AdminClient,
) -> None:
    response = staff_client.get("/admin", headers=FORGED, follow_redirects=False)
    assert assert_stays_home(response) == "/admin/"


@pytest.fixture
def production(admin_config: Config, tmp_path: Path) -> Config:
    return load_config(
        {
            "ROLLBOOK_ENV": "production",
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": admin_config.database_url,
            "SECRET_KEY": SECRET_KEY,
            "BASE_URL": SITE,
        }
    )


@pytest.fixture
def production_admin(production: Config, db: Database) -> Iterator[TestClient]:
    with TestClient(create_admin_app(production, db), base_url=SITE) as client:
        yield client


@pytest.fixture
def production_site(production: Config, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(production, db), base_url=SITE) as client:
        yield client


def test_in_production_the_admin_alone_refuses_a_foreign_host(
    production_admin: TestClient,
) -> None:
    assert production_admin.get("/admin/login").status_code == 200
    for path in ("/admin/login", "/admin/", "/admin/school/list"):
        refused = production_admin.get(path, headers=FORGED, follow_redirects=False)
        assert refused.status_code == 400, path
        assert "location" not in refused.headers and "set-cookie" not in refused.headers
        assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
    # A container's health check calls by an internal address.
    assert production_admin.get("/health", headers={"host": "10.0.0.7:8000"}).status_code == 200


def test_in_production_the_combined_app_refuses_a_foreign_host_on_both_sites(
    production_site: TestClient,
) -> None:
    assert production_site.get("/").status_code == 200
    assert production_site.get("/admin/login").status_code == 200
    for path in ("/", "/signup/", "/admin/login", "/admin/"):
        assert production_site.get(path, headers=FORGED).status_code == 400, path
    # The port and the letter case of the configured host do not matter.
    assert production_site.get("/", headers={"host": "Rollbook.Example.org:443"}).status_code == 200
    assert production_site.get("/health", headers={"host": "127.0.0.1:8000"}).status_code == 200
