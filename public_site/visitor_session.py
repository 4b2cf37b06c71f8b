"""Who a visitor is after opening a sign-in link: a signed cookie, kept by the browser.

A sign-in link (``LinkPurpose.STUDENT_SIGN_IN`` or ``SCHOOL_SIGN_IN``) is single-use;
opening it sets this cookie, and the visitor's own pages ("my bookings", "my school")
read it on every request. The cookie holds only the student's or the school's id,
signed with the secret key and dated, so any app process can check it and nothing
is kept in process memory. It expires after ``VISITOR_SESSION_SECONDS``; "sign out"
removes it. Changing the secret key signs every visitor out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

VISITOR_COOKIE = "rollbook_visitor"
#: How long a sign-in lasts: long enough to look around and cancel, short enough
#: that a shared computer forgets the visitor the same day.
VISITOR_SESSION_SECONDS = 2 * 3600

Audience = Literal["student", "school"]


@dataclass(frozen=True)
class Visitor:
    """The signed-in student or school contact."""

    audience: Audience
    #: ``students.id`` for a student, ``schools.id`` for a school contact.
    subject_id: int


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.config.secret_key, salt="visitor-session")


def sign_in(request: Request, response: Response, visitor: Visitor) -> Response:
    """Set the cookie that signs ``visitor`` in on ``response``, and return it."""
    value = _serializer(request).dumps([visitor.audience, visitor.subject_id])
    response.set_cookie(
        VISITOR_COOKIE,
        str(value),
        max_age=VISITOR_SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.config.https),
    )
    return response


def sign_out(request: Request, response: Response) -> Response:
    response.delete_cookie(
        VISITOR_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.config.https),
    )
    return response


def current_visitor(request: Request, audience: Audience) -> Visitor | None:
    """The visitor signed in as ``audience``, or None (no cookie, forged, expired, other kind)."""
    raw = request.cookies.get(VISITOR_COOKIE)
    if not raw or len(raw) > 300:
        return None
    try:
        value = _serializer(request).loads(raw, max_age=VISITOR_SESSION_SECONDS)
    except BadSignature:
        return None
    if not (
        isinstance(value, list)
        and len(value) == 2
        and value[0] == audience
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    ):
        return None
    return Visitor(audience=audience, subject_id=value[1])
