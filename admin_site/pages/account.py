"""Every signed-in staff member can change their own password (e.g. after a reset)."""

from __future__ import annotations

from sqladmin import BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from admin_site.request_context import current_staff, database
from domain.errors import DomainError
from domain.services.staff import LoginFailed, change_own_password

TEMPLATE = "rollbook/password_change.html"


class PasswordView(BaseView):
    name = "My password"
    icon = "fa-solid fa-key"
    category = "System"

    @expose("/account/password", methods=["GET", "POST"], identity="account-password")
    async def change_password(self, request: Request) -> Response:
        staff = current_staff(request)
        if staff is None:
            raise HTTPException(status_code=403)
        if request.method == "GET":
            return await self._page(request)
        form = await request.form()
        new_password = str(form.get("new_password", ""))
        if new_password != str(form.get("repeat_password", "")):
            return await self._page(request, error="The two new passwords differ.", status=400)
        try:
            await run_in_threadpool(
                lambda: change_own_password(
                    database(request),
                    staff_user_id=staff.staff_user_id,
                    current_password=str(form.get("current_password", "")),
                    new_password=new_password,
                    address=request.client.host if request.client else "",
                    keep_session_id=staff.session_id,
                )
            )
        except LoginFailed:
            return await self._page(request, error="The current password is wrong.", status=400)
        except DomainError as refused:
            status = 429 if "Too many" in str(refused) else 400
            return await self._page(request, error=str(refused), status=status)
        return await self._page(request, done=True)

    async def _page(
        self, request: Request, *, error: str = "", done: bool = False, status: int = 200
    ) -> Response:
        staff = current_staff(request)
        # Every other admin page sends a user with a reset password here
        # (admin_site/session.py); say why.
        must_change = staff is not None and staff.must_change_password and not done
        context = {"error": error, "done": done, "must_change": must_change, "title": "My password"}
        return await self.templates.TemplateResponse(request, TEMPLATE, context, status_code=status)
