"""Staff accounts and system settings in the admin: superusers only.

Every write goes through domain.services (staff, settings), never SQLAdmin's
generic attribute copy, so passwords are hashed, settings are type-checked and
each change is audited. Resetting a password and deactivating an account are
actions (admin_site/actions/staff.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import StreamingResponse
from wtforms import BooleanField, EmailField, Form, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin_site.actions.staff import StaffUserActions
from admin_site.export.rows import list_filename, write_list_export
from admin_site.export.workbook import xlsx_response
from admin_site.request_context import current_actor, database, is_superuser
from admin_site.views.formats import HumanValues
from admin_site.views.refusals import refusals_on_the_form
from domain.db.database import Database
from domain.errors import SettingError, ValidationError
from domain.formatting import label
from domain.model import Setting, StaffUser
from domain.services.settings import update_setting
from domain.services.staff import (
    MIN_PASSWORD_LENGTH,
    StaffDetails,
    create_staff_user,
    update_staff_user,
)


class SuperuserOnly(HumanValues):
    """Hidden from staff and refused (403) on every route, built-in or custom.

    The Excel export (SQLAdmin refuses it with 403 when ``is_accessible`` is
    false) writes exactly ``export_columns``, so nothing else ever leaves.
    """

    can_export = True
    export_types = ["xlsx"]
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
        db = database(request)
        path = await run_in_threadpool(self._write_export, db, stmt)
        return xlsx_response(path, await run_in_threadpool(list_filename, db, self.name_plural))

    def _write_export(self, db: Database, stmt: Select[Any]) -> str:
        columns, words = self.export_table()
        return write_list_export(db, stmt, self.model, columns, self.name_plural, words=words)


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


class StaffUserAdmin(StaffUserActions, SuperuserOnly, model=StaffUser):
    name = "Staff user"
    name_plural = "Staff users"
    icon = "fa-solid fa-user-shield"
    category = "System"
    column_list = ["username", "full_name", "email", "is_active", "is_superuser", "last_login_at"]
    column_details_list = [*column_list, "created_at", "updated_at"]
    column_searchable_list = ["username", "full_name", "email"]
    column_sortable_list = ["username", "full_name", "last_login_at"]
    column_default_sort = "username"
    column_labels = {
        "is_active": "Active",
        "is_superuser": "Superuser",
        "last_login_at": "Last sign-in",
        "created_at": "Added",
        "updated_at": "Changed",
    }
    # The password hash never leaves the database.
    form_columns = ["full_name", "email", "is_active", "is_superuser"]
    can_delete = False  # deactivate instead: the audit log keeps who did what
    page_size = 25
    # The password hash never leaves the database: not listed here, so not exported.
    export_columns = [
        "username",
        "full_name",
        "email",
        "is_active",
        "is_superuser",
        "must_change_password",
        "last_login_at",
        "created_at",
        "updated_at",
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


class SettingForm(Form):
    value = TextAreaField("Value", validators=[Length(max=2000)])


class SettingAdmin(SuperuserOnly, model=Setting):
    name = "Setting"
    name_plural = "Settings"
    icon = "fa-solid fa-sliders"
    category = "System"
    column_list = ["key", "value", "description", "updated_at"]
    column_details_list = column_list
    column_labels = {"key": "Setting", "updated_at": "Changed"}
    # The setting's name in words, not its key ("payment_hold_hours" -> "Payment hold hours").
    column_formatters = {"key": lambda setting, _: label(setting.key)}
    column_formatters_detail = column_formatters
    column_default_sort = "key"
    form_columns = ["value"]
    form = SettingForm
    edit_template = "rollbook/setting_edit.html"
    can_create = False  # the known settings exist already; unknown keys are refused
    can_delete = False
    export_columns = [
        "key",
        "value",
        "description",
        "updated_at",
    ]

    def export_words(self, name: str) -> Callable[[Any], Any] | None:
        # The setting's name in words, as the list shows it.
        return label if name == "key" else super().export_words(name)

    def is_visible(self, request: Request) -> bool:
        # Staff reach settings on the one-page form (admin_site/pages/settings.py);
        # this list stays for its Excel export and old links.
        return False

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


def _int_pk(pk: str) -> int:
    if not pk.isdigit():
        raise HTTPException(status_code=404)
    return int(pk)
