"""Hostile submissions to the "my school" forms: never a server error, never a partial write."""

from __future__ import annotations

import itertools
from urllib.parse import quote_from_bytes

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from starlette.testclient import TestClient

from domain.db import tables as t
from domain.db.database import Database
from tests.abuse.hostile import (
    ABUSE,
    Submission,
    assert_no_server_error,
    assert_rejected_cleanly,
    growth,
    hostile_token,
    row_counts,
    send,
    submissions,
)
from tests.public.factories import csrf_token
from tests.public.my_school_setup import (
    CONTACT,
    make_contact_school,
    school_course,
    sign_in,
    sign_up,
)

#: What an accepted change may add besides its own rows.
SIDE_EFFECTS = {"outgoing_emails", "audit_entries", "link_tokens"}
TEACHER = {"name": "Cleo New", "title": "Art teacher", "email": "cleo@example.org"}
_numbers = itertools.count()


def _check_accepted(changed: dict[str, int], allowed: dict[str, int]) -> None:
    for table, delta in changed.items():
        if table in SIDE_EFFECTS:
            assert delta > 0, f"{table} lost rows"
            continue
        assert table in allowed, f"an accepted submission changed {table} by {delta}"
        assert 0 < delta <= allowed[table], f"{table} grew by {delta}"


def _school_and_course(db: Database) -> tuple[int, int]:
    """Lincoln High on a roomy course, made on first use (examples share the database)."""
    with db.read() as session:
        school = session.scalar(select(t.schools.c.id).where(t.schools.c.name == "Lincoln High"))
        course = session.scalar(select(t.courses.c.id).where(t.courses.c.title == "Roomy"))
    if school is None:
        school = make_contact_school(db)
    if course is None:
        course = school_course(db, capacity=10_000, title="Roomy")
    return int(school), int(course)


def _signed_in(client: TestClient, db: Database) -> None:
    if "Sign out" not in client.get("/my-school/").text:
        sign_in(client, db)


@ABUSE
@given(submission=submissions({"email": CONTACT}))
def test_hostile_sign_in_link_requests_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    _school_and_course(db)
    token = csrf_token(public_client, "/my-school/")
    before = row_counts(db)
    response = send(public_client, "/my-school/", submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {})
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@given(submission=submissions(TEACHER))
def test_hostile_added_teachers_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    school_id, course_id = _school_and_course(db)
    sign_up(db, school_id, course_id, "Ada Teacher")
    _signed_in(public_client, db)
    page = f"/my-school/courses/{course_id}/add"
    token = csrf_token(public_client, page)
    before = row_counts(db)
    response = send(public_client, page, submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {"registrations": 1, "students": 1})
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@given(submission=submissions({**TEACHER, "reason": "On leave"}))
def test_hostile_replacements_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    school_id, course_id = _school_and_course(db)
    (registration_id,) = sign_up(db, school_id, course_id, f"Leaving Teacher{next(_numbers)}")
    _signed_in(public_client, db)
    page = f"/my-school/participants/{registration_id}/replace"
    token = csrf_token(public_client, page)
    before = row_counts(db)
    response = send(public_client, page, submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {"registrations": 1, "students": 1})
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@given(token=hostile_token(), submission=submissions({}), method=st.sampled_from(["get", "post"]))
def test_hostile_sign_in_tokens_never_fail_or_write(
    public_client: TestClient, db: Database, token: str, submission: Submission, method: str
) -> None:
    csrf = csrf_token(public_client, "/my-school/")
    path = "/my-school/sign-in/" + quote_from_bytes(token.encode("utf-8", "surrogatepass"), safe="")
    before = row_counts(db)
    if method == "get":
        assert public_client.get(path).status_code < 500, token
        assert growth(before, row_counts(db)) == {}
        return
    response = send(public_client, path, submission, csrf)
    assert_no_server_error(response, submission)
    assert_rejected_cleanly(response, submission, growth(before, row_counts(db)))
