"""No public page or form touches the database on the event loop.

There it would stall every other visitor of the process (tests/integration/
test_event_loop.py measures that with a held lock). Pages are plain functions,
which Starlette runs in its thread pool; forms are ``form_endpoint``s. The
first tests hold every route and error page to that rule; the last one uses
the whole site while ``tests/loop_guard.py`` watches the loop's thread.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial

import httpx
import pytest
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from domain.db.database import Database
from public_site.endpoints import form_endpoint
from tests.loop_guard import work_on_the_loop
from tests.public.factories import (
    emails,
    full_course_with_offer,
    link_in,
    make_course,
    post,
    register_via_site,
    student_form,
)


def _a_handler(request: Request, form: FormData) -> Response:
    return Response()


#: The code of every endpoint ``form_endpoint`` makes.
FORM_ENDPOINT_CODE = form_endpoint(_a_handler).__code__  # type: ignore[attr-defined]


def _routes(app: Starlette) -> list[Route]:
    return [route for route in app.routes if isinstance(route, Route)]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_public_endpoint_runs_in_the_thread_pool(app: Starlette) -> None:
    on_the_loop = [
        route.path
        for route in _routes(app)
        if inspect.iscoroutinefunction(route.endpoint)
        and route.endpoint.__code__ is not FORM_ENDPOINT_CODE
        and route.path != "/health"  # it awaits its one query in a thread
    ]
    assert on_the_loop == []
    assert len(_routes(app)) > 20


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_error_page_is_made_in_the_thread_pool(app: Starlette) -> None:
    # Every page shows the organisation's name, read from the settings table.
    handlers = app.exception_handlers
    assert 500 in handlers and len(handlers) >= 4
    assert [h for h in handlers.values() if inspect.iscoroutinefunction(h)] == []


Use = tuple[Callable[[], httpx.Response], int]


def _uses(client: TestClient, db: Database) -> dict[str, Use]:
    """Every page and form of the public site and the status each answers, in working order."""
    course = make_course(db, school_signup=True)
    full = make_course(db, title="Full course", capacity=1)
    register_via_site(client, full, email="first@example.com")
    register_via_site(client, course)
    view = link_in(emails(db)[-1], "/registrations/")
    cancel = link_in(emails(db)[-1], "/registrations/cancel/")
    _, offer = full_course_with_offer(db, title="Offered")
    _, declined = full_course_with_offer(db, title="Declined", waiting_email="d@example.com")
    post(client, "/profile/", {"email": "maya@example.com"}, page="/profile/")
    profile = link_in(emails(db)[-1], "/profile/")
    school = {
        "course": str(course),
        "school_choice": "new",
        "school_name": "Lincoln High",
        "location": "Springfield",
        "contact_name": "Pat Principal",
        "contact_email": "pat@lincoln.example",
        "participants-0-name": "Ada Teacher",
    }
    pages = [
        "/",
        f"/courses/{course}",
        f"/courses/{course}/waitlist/joined",
        "/registrations/received",
        view,
        cancel,
        "/registrations/cancelled",
        f"/offers/{offer}/claim",
        f"/offers/{declined}/decline",
        "/offers/declined",
        "/signup/",
        "/signup/schools?q=lin",
        "/signup/success/",
        "/profile/",
        "/profile/sent",
        profile,
        "/profile/updated",
    ]
    forms: dict[str, tuple[str, dict[str, str]]] = {
        "book": (f"/courses/{course}/register", student_form(email="b@example.com")),
        "join": (f"/courses/{full}/waitlist", student_form(email="w@example.com")),
        "claim": (f"/offers/{offer}/claim", {}),
        "decline": (f"/offers/{declined}/decline", {}),
        "cancel": (cancel, {}),
        "sign up": ("/signup/", school),
        "ask for a profile link": ("/profile/", {"email": "b@example.com"}),
        "change the profile": (profile, {"first_name": "Maya", "last_name": "L"}),
    }
    uses: dict[str, Use] = {page: (partial(client.get, page), 200) for page in pages}
    uses["a missing page"] = (partial(client.get, "/no-such-page"), 404)
    uses["a form's address"] = (partial(client.get, f"/courses/{course}/register"), 405)
    for name, (url, data) in forms.items():
        # The CSRF token goes with the browser's cookie: any form's token will do.
        uses[name] = (partial(post, client, url, data, page="/profile/"), 303)
    uses["a form without its CSRF token"] = (partial(client.post, "/profile/", data={}), 403)
    return uses


def test_no_public_page_or_form_touches_the_database_on_the_event_loop(
    client: TestClient, db: Database
) -> None:
    failures: dict[str, list[str]] = {}
    for name, (use, status) in _uses(client, db).items():
        with work_on_the_loop(db) as on_loop:
            response = use()
        assert response.status_code == status, name
        if on_loop:
            failures[name] = on_loop
    assert failures == {}
