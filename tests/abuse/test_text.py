"""Characters PostgreSQL refuses, and characters that hide: refused with a clear answer.

A NUL byte in a query string, or in an admin form, answers 400 with a page that
says why (PostgreSQL cannot store NUL: the query would fail with a 500); in a
public form the field's own check refuses it (tests/public/test_security.py).
A form that is not UTF-8 is refused rather than stored garbled. Bidirectional
controls and zero-width characters are refused in names and addresses, naming
the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from admin_site.app import _model_views
from domain.db import tables as t
from domain.db.database import Database
from tests.abuse.hostile import growth, row_counts
from tests.admin.conftest import AdminClient, csrf_token_in
from tests.public.factories import csrf_token, make_course, make_school, student_form

FORM_REFUSED = "Some of what you typed cannot be read"


@pytest.fixture
def public(public_app: Starlette) -> Iterator[TestClient]:
    with TestClient(public_app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


@pytest.fixture
def admin(admin_app: Starlette, superuser_client: AdminClient) -> Iterator[AdminClient]:
    with AdminClient(admin_app, raise_server_exceptions=False) as client:
        client.cookies = superuser_client.cookies
        client.csrf_token = superuser_client.csrf_token
        yield client


def _urlencoded(fields: dict[str, str], raw: bytes) -> bytes:
    """``fields`` url-encoded as a browser would, then ``raw`` appended as is."""
    return urlencode(fields).encode() + raw


def test_a_nul_in_the_school_search_is_a_friendly_400(public: TestClient, db: Database) -> None:
    make_school(db, "Hill Academy")
    response = public.get("/signup/schools?q=Hi%00ll")
    assert response.status_code == 400
    assert "This address cannot be read" in response.text
    assert "content-security-policy" in response.headers
    assert public.get("/signup/schools?q=Hill").json()[0]["name"] == "Hill Academy"


def test_a_nul_in_any_admin_search_or_lookup_is_refused_not_a_server_error(
    admin: AdminClient,
) -> None:
    urls = [
        f"/admin/{view.identity}/list?search=a%00b"
        for view in _model_views()
        if getattr(view, "column_searchable_list", None)
    ]
    urls += [
        "/admin/search/students?q=an%00n",
        "/admin/student/ajax/lookup?name=school&term=Hi%00ll",
        "/admin/course-slot/ajax/lookup?name=course&term=%00",
    ]
    answers = {url: admin.get(url).status_code for url in urls}
    assert {url: status for url, status in answers.items() if status != 400} == {}
    page = admin.get("/admin/school/list?search=a%00b").text
    assert "a NUL byte" in page


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_in_the_sign_in_form_is_refused_and_counts_nothing(
    admin_app: Starlette, db: Database, field: str
) -> None:
    with AdminClient(admin_app, raise_server_exceptions=False) as client:
        token = csrf_token_in(client.get("/admin/login").text)
        before = row_counts(db)
        form = {"csrf_token": token, "username": "boss", "password": "secret", field: "a\x00b"}
        response = client.post("/admin/login", data=form, follow_redirects=False)
    assert response.status_code == 400
    assert "a NUL byte" in response.text
    assert growth(before, row_counts(db)) == {}


@pytest.mark.parametrize("encoding", ["percent-escaped FF", "raw FF", "multipart FF"])
def test_a_public_form_that_is_not_text_is_refused_and_nothing_is_stored(
    public: TestClient, db: Database, encoding: str
) -> None:
    course = make_course(db)
    fields = {"csrf_token": csrf_token(public, f"/courses/{course}"), **student_form()}
    del fields["first_name"]
    before = row_counts(db)
    url = f"/courses/{course}/register"
    if encoding == "multipart FF":
        parts = [(name, (None, value.encode())) for name, value in fields.items()]
        response = public.post(url, files=[*parts, ("first_name", (None, b"Ma\xffya"))])
    else:
        raw = b"Ma%FFya" if encoding == "percent-escaped FF" else b"Ma\xffya"
        response = public.post(
            url,
            content=_urlencoded(fields, b"&first_name=" + raw),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 400
    assert FORM_REFUSED in response.text
    assert growth(before, row_counts(db)) == {}


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("urlencoded", b"Hill%FFSchool"),
        ("urlencoded", b"Hill\xffSchool"),
        ("urlencoded", b"Hill%00School"),
        ("multipart", b"Hill\xffSchool"),
        ("multipart", b"Hill\x00School"),
    ],
)
def test_an_admin_form_that_is_not_text_is_refused_and_nothing_is_stored(
    admin: AdminClient, db: Database, encoding: str, name: bytes
) -> None:
    before = row_counts(db)
    fields = {"csrf_token": admin.csrf_token, "location": "Town", "save": "Save"}
    if encoding == "multipart":
        parts = [(key, (None, value.encode())) for key, value in fields.items()]
        response = admin.post(
            "/admin/school/create", files=[*parts, ("name", (None, name))], follow_redirects=False
        )
    else:
        response = admin.post(
            "/admin/school/create",
            content=_urlencoded(fields, b"&name=" + name),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
    assert response.status_code == 400
    assert "that are not UTF-8" in response.text
    assert growth(before, row_counts(db)) == {}


def test_names_in_any_script_still_go_through_unchanged(
    public: TestClient, admin: AdminClient, db: Database
) -> None:
    course = make_course(db)
    token = csrf_token(public, f"/courses/{course}")
    form = student_form(first_name="Zoë", last_name="محمد 李")
    form["email"] = "zoe@example.com"
    booked = public.post(f"/courses/{course}/register", data={"csrf_token": token, **form})
    created = admin.submit(
        "/admin/school/create",
        {"name": "École Ünïversité", "location": "Zürich", "save": "Save"},
        follow_redirects=False,
    )
    assert (booked.status_code, created.status_code) == (303, 302)
    with db.read() as session:
        assert session.execute(select(t.students.c.first_name, t.students.c.last_name)).one() == (
            "Zoë",
            "محمد 李",
        )
        assert "École Ünïversité" in session.scalars(select(t.schools.c.name)).all()


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200b", "\ufeff", "\u061c"])
def test_a_name_with_hidden_or_direction_characters_is_refused_naming_the_field(
    public: TestClient, db: Database, char: str
) -> None:
    course = make_course(db, school_signup=True)
    token = csrf_token(public, f"/courses/{course}")
    before = row_counts(db)
    form = student_form(first_name=f"Ma{char}ya")
    booked = public.post(f"/courses/{course}/register", data={"csrf_token": token, **form})
    assert booked.status_code == 400
    assert "Your first name contains invisible or text-direction characters" in booked.text
    school = {
        "csrf_token": csrf_token(public, "/signup/"),
        "course": str(course),
        "school_choice": "new",
        "school_name": f"Hill{char} Academy",
        "location": "Springfield",
        "contact_name": "Pat Lee",
        "contact_email": "office@hill.example",
        "participants-0-name": "Ann Smith",
    }
    signed_up = public.post("/signup/", data=school)
    assert signed_up.status_code == 400
    assert "The school name contains invisible or text-direction characters" in signed_up.text
    assert growth(before, row_counts(db)) == {}
