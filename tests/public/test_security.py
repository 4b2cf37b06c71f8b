"""Safe with public input: CSRF, honeypot, rate limit, lengths, control characters, headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.model import RateLimitBucket, Registration, Student
from domain.services.rate_limits import Limits
from public_site.app import create_public_app
from tests.public.conftest import make_config
from tests.public.factories import (
    count,
    csrf_token,
    emails,
    make_course,
    post,
    register_via_site,
    student_form,
)


def test_form_without_csrf_token_is_refused_and_nothing_is_written(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    client.get(f"/courses/{course_id}")
    response = client.post(f"/courses/{course_id}/register", data=student_form())
    assert response.status_code == 403
    assert "reload the page" in response.text
    assert count(db, Registration) == 0 and count(db, Student) == 0


def test_csrf_token_from_another_browser_is_refused(
    app: Starlette, client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    with TestClient(app) as other_browser:
        stolen = csrf_token(other_browser, f"/courses/{course_id}")
    client.get(f"/courses/{course_id}")
    response = client.post(
        f"/courses/{course_id}/register", data={**student_form(), "csrf_token": stolen}
    )
    assert response.status_code == 403
    assert count(db, Registration) == 0


def test_forged_csrf_token_is_refused(client: TestClient, db: Database) -> None:
    response = client.post("/signup/", data={"csrf_token": "forged.token.value"})
    assert response.status_code == 403


def test_honeypot_submission_pretends_success_and_changes_nothing(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    response = post(
        client,
        f"/courses/{course_id}/register",
        {**student_form(), "website": "http://spam.example"},
        page=f"/courses/{course_id}",
    )
    assert response.status_code == 303
    assert "Thank you" in client.get(response.headers["location"]).text
    assert count(db, Registration) == 0 and count(db, Student) == 0
    assert emails(db) == []


def test_too_many_submissions_from_one_address_get_a_friendly_429(
    app: Starlette, client: TestClient, db: Database
) -> None:
    app.state.limits = Limits(submissions=3)
    course_id = make_course(db)
    for n in range(3):
        response = register_via_site(client, course_id, email=f"s{n}@example.com")
        assert response.status_code == 303
    response = register_via_site(client, course_id, email="late@example.com")
    assert response.status_code == 429
    assert "Too many tries" in response.text
    assert count(db, Registration) == 3


def test_rate_limit_is_shared_by_app_processes_through_the_database(
    tmp_path: Path, app: Starlette, client: TestClient, db: Database
) -> None:
    app.state.limits = Limits(submissions=2)
    other = create_public_app(make_config(tmp_path, str(db.url)), db)
    other.state.limits = Limits(submissions=2)
    course_id = make_course(db)
    for _ in range(2):
        register_via_site(client, course_id)
    with TestClient(other) as second_process:
        response = register_via_site(second_process, course_id, email="x@example.com")
    assert response.status_code == 429
    assert count(db, RateLimitBucket) == 1


def test_too_long_name_is_refused_before_the_database(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    response = register_via_site(client, course_id, first_name="M" * 101)
    assert response.status_code == 400
    assert "at most 100 characters" in response.text
    assert count(db, Student) == 0


@pytest.mark.parametrize("bad", ["Maya\r\nBcc: all@example.com", "Maya\x00", "Maya\x1b[31m"])
def test_control_characters_in_names_are_refused(
    client: TestClient, db: Database, bad: str
) -> None:
    course_id = make_course(db)
    response = register_via_site(client, course_id, first_name=bad)
    assert response.status_code == 400
    assert "single line" in response.text
    assert count(db, Student) == 0


def test_control_characters_in_email_addresses_are_refused(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db)
    response = register_via_site(client, course_id, email="maya@example.com\nBcc: x@example.com")
    assert response.status_code == 400
    assert count(db, Student) == 0


def test_every_response_carries_the_security_headers(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    for path in (
        "/",
        f"/courses/{course_id}",
        "/signup/",
        "/no-such-page",
        "/health",
        "/static/site/site.css",
        "/signup/schools?q=ab",
    ):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_refusals_also_carry_the_security_headers(client: TestClient, db: Database) -> None:
    response = client.post("/signup/", data={})
    assert response.status_code == 403
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_csrf_cookie_is_http_only_and_same_site(client: TestClient, db: Database) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_every_form_carries_a_csrf_token(client: TestClient, db: Database) -> None:
    course_id = make_course(db)
    for path in (f"/courses/{course_id}", "/signup/", "/profile/"):
        text = client.get(path).text
        forms = text.split("<form")[1:]
        assert forms, f"no form on {path}"
        for form in forms:
            assert 'name="csrf_token"' in form.split("</form>")[0], path
