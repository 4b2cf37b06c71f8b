"""Actions on a staff account (superusers only): reset its password, deactivate it."""

from __future__ import annotations

from typing import Any

from sqladmin import ModelView, action, expose
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from admin_site.actions.framework import (
    ActionInput,
    ActionSpec,
    DetailAction,
    OneTimeSecret,
    open_first,
)
from admin_site.actions.pages import answer_action
from admin_site.request_context import current_actor, database
from domain.db.database import Database
from domain.model import StaffUser
from domain.rules.staff_moves import DESTRUCTIVE, StaffMove, allowed_moves
from domain.services.move_states import staff_refusal, staff_state
from domain.services.staff import deactivate_staff_user, reset_password

IDENTITY = "staff-user"


def _username(user: StaffUser) -> str:
    return user.username


def _reset(db: Database, data: ActionInput) -> OneTimeSecret:
    (pk,) = data.pks
    temporary = reset_password(db, staff_user_id=pk, actor=data.actor)
    note = "Give this temporary password to its owner. It is shown only this once."
    return OneTimeSecret(value=temporary, note=note)


def _deactivate(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    user = deactivate_staff_user(db, staff_user_id=pk, actor=data.actor)
    return f"{user.username} is deactivated."


RESET_PASSWORD = ActionSpec(
    slug="reset-password",
    title="Reset password",
    identity=IDENTITY,
    model=StaffUser,
    run=_reset,
    label=_username,
    question="Reset the password of {target}?",
    intro="A new temporary password is made and shown to you once. The staff member is "
    "signed out everywhere and must use it to sign in.",
    superusers_only=True,
    refusal=lambda db, pk: staff_refusal(db, StaffMove.RESET_PASSWORD, pk),
)
DEACTIVATE = ActionSpec(
    slug="deactivate",
    title="Deactivate",
    identity=IDENTITY,
    model=StaffUser,
    run=_deactivate,
    label=_username,
    question="Deactivate {target}?",
    intro="The staff member is signed out everywhere and can no longer sign in. "
    "A superuser can make the account active again by editing it.",
    superusers_only=True,
    back_to_row=True,
    refusal=lambda db, pk: staff_refusal(db, StaffMove.DEACTIVATE, pk),
)
STAFF_ACTIONS = (RESET_PASSWORD, DEACTIVATE)


_LABELS = {StaffMove.RESET_PASSWORD: "Reset password", StaffMove.DEACTIVATE: "Deactivate"}
_PAGES = {
    StaffMove.RESET_PASSWORD: "admin:view-staff-user-reset_password_page",
    StaffMove.DEACTIVATE: "admin:view-staff-user-deactivate_page",
}


class StaffUserActions(ModelView):
    """Mixed into the staff user view: buttons, and the action pages at the account's address.

    ``/admin/staff-user/reset-password/{pk}`` and ``/admin/staff-user/deactivate/{pk}``
    are served like every other action (``answer_action``); SQLAdmin refuses them,
    as every route of the view, to staff who are not superusers.
    """

    async def detail_actions(self, request: Request, model: Any) -> list[DetailAction]:
        """Reset password and Deactivate (in red), while the account is active and not one's own."""
        signed_in = current_actor(request).staff_user_id
        state = await run_in_threadpool(
            staff_state, database(request), model.id, signed_in_id=signed_in
        )
        return [
            DetailAction(
                _LABELS[move],
                str(request.url_for(_PAGES[move], pk=model.id)),
                move in DESTRUCTIVE,
            )
            for move in allowed_moves(state)
        ]

    @action("reset-password", label="Reset password", add_in_list=False, add_in_detail=False)
    async def reset_password_action(self, request: Request) -> Response:
        route = "admin:view-staff-user-reset_password_page"
        return open_first(request, identity=IDENTITY, route=route, param="pk")

    @action("deactivate", label="Deactivate", add_in_list=False, add_in_detail=False)
    async def deactivate_action(self, request: Request) -> Response:
        route = "admin:view-staff-user-deactivate_page"
        return open_first(request, identity=IDENTITY, route=route, param="pk")

    @expose("/reset-password/{pk:id}", methods=["GET", "POST"])
    async def reset_password_page(self, request: Request) -> Response:
        return await answer_action(self, request, RESET_PASSWORD, row=request.path_params["pk"])

    @expose("/deactivate/{pk:id}", methods=["GET", "POST"])
    async def deactivate_page(self, request: Request) -> Response:
        return await answer_action(self, request, DEACTIVATE, row=request.path_params["pk"])
