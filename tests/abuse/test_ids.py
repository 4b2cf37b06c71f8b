"""Ids of any size or shape: an id no row can have is a 404 page (400 on a form), never a 500.

Every id a request carries (a path segment, ``pks``, a list filter, a form
field) is checked before it reaches the database: on PostgreSQL "abc" or
2147483648 would fail the query ("integer out of range") and answer 500. The
walks find the routes themselves, so a route added later is covered too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqladmin import ModelView
from sqladmin.filters import ForeignKeyFilter
from sqlalchemy import Integer, inspect
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

from admin_site.app import _model_views
from domain.db.database import Database
from site_kit.request_input import IdConvertor
from tests.abuse.hostile import growth, row_counts
from tests.admin.a3_factories import roll_call_class
from tests.admin.conftest import AdminClient
from tests.public.factories import csrf_token, make_course, student_form

#: Not a number, negative, zero, one past PostgreSQL's integer, far past any integer.
BAD_IDS = ("abc", "-1", "0", "2147483648", "99999999999999999999")
_ID_SEGMENT = re.compile(r"\{\w+:id\}")


def _id_routes(routes: list[BaseRoute]) -> list[Route]:
    return [
        route
        for route in routes
        if isinstance(route, Route)
        and any(isinstance(c, IdConvertor) for c in route.param_convertors.values())
    ]


def _method(route: Route) -> str:
    return "GET" if route.methods and "GET" in route.methods else "POST"


@pytest.fixture
def public(public_app: Starlette) -> Iterator[TestClient]:
    with TestClient(public_app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


@pytest.fixture
def admin(admin_app: Starlette, superuser_client: AdminClient) -> Iterator[AdminClient]:
    """The signed-in superuser, answering a server error as a 500 instead of raising it."""
    with AdminClient(admin_app, raise_server_exceptions=False) as client:
        client.cookies = superuser_client.cookies
        client.csrf_token = superuser_client.csrf_token
        yield client


def _admin_routes(admin_app: Starlette) -> list[BaseRoute]:
    mount = next(r for r in admin_app.routes if isinstance(r, Mount) and r.path == "/admin")
    return list(mount.routes)


def test_every_public_path_with_an_id_is_the_friendly_404_for_an_id_no_row_can_have(
    public: TestClient, public_app: Starlette
) -> None:
    routes = _id_routes(public_app.routes)
    assert {r.path for r in routes} >= {
        "/courses/{course_id:id}",
        "/courses/{course_id:id}/register",
    }
    token = csrf_token(public, "/signup/")
    answers = {}
    for route in routes:
        for bad in BAD_IDS:
            url = _ID_SEGMENT.sub(bad, route.path)
            method = _method(route)
            data = {"csrf_token": token, **student_form()} if method == "POST" else None
            response = public.request(method, url, data=data)
            answers[f"{method} {url}"] = (response.status_code, "Page not found" in response.text)
    assert {key: a for key, a in answers.items() if a != (404, True)} == {}


def test_a_drop_in_class_that_is_not_an_id_is_asked_for_again_on_the_form(
    public: TestClient, db: Database
) -> None:
    course = make_course(db, drop_in_price=Decimal("20.00"), sessions=True)
    token = csrf_token(public, f"/courses/{course}")
    before = row_counts(db)
    for bad in (*BAD_IDS, "²"):
        form = student_form(pricing_type="drop_in", drop_in_session=bad)
        response = public.post(f"/courses/{course}/register", data={"csrf_token": token, **form})
        assert response.status_code == 400, bad
        assert "Please choose the class you want to drop in to." in response.text
    assert growth(before, row_counts(db)) == {}


def _key_looks(view: type[ModelView]) -> tuple[str, ...]:
    """Keys no row of ``view`` can have: ids for an integer key, NUL for a text key."""
    columns = inspect(view.model).primary_key
    return BAD_IDS if isinstance(columns[0].type, Integer) else ("%00",)


def _id_filters(view: type[ModelView]) -> list[str]:
    return [
        f.parameter_name
        for f in getattr(view, "column_filters", [])
        if isinstance(f, ForeignKeyFilter)
    ]


def test_every_admin_view_is_a_404_for_a_key_no_row_can_have(
    admin: AdminClient, admin_app: Starlette
) -> None:
    answers = {}
    views = _model_views()
    assert any(_id_filters(view) for view in views)
    for view in views:
        identity = view.identity
        for bad in _key_looks(view):
            requests = [
                ("GET", f"/admin/{identity}/details/{bad}", None),
                ("GET", f"/admin/{identity}/edit/{bad}", None),
                ("POST", f"/admin/{identity}/edit/{bad}", {"csrf_token": admin.csrf_token}),
                ("DELETE", f"/admin/{identity}/delete?pks=1,{bad}", None),
                *[
                    ("GET", f"/admin/{identity}/list?{name}={bad}", None)
                    for name in _id_filters(view)
                ],
            ]
            for method, url, data in requests:
                response = admin.request(method, url, data=data, headers=admin.csrf_headers())
                # NUL in a query string is refused as such (tests/abuse/test_text.py).
                expected = 400 if "?" in url and "%00" in url else 404
                answers[f"{method} {url}"] = (response.status_code, expected)
    assert {key: a for key, a in answers.items() if a[0] != a[1]} == {}


def test_every_admin_page_with_an_id_in_its_address_is_a_404_for_an_id_no_row_can_have(
    admin: AdminClient, admin_app: Starlette
) -> None:
    routes = _admin_routes(admin_app)
    id_routes = _id_routes(routes)
    assert {r.path for r in id_routes} >= {
        "/sessions/{session_id:id}/rollcall/",
        "/courses/{course_id:id}/rollcall/",
        "/staff-user/reset-password/{pk:id}",
        "/staff-user/deactivate/{pk:id}",
    }
    action_paths = [r.path for r in routes if isinstance(r, Route) and "/action/" in r.path]
    assert action_paths, "SQLAdmin's action buttons were not found"
    answers = {}
    for bad in BAD_IDS:
        urls = [(_method(r), "/admin" + _ID_SEGMENT.sub(bad, r.path)) for r in id_routes]
        urls += [("GET", f"/admin{path}?pks={bad}") for path in action_paths]
        urls += [("GET", f"/admin/actions/offer-next-seat/?pks={bad}")]
        urls += [("GET", f"/admin/actions/offer-next-seat/done?pks={bad}")]
        for method, url in urls:
            response = admin.request(method, url, headers=admin.csrf_headers())
            answers[f"{method} {url}"] = response.status_code
    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_an_action_form_posted_with_ids_that_are_not_ids_says_so_and_does_nothing(
    admin: AdminClient, db: Database
) -> None:
    before = row_counts(db)
    for bad in BAD_IDS:
        response = admin.submit("/admin/actions/generate-sessions/", {"pks": bad})
        assert response.status_code == 400, bad
        assert "The chosen rows are not valid ids." in response.text
    assert growth(before, row_counts(db)) == {}


def test_a_student_picked_by_an_id_too_large_for_the_database_is_unknown(
    admin: AdminClient, db: Database
) -> None:
    course = make_course(db)
    response = admin.submit(
        "/admin/actions/register-student/",
        {
            "pks": str(course),
            "student": "2147483648",
            "pricing_type": "full_package",
            "override_reason": "walk-in",
        },
    )
    assert response.status_code == 400
    assert "No student with id or email" in response.text


def test_a_roll_call_mark_for_a_registration_id_that_is_not_an_id_is_refused(
    admin: AdminClient, db: Database
) -> None:
    klass = roll_call_class(db)
    before = row_counts(db)
    for bad in (*BAD_IDS, 2**31, True, None):
        response = admin.post(
            f"/admin/sessions/{klass.session_id}/rollcall/mark",
            json={"registration_id": bad, "status": "present"},
            headers=admin.csrf_headers(),
        )
        assert response.status_code == 400, bad
        assert response.json() == {"error": "Choose a student from the roster."}
    assert growth(before, row_counts(db)) == {}
