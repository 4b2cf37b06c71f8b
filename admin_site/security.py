"""Security headers and CSRF protection for the admin app (SQLAdmin has neither).

Both are plain ASGI middleware so that they see every response and every request,
SQLAdmin's own routes included.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_site.request_context import STATE_CSRF, STATE_STAFF
from site_kit.request_input import form_content_type, read_body, replaying

CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
PRESESSION_COOKIE = "rollbook_admin_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_PRESESSION_MAX_AGE = 12 * 3600
#: Largest form body read to find its token (admin forms are small; no uploads).
MAX_CHECKED_BODY = 10 * 1024 * 1024
#: The admin's forms that take a file, as paths inside the admin: a spreadsheet to import
#: (admin_site/pages/imports.py) and a payment statement to read
#: (admin_site/pages/payment_matching.py). Their token is checked like every other form's;
#: anywhere else a form carrying a file is refused whole.
UPLOAD_PATHS = frozenset({"/import/", "/payments/match/"})
#: Where the admin serves files: SQLAdmin's statics and Rollbook's own.
STATIC_MOUNTS = ("/statics/", "/rollbook-static/")


def is_static_path(path: str, prefix: str = "/admin") -> bool:
    """True only under the admin's static mounts (a prefix match: a path that
    merely contains "/statics/" elsewhere is a page and gets every check)."""
    return any(path.startswith(prefix + mount) for mount in STATIC_MOUNTS)


# SQLAdmin's bundled pages load their scripts, styles and fonts from its own
# package statics, so 'self' covers them. Tabler's CSS draws form controls with
# data: SVG images, hence data: for images only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ]
)


@dataclass(frozen=True)
class CookiePolicy:
    """Attributes shared by every admin cookie."""

    secure: bool
    path: str = "/admin"

    def set_cookie_header(self, name: str, value: str, *, max_age: int | None = None) -> str:
        parts = [f"{name}={value}", f"Path={self.path}", "HttpOnly", "SameSite=Strict"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)

    def clear_cookie_header(self, name: str) -> str:
        return self.set_cookie_header(name, '""', max_age=0)


class SecurityHeadersMiddleware:
    """Adds CSP, anti-framing, no-sniff, referrer and (in production) HSTS headers."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if self.hsts:
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                if not is_static_path(scope["path"]):
                    # Admin pages show personal data: keep them out of shared caches.
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CSRFMiddleware:
    """Refuses state-changing admin requests that do not carry the expected token.

    A signed-in request must carry its session's token; before sign-in (the login
    form) the token is a signed double-submit cookie. The token comes from the
    ``X-CSRF-Token`` header (SQLAdmin's JS delete, fetch) or a ``csrf_token`` form field.
    """

    def __init__(
        self, app: ASGIApp, *, secret_key: str, cookies: CookiePolicy, prefix: str = "/admin"
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.cookies = cookies
        self.signer = URLSafeTimedSerializer(secret_key, salt="rollbook-admin-login-csrf")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (
            path == self.prefix or path.startswith(self.prefix + "/")
        ):
            await self.app(scope, receive, send)
            return
        if is_static_path(path, self.prefix):
            # Files need no token, and must not each set a fresh pre-session cookie.
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        new_cookie = ""
        if state.get(STATE_STAFF) is None:
            token = self._presession_token(Headers(scope=scope))
            if token is None:
                token = secrets.token_urlsafe(32)
                new_cookie = self.cookies.set_cookie_header(
                    PRESESSION_COOKIE, self.signer.dumps(token), max_age=_PRESESSION_MAX_AGE
                )
            state[STATE_CSRF] = token
        expected: str = state[STATE_CSRF]
        if scope["method"] not in SAFE_METHODS:
            takes_file = path.removeprefix(self.prefix) in UPLOAD_PATHS
            supplied, receive = await _supplied_token(scope, receive, takes_file=takes_file)
            if not supplied or not hmac.compare_digest(supplied.encode(), expected.encode()):
                await _refusal(scope, receive, send)
                return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and new_cookie:
                MutableHeaders(scope=message).append("set-cookie", new_cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _presession_token(self, headers: Headers) -> str | None:
        raw = _cookie(headers, PRESESSION_COOKIE)
        if not raw:
            return None
        try:
            token = self.signer.loads(raw, max_age=_PRESESSION_MAX_AGE)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None


def _cookie(headers: Headers, name: str) -> str:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return ""


async def _supplied_token(
    scope: Scope, receive: Receive, *, takes_file: bool = False
) -> tuple[str, Receive]:
    """The token the request carries, and a receive that replays any body read for it."""
    headers = Headers(scope=scope)
    if headers.get(CSRF_HEADER):
        return headers[CSRF_HEADER], receive
    content_type = form_content_type(headers)
    if not content_type:
        return "", receive
    # Past MAX_CHECKED_BODY the body is refused, so that no request can make the
    # server hold an unbounded body in memory.
    body = await read_body(receive, MAX_CHECKED_BODY)
    if body is None:
        return "", receive
    replay = replaying(body, receive)
    if content_type == "application/x-www-form-urlencoded":
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(CSRF_FIELD, [""])
        return values[0], replay
    try:
        form = await Request(scope, replaying(body, receive)).form()
    except HTTPException:
        # Malformed multipart (oversized part headers, bad boundary): refused.
        return "", replay
    value = form.get(CSRF_FIELD)
    # Only the import form takes a file: elsewhere a form carrying an upload is
    # refused whole, before a field that expects text meets it.
    has_file = any(not isinstance(item, str) for _name, item in form.multi_items())
    await form.close()
    refused = has_file and not takes_file
    return (value if isinstance(value, str) and not refused else ""), replay


async def _refusal(scope: Scope, receive: Receive, send: Send) -> None:
    response = HTMLResponse(
        "<!DOCTYPE html><title>Request refused</title><h1>Request refused</h1>"
        "<p>This form has expired or did not come from this site. "
        "Go back, reload the page and try again.</p>",
        status_code=403,
    )
    await response(scope, receive, send)
