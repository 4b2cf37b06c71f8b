"""What keeps the public site safe on the open internet.

CSRF uses a signed double submit: a random value in a cookie, the same value
signed with the secret key in every form. Nothing is kept in process memory, so
any number of app processes accept each other's forms. Security headers go on
every response; pages reached by an emailed token link also send
``Referrer-Policy: no-referrer`` so the token never leaks to another site.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Protocol

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.services.rate_limits import RateLimited, allow_submission
from site_kit.request_input import (
    form_content_type,
    form_text,
    query_has_nul,
    read_body,
    replaying,
)

CSRF_COOKIE = "rollbook_csrf"
CSRF_FIELD = "csrf_token"
HONEYPOT_FIELD = "website"
#: A form left open longer than this must be reloaded before it is sent.
CSRF_MAX_AGE_SECONDS = 8 * 3600
#: The largest form body read (the school sign-up with every row full is ~0.2 MB);
#: it is read whole to check that it is text, so it must be bounded.
MAX_FORM_BODY = 1024 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'; object-src 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
REFERRER_POLICY = b"strict-origin-when-cross-origin"
#: What a response that does not say how long it may be kept gets: no shared cache
#: keeps it (a page may hold a form's token, a visitor's details or a cookie), and
#: the browser asks again before showing it. Static assets say otherwise.
PRIVATE_BY_DEFAULT = (b"cache-control", b"private, no-cache")
#: Header for responses to pages whose URL holds a secret token.
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


class ProblemPage(Protocol):
    def __call__(
        self, request: Request, *, status_code: int, title: str, message: str
    ) -> Response: ...


class CsrfRefused(Exception):
    """A form arrived without a valid CSRF token: nothing is done with it."""


def _is_calendar(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"content-type" and value.startswith(b"text/calendar")
        for name, value in headers
    )


class SecurityMiddleware:
    """Adds security headers to every response and gives each browser a CSRF cookie.

    It also refuses, with a friendly page, a query string holding NUL and a form
    that is not UTF-8 (``_check_input``), before any endpoint reads them.
    """

    def __init__(
        self, app: ASGIApp, *, problem_page: ProblemPage, secure_cookies: bool = False
    ) -> None:
        self.app = app
        #: Renders a refusal as the site's own page (``public_site.pages.problem``).
        self.problem_page = problem_page
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = _cookie_value(scope)
        new_cookie = cookie is None
        scope.setdefault("state", {})["csrf_cookie"] = cookie or secrets.token_urlsafe(32)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in names)
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", REFERRER_POLICY))
                if b"cache-control" not in names:
                    headers.append(PRIVATE_BY_DEFAULT)
                # A calendar feed is read by calendar apps, which keep no cookie.
                if new_cookie and not _is_calendar(headers):
                    headers.append((b"set-cookie", self._set_cookie(scope)))
                message["headers"] = headers
            await send(message)

        refused, receive = await _check_input(scope, receive)
        if refused is not None:
            await self._refuse(refused, scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    async def _refuse(
        self, refused: InputRefused, scope: Scope, receive: Receive, send: Send
    ) -> None:
        # Rendering reads the site's name from the database: off the event loop.
        response = await run_in_threadpool(
            self.problem_page,
            Request(scope, receive),
            status_code=refused.status_code,
            title=refused.title,
            message=refused.message,
        )
        await response(scope, receive, send)

    def _set_cookie(self, scope: Scope) -> bytes:
        value = scope["state"]["csrf_cookie"]
        secure = "; Secure" if self.secure_cookies else ""
        return f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()


@dataclass(frozen=True)
class InputRefused:
    """Why a request was refused before any endpoint read it, as the page says it."""

    status_code: int
    title: str
    message: str


NUL_IN_ADDRESS = InputRefused(
    400,
    "This address cannot be read",
    "It holds a character no page or search can use (a NUL byte). "
    "Please check the link, or type your search again.",
)
FORM_NOT_TEXT = InputRefused(
    400,
    "Some of what you typed cannot be read",
    "The form arrived with bytes that are not text (not UTF-8), so nothing was sent. "
    "Please go back, type what you entered again and send the form.",
)
FORM_TOO_LARGE = InputRefused(
    413,
    "This form is too large",
    "Nothing was sent: the form is far larger than any form on this site. "
    "Please shorten what you typed and send it again.",
)


async def _check_input(scope: Scope, receive: Receive) -> tuple[InputRefused | None, Receive]:
    """Refuse input PostgreSQL cannot store before an endpoint meets it.

    Also returns the ``receive`` the app must use: a form body read here for its
    check is handed on unchanged.
    """
    if query_has_nul(scope.get("query_string", b"")):
        return NUL_IN_ADDRESS, receive
    content_type = form_content_type(Headers(scope=scope))
    if not content_type:
        return None, receive
    body = await read_body(receive, MAX_FORM_BODY)
    if body is None:
        return FORM_TOO_LARGE, receive
    # A NUL inside a field is refused by the field's own check, next to the field.
    if form_text(body, content_type) is None:
        return FORM_NOT_TEXT, receive
    return None, replaying(body, receive)


def _cookie_value(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            morsel = jar.get(CSRF_COOKIE)
            if morsel is not None and 20 <= len(morsel.value) <= 100:
                return morsel.value
    return None


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.config.secret_key, salt="public-csrf")


def csrf_token(request: Request) -> str:
    """The value every form carries in its hidden ``csrf_token`` field."""
    cookie = getattr(request.state, "csrf_cookie", None)
    return str(_serializer(request).dumps(cookie)) if cookie else ""


def check_csrf(request: Request, form: FormData) -> None:
    """Refuse a form whose token is missing, forged, stale or from another browser."""
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or _cookie_value(request.scope) is None:
        raise CsrfRefused()
    try:
        signed_value = _serializer(request).loads(sent, max_age=CSRF_MAX_AGE_SECONDS)
    except BadSignature as exc:
        raise CsrfRefused() from exc
    if not isinstance(signed_value, str) or not hmac.compare_digest(
        signed_value, request.state.csrf_cookie
    ):
        raise CsrfRefused()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_submission(request: Request) -> FormData:
    """The posted form, once its CSRF token is good and the sender is within the rate limit.

    Raises ``CsrfRefused`` (403) or ``RateLimited`` (429); the app turns both into
    friendly pages and nothing is written.
    """
    form = await request.form()
    if any(not isinstance(value, str) for _name, value in form.multi_items()):
        # No public form takes a file: an upload where text belongs is refused
        # here rather than reaching a validator that expects a string.
        await form.close()
        raise HTTPException(400, "This form does not accept files.")
    check_csrf(request, form)
    # A database round trip: in a worker thread, so the event loop keeps serving.
    allowed = await run_in_threadpool(
        allow_submission, request.app.state.db, client_address(request), request.app.state.limits
    )
    if not allowed:
        raise RateLimited()
    return form


def is_bot(form: FormData) -> bool:
    """A person never fills the hidden honeypot field; a form-filling robot does."""
    value = form.get(HONEYPOT_FIELD)
    return isinstance(value, str) and value.strip() != ""
