"""Sign-in and sign-out for the admin, on top of SQLAdmin's authentication hooks.

SQLAdmin's stock backend keeps the user in a signed client-side cookie and signs
out with a GET; here the session lives in the database (admin_site/session.py),
sign-in is throttled in the database, and sign-out is a POST with a CSRF token.
"""

from __future__ import annotations

from typing import Any

from sqladmin import Admin
from sqladmin.authentication import AuthenticationBackend
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin_site.request_context import SESSION_COOKIE, current_staff
from admin_site.security import CookiePolicy
from admin_site.session import session_token
from domain.config import Config
from domain.db.database import Database
from domain.services.staff import LoginFailed, LoginLocked, authenticate
from domain.services.staff_sessions import end_session, start_session

LOGIN_TEMPLATE = "sqladmin/login.html"


class StaffAuthentication(AuthenticationBackend):
    """Lets SQLAdmin ask whether the request is signed in; the work is done by middleware."""

    def __init__(self) -> None:
        # No SessionMiddleware: nothing about who is signed in lives in a client cookie.
        self.middlewares = []

    async def authenticate(self, request: Request) -> bool:
        return current_staff(request) is not None

    async def get_user_id(self, request: Request) -> Any:
        staff = current_staff(request)
        return staff.staff_user_id if staff else None

    async def login(self, request: Request) -> bool:  # pragma: no cover - RollbookAdmin.login
        raise RuntimeError("sign-in is handled by RollbookAdmin.login")

    async def logout(self, request: Request) -> bool:  # pragma: no cover - RollbookAdmin.logout
        raise RuntimeError("sign-out is handled by RollbookAdmin.logout")


class RollbookAdmin(Admin):
    """SQLAdmin's Admin with database-backed sign-in and a POST-only sign-out."""

    def __init__(
        self,
        app: Starlette,
        *,
        config: Config,
        db: Database,
        cookies: CookiePolicy,
        base_url: str,
        title: str,
        templates_dir: str,
    ) -> None:
        self.config = config
        self.db = db
        self.cookies = cookies
        super().__init__(
            app,
            engine=db.engine,
            base_url=base_url,
            title=title,
            templates_dir=templates_dir,
            authentication_backend=StaffAuthentication(),
        )
        # Where every admin endpoint finds them (admin_site/request_context.py).
        self.admin.state.db = db
        self.admin.state.config = config
        routes = self.admin.router.routes
        for index, route in enumerate(routes):
            if isinstance(route, Route) and route.name == "logout":
                routes[index] = Route("/logout", self.logout, methods=["POST"], name="logout")

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            if current_staff(request) is not None:
                return RedirectResponse(request.url_for("admin:index"), status_code=302)
            return await self._login_page(request)
        form = await request.form()
        username = str(form.get("username", ""))
        password = str(form.get("password", ""))
        address = request.client.host if request.client else ""
        try:
            user = await run_in_threadpool(
                authenticate, self.db, username, password, address=address
            )
        except LoginLocked as locked:
            return await self._login_page(request, str(locked), username, status_code=429)
        except LoginFailed as failed:
            return await self._login_page(request, str(failed), username, status_code=400)
        assert user.id is not None
        token, _ = await run_in_threadpool(
            lambda: start_session(
                self.db,
                staff_user_id=user.id or 0,
                replacing_token=session_token(Headers(scope=request.scope)),
            )
        )
        response = RedirectResponse(request.url_for("admin:index"), status_code=302)
        response.headers.append(
            "set-cookie",
            # No Max-Age: the browser forgets it on close; the server ends it when idle.
            self.cookies.set_cookie_header(SESSION_COOKIE, token),
        )
        return response

    async def logout(self, request: Request) -> Response:
        token = session_token(Headers(scope=request.scope))
        if token:
            await run_in_threadpool(end_session, self.db, token)
        response = RedirectResponse(request.url_for("admin:login"), status_code=302)
        response.headers.append("set-cookie", self.cookies.clear_cookie_header(SESSION_COOKIE))
        return response

    async def _login_page(
        self, request: Request, error: str = "", username: str = "", *, status_code: int = 200
    ) -> Response:
        context = {"error": error, "username": username}
        return await self.templates.TemplateResponse(
            request, LOGIN_TEMPLATE, context, status_code=status_code
        )
