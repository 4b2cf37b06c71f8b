"""Every system setting on one form, grouped, for superusers.

The form is saved as a whole through ``domain.services.settings.update_settings``:
one refused value re-shows the form with its sentence by that field and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqladmin import Admin, BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from admin_site.request_context import (
    config,
    current_actor,
    current_staff,
    database,
    is_superuser,
)
from domain.db.database import Database
from domain.errors import SettingsRefused
from domain.rules.settings import (
    DESCRIPTIONS,
    GROUPS,
    INPUTS,
    KEYS,
    LABELS,
    Kind,
    SettingInput,
    choices_for,
    format_setting,
)
from domain.services.calendar_feeds import STAFF_FEED_PATH, renew_staff_feed, staff_feed_token
from domain.services.settings import load_settings, update_settings

TEMPLATE = "rollbook/settings.html"


@dataclass(frozen=True)
class SettingField:
    """One setting as the form shows it: its input, current text and any refusal."""

    key: str
    label: str
    description: str
    input: SettingInput
    value: str
    error: str

    @property
    def checked(self) -> bool:
        return self.value == "true"


@dataclass(frozen=True)
class FieldGroup:
    title: str
    fields: list[SettingField]


def _stored_values(db: Database) -> dict[str, str]:
    with db.read() as session:
        settings = load_settings(session)
    return {key: format_setting(getattr(settings, key)) for key in KEYS}


def submitted_values(form: FormData) -> dict[str, str]:
    """The text of every setting in a submitted form; an unticked box is "false".

    A field the form did not send at all (a page opened before a setting was
    added) keeps its stored value rather than being emptied.
    """
    values: dict[str, str] = {}
    for key in KEYS:
        raw = form.get(key)
        if INPUTS[key].kind is Kind.YES_NO:
            values[key] = "true" if raw else "false"
        elif isinstance(raw, str):
            values[key] = raw
    return values


def field_groups(values: dict[str, str], errors: dict[str, str]) -> list[FieldGroup]:
    return [
        FieldGroup(
            group.title,
            [
                SettingField(
                    key=key,
                    label=LABELS[key],
                    description=DESCRIPTIONS[key],
                    input=INPUTS[key],
                    value=values[key],
                    error=errors.get(key, ""),
                )
                for key in group.keys
            ],
        )
        for group in GROUPS
    ]


def saved_labels(request: Request) -> list[str] | None:
    """The labels of the settings a save just changed, in the form's order (None: no save)."""
    saved = request.query_params.get("saved")
    if saved is None:
        return None
    changed = set(saved.split(","))
    return [LABELS[key] for group in GROUPS for key in group.keys if key in changed]


class SettingsView(BaseView):
    name = "Settings"
    icon = "fa-solid fa-sliders"
    category = "System"
    identity = "settings"

    def is_accessible(self, request: Request) -> bool:
        return is_superuser(request)

    def is_visible(self, request: Request) -> bool:
        return is_superuser(request)

    @expose("/settings/", methods=["GET", "POST"], identity="settings")
    async def settings_page(self, request: Request) -> Response:
        db = database(request)
        if request.method == "GET":
            values = await run_in_threadpool(_stored_values, db)
            return await self._page(request, values, {}, saved=saved_labels(request))
        values = submitted_values(await request.form())
        try:
            changed = await run_in_threadpool(
                lambda: update_settings(db, values, actor=current_actor(request))
            )
        except SettingsRefused as refused:
            # A field the form did not send shows its stored value, as it keeps it.
            stored = await run_in_threadpool(_stored_values, db)
            return await self._page(request, stored | values, refused.errors, status=400)
        url = request.url_for("admin:view-settings").include_query_params(
            saved=",".join(changed) or "nothing"
        )
        return RedirectResponse(url, status_code=303)

    # SQLAdmin takes the view's identity (its menu link) from the exposed methods in
    # name order, the last one winning: this name sorts before ``settings_page``.
    @expose("/settings/calendar-feed", methods=["POST"], identity="settings-calendar-feed")
    async def renew_calendar_feed(self, request: Request) -> Response:
        """Stop the staff calendar link (if any) and make a new one."""
        db, secret = database(request), config(request).secret_key
        actor = current_actor(request)
        await run_in_threadpool(lambda: renew_staff_feed(db, actor=actor, secret_key=secret))
        url = request.url_for("admin:view-settings").include_query_params(feed="new")
        return RedirectResponse(f"{url}#staff-calendar", status_code=303)

    async def _page(
        self,
        request: Request,
        values: dict[str, str],
        errors: dict[str, str],
        *,
        saved: list[str] | None = None,
        status: int = 200,
    ) -> Response:
        context: dict[str, Any] = {
            "title": "Settings",
            "groups": field_groups(values, errors),
            "errors": errors,
            "saved": saved,
            "choices": {key: choices_for(key) for key in KEYS},
            "kinds": Kind,
            "staff_feed_url": await run_in_threadpool(_staff_feed_url, request),
            "feed_renewed": request.query_params.get("feed") == "new",
        }
        return await self.templates.TemplateResponse(request, TEMPLATE, context, status_code=status)


def _staff_feed_url(request: Request) -> str:
    """The staff calendar feed's address, or "" before a superuser makes one."""
    db = database(request)
    token = staff_feed_token(db, secret_key=config(request).secret_key)
    return "" if token is None else db.public_base_url + STAFF_FEED_PATH.format(token=token)


async def _to_the_one_page(request: Request) -> Response:
    """The old list, details and edit pages of single settings now open the one page."""
    if current_staff(request) is not None and not is_superuser(request):
        raise HTTPException(status_code=403)
    key = request.path_params.get("key")
    anchor = f"#setting-{key}" if key in KEYS else ""
    return RedirectResponse(f"{request.url_for('admin:view-settings')}{anchor}", status_code=303)


def register_settings(admin: Admin) -> None:
    """Add the settings page to ``admin`` (called from ``admin_site.pages``).

    GET of the settings list and of a setting's details and edit form (SQLAdmin's routes of
    ``SettingAdmin``, kept for the Excel export) redirect here: these routes go in
    front of SQLAdmin's, as the first matching route wins.
    """
    admin.add_base_view(SettingsView)
    routes: list[BaseRoute] = admin.admin.router.routes
    routes[0:0] = [
        Route("/setting/list", _to_the_one_page, methods=["GET"]),
        Route("/setting/edit/{key}", _to_the_one_page, methods=["GET"]),
        Route("/setting/details/{key}", _to_the_one_page, methods=["GET"]),
    ]
