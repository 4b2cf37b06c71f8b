"""Server-side admin sessions: the cookie names a row in staff_sessions.

Unlike a signed client-side session, ending the row (logout, deactivation, idle
timeout) makes a copied cookie worthless at once.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_site.request_context import SESSION_COOKIE, STATE_CSRF, STATE_STAFF
from admin_site.security import CookiePolicy, is_static_path
from domain.db.database import Database
from domain.services.staff_sessions import resolve_session

#: The page where a temporary password is replaced (admin_site/pages/account.py).
PASSWORD_PAGE = "/account/password"
# What a user with a temporary password may still reach (statics are let
# through before any session lookup).
_OPEN_WITH_TEMPORARY_PASSWORD = (PASSWORD_PAGE, "/logout", "/login")


class StaffSessionMiddleware:
    def __init__(
        self, app: ASGIApp, *, db: Database, cookies: CookiePolicy, prefix: str = "/admin"
    ) -> None:
        self.app = app
        self.db = db
        self.cookies = cookies
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        in_admin = path == self.prefix or path.startswith(self.prefix + "/")
        if scope["type"] != "http" or not in_admin:
            await self.app(scope, receive, send)
            return
        if is_static_path(path, self.prefix):
            # Static files need no session lookup (and no database query).
            await self.app(scope, receive, send)
            return
        token = session_token(Headers(scope=scope))
        staff = await run_in_threadpool(resolve_session, self.db, token) if token else None
        state = scope.setdefault("state", {})
        state[STATE_STAFF] = staff
        if staff is not None:
            state[STATE_CSRF] = staff.csrf_token
        stale = bool(token) and staff is None
        if staff is not None and staff.must_change_password and not self._open_anyway(path):
            # A reset password is temporary: nothing else until it is replaced.
            page = RedirectResponse(self.prefix + PASSWORD_PAGE, status_code=303)
            await page(scope, receive, send)
            return

        async def send_clearing_stale_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and stale:
                headers = MutableHeaders(scope=message)
                if SESSION_COOKIE + "=" not in " ".join(headers.getlist("set-cookie")):
                    headers.append("set-cookie", self.cookies.clear_cookie_header(SESSION_COOKIE))
            await send(message)

        await self.app(scope, receive, send_clearing_stale_cookie)

    def _open_anyway(self, path: str) -> bool:
        return any(path == self.prefix + allowed for allowed in _OPEN_WITH_TEMPORARY_PASSWORD)


def session_token(headers: Headers) -> str:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == SESSION_COOKIE:
                return value
    return ""
