"""Staff accounts and system settings in the admin: superusers only.

Every write goes through domain.services (staff, settings), never SQLAdmin's
generic attribute copy, so passwords are hashed, settings are type-checked and
each change is audited.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqladmin import ModelView, action, expose
from sqladmin.secret import Secret
from sqlalchemy import Select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from wtforms import BooleanField, EmailField, Form, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from admin_site.export import (
    ExportColumn,
    export_filename,
    xlsx_response,
)
from admin_site.export_rows import write_list_export
from admin_site.staff_context import current_actor, database, is_superuser
from admin_site.views.refusals import refusals_on_the_form
from domain.db.database import Database
from domain.db.mapping import start_mappers
from domain.errors import DomainError, SettingError, ValidationError
from domain.model import Setting, StaffUser
from domain.services.settings import update_setting
from domain.services.staff import (
    MIN_PASSWORD_LENGTH,
    StaffDetails,
    create_staff_user,
    deactivate_staff_user,
    reset_password,
    update_staff_user,
)

# A ModelView inspects its model's mapping when the class is defined.
start_mappers()

CONFIRM_TEMPLATE = "rollbook/confirm.html"
SECRET_TEMPLATE = "rollbook/one_time_password.html"


class SuperuserOnly(ModelView):
    """Hidden from staff and refused (403) on every route, built-in or custom.

    The Excel export (SQLAdmin refuses it with 403 when ``is_accessible`` is
    false) writes exactly ``export_columns``, so nothing else ever leaves.
    """

    can_export = True
    export_types = ["xlsx"]
    #: (header, attribute) of each exported column.
    export_columns: ClassVar[list[ExportColumn]] = []
    # SQLAdmin's forms, with a refused value's sentence under its field.
    create_template = "rollbook/create.html"
    edit_template = "rollbook/edit.html"

    def is_accessible(self, request: Request) -> bool:
        return is_superuser(request)

    def is_visible(self, request: Request) -> bool:
        return is_superuser(request)

    async def get_model_objects(self, request: Request, limit: int | None = 0) -> list[Any]:
        # export_data reads the rows itself, with the list's search and sort.
        return []

    async def export_data(
        self, data: list[Any], export_type: str = "xlsx", request: Request | None = None
    ) -> StreamingResponse:
        if request is None:
            raise ValueError("the export needs the request to know the list's search and sort")
        stmt = self.sort_query(self.list_query(request), request)
        search = request.query_params.get("search")
        if search:
            stmt = self.search_query(stmt=stmt, term=search)
        path = await run_in_threadpool(self._write_export, database(request), stmt)
        return xlsx_response(path, export_filename(self.name_plural))

    def _write_export(self, db: Database, stmt: Select[Any]) -> str:
        return write_list_export(db, stmt, self.model, self.export_columns, self.name_plural)


class StaffCreateForm(Form):
    username = StringField("Username", validators=[DataRequired(), Length(max=150)])
    full_name = StringField("Full name", validators=[Length(max=255)])
    email = EmailField("Email", validators=[Optional(), Length(max=254)])
    is_superuser = BooleanField("Superuser (may manage staff and settings)")
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )


class StaffEditForm(Form):
    full_name = StringField("Full name", validators=[Length(max=255)])
    email = EmailField("Email", validators=[Optional(), Length(max=254)])
    is_active = BooleanField("Active (may sign in)")
    is_superuser = BooleanField("Superuser (may manage staff and settings)")


class StaffUserAdmin(SuperuserOnly, model=StaffUser):
    name = "Staff user"
    name_plural = "Staff users"
    icon = "fa-solid fa-user-shield"
    category = "System"
    column_list = ["username", "full_name", "email", "is_active", "is_superuser", "last_login_at"]
    column_details_list = [*column_list, "created_at", "updated_at"]
    column_searchable_list = ["username", "full_name", "email"]
    column_sortable_list = ["username", "full_name", "last_login_at"]
    column_default_sort = "username"
    column_labels = {"is_active": "Active", "is_superuser": "Superuser"}
    # The password hash never leaves the database.
    form_columns = ["full_name", "email", "is_active", "is_superuser"]
    can_delete = False  # deactivate instead: the audit log keeps who did what
    page_size = 25
    # The password hash never leaves the database: not listed here, so not exported.
    export_columns = [
        ("Username", "username"),
        ("Full name", "full_name"),
        ("Email", "email"),
        ("Active", "is_active"),
        ("Superuser", "is_superuser"),
        ("Must change password", "must_change_password"),
        ("Last sign-in", "last_login_at"),
        ("Created", "created_at"),
        ("Updated", "updated_at"),
    ]

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        return StaffCreateForm if rules == self.form_create_rules else StaffEditForm

    form_create_rules = ["username", "full_name", "email", "is_superuser", "password"]
    form_edit_rules = ["full_name", "email", "is_active", "is_superuser"]

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        with refusals_on_the_form(request, self.form_create_rules):
            return await run_in_threadpool(
                lambda: create_staff_user(
                    database(request),
                    username=data["username"] or "",
                    password=data["password"] or "",
                    email=data.get("email") or "",
                    full_name=data.get("full_name") or "",
                    is_superuser=bool(data.get("is_superuser")),
                    actor=current_actor(request),
                )
            )

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        details = StaffDetails(
            email=data.get("email") or "",
            full_name=data.get("full_name") or "",
            is_superuser=bool(data.get("is_superuser")),
            is_active=bool(data.get("is_active")),
        )
        with refusals_on_the_form(request, self.form_edit_rules):
            return await run_in_threadpool(
                lambda: update_staff_user(
                    database(request),
                    staff_user_id=_int_pk(pk),
                    details=details,
                    actor=current_actor(request),
                )
            )

    @action("reset-password", label="Reset password", add_in_list=False)
    async def reset_password_action(self, request: Request) -> Response:
        return _to_confirmation(request, "staff-user", "reset-password")

    @action("deactivate", label="Deactivate", add_in_list=False)
    async def deactivate_action(self, request: Request) -> Response:
        return _to_confirmation(request, "staff-user", "deactivate")

    @expose("/reset-password/{pk:id}", methods=["GET", "POST"])
    async def reset_password_page(self, request: Request) -> Response:
        user = await self._user(request)
        if request.method == "GET":
            return await self._confirm(
                request,
                title=f"Reset the password of {user.username}?",
                message="A new temporary password is made and shown to you once. "
                f"{user.username} is signed out everywhere and must use it to sign in.",
                button="Reset password",
            )
        temporary = await run_in_threadpool(
            lambda: reset_password(
                database(request), staff_user_id=user.id or 0, actor=current_actor(request)
            )
        )
        response = await self.templates.TemplateResponse(
            request,
            SECRET_TEMPLATE,
            {"user": user, "password": temporary, "model_view": self},
        )
        Secret.apply_no_store_headers(response)
        return response

    @expose("/deactivate/{pk:id}", methods=["GET", "POST"])
    async def deactivate_page(self, request: Request) -> Response:
        user = await self._user(request)
        if request.method == "GET":
            return await self._confirm(
                request,
                title=f"Deactivate {user.username}?",
                message=f"{user.username} is signed out everywhere and can no longer sign in. "
                "A superuser can make the account active again by editing it.",
                button="Deactivate",
            )
        try:
            await run_in_threadpool(
                lambda: deactivate_staff_user(
                    database(request), staff_user_id=user.id or 0, actor=current_actor(request)
                )
            )
        except DomainError as refused:
            return await self._confirm(
                request, title="Not deactivated", message=str(refused), button="", status=400
            )
        return RedirectResponse(
            request.url_for("admin:details", identity=self.identity, pk=user.id), status_code=302
        )

    async def _user(self, request: Request) -> StaffUser:
        user = await run_in_threadpool(_staff_user, database(request), request.path_params["pk"])
        if user is None:
            raise HTTPException(status_code=404)
        return user

    async def _confirm(
        self, request: Request, *, title: str, message: str, button: str, status: int = 200
    ) -> Response:
        context = {
            "title": title,
            "message": message,
            "button": button,
            "model_view": self,
            "cancel_url": request.url_for(
                "admin:details", identity=self.identity, pk=request.path_params["pk"]
            ),
        }
        return await self.templates.TemplateResponse(
            request, CONFIRM_TEMPLATE, context, status_code=status
        )


class SettingForm(Form):
    value = TextAreaField("Value", validators=[Length(max=2000)])


class SettingAdmin(SuperuserOnly, model=Setting):
    name = "Setting"
    name_plural = "Settings"
    icon = "fa-solid fa-sliders"
    category = "System"
    column_list = ["key", "value", "description", "updated_at"]
    column_details_list = column_list
    column_default_sort = "key"
    form_columns = ["value"]
    form = SettingForm
    edit_template = "rollbook/setting_edit.html"
    can_create = False  # the known settings exist already; unknown keys are refused
    can_delete = False
    export_columns = [
        ("Key", "key"),
        ("Value", "value"),
        ("Description", "description"),
        ("Updated", "updated_at"),
    ]

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        with refusals_on_the_form(request, ["value"]):
            try:
                return await run_in_threadpool(
                    lambda: update_setting(
                        database(request), pk, data.get("value") or "", actor=current_actor(request)
                    )
                )
            except SettingError as refused:
                # The domain names the setting; on this form its value is the one field.
                raise ValidationError(str(refused), field="value") from refused


def _staff_user(db: Database, pk: int) -> StaffUser | None:
    with db.read() as session:
        user = session.get(StaffUser, pk)
        if user is not None:
            session.expunge(user)  # keep its loaded values past the block's rollback
        return user


def _to_confirmation(request: Request, identity: str, page: str) -> Response:
    """SQLAdmin's action buttons are links (GET); they only lead to a confirmation form."""
    pks = [pk for pk in request.query_params.get("pks", "").split(",") if pk]
    if len(pks) != 1 or not pks[0].isdigit():
        raise HTTPException(status_code=400, detail="Choose exactly one staff user.")
    return RedirectResponse(
        request.url_for(f"admin:view-{identity}-{page.replace('-', '_')}_page", pk=int(pks[0])),
        status_code=302,
    )


def _int_pk(pk: str) -> int:
    if not pk.isdigit():
        raise HTTPException(status_code=404)
    return int(pk)
