"""The signed visitor cookie: only the server can make one, and only for one audience."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from itsdangerous import URLSafeTimedSerializer
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from public_site import visitor_session
from public_site.visitor_session import VISITOR_COOKIE, Visitor, current_visitor


def _whoami(request: Request) -> Response:
    student = current_visitor(request, "student")
    school = current_visitor(request, "school")
    return PlainTextResponse(
        f"student={student and student.subject_id} school={school and school.subject_id}"
    )


def _sign_in_student(request: Request) -> Response:
    return visitor_session.sign_in(request, PlainTextResponse("in"), Visitor("student", 7))


def _sign_out(request: Request) -> Response:
    return visitor_session.sign_out(request, PlainTextResponse("out"))


@pytest.fixture
def client() -> TestClient:
    app = Starlette(
        routes=[
            Route("/who", _whoami),
            Route("/in", _sign_in_student),
            Route("/out", _sign_out),
        ]
    )
    app.state.config = SimpleNamespace(secret_key="s" * 32, https=False)
    return TestClient(app)


def test_a_signed_in_student_is_recognised_and_only_as_a_student(client: TestClient) -> None:
    assert client.get("/who").text == "student=None school=None"
    client.get("/in")
    assert client.get("/who").text == "student=7 school=None"


def test_signing_out_forgets_the_visitor(client: TestClient) -> None:
    client.get("/in")
    client.get("/out")
    assert client.get("/who").text == "student=None school=None"


def test_a_cookie_signed_with_another_key_is_ignored(client: TestClient) -> None:
    forged = URLSafeTimedSerializer("x" * 32, salt="visitor-session").dumps(["school", 1])
    client.cookies.set(VISITOR_COOKIE, str(forged))
    assert client.get("/who").text == "student=None school=None"


def test_an_expired_sign_in_is_ignored(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    client.get("/in")
    monkeypatch.setattr(visitor_session, "VISITOR_SESSION_SECONDS", -1)
    assert client.get("/who").text == "student=None school=None"
