"""Actions on a registration: payment, refund, cancel / un-cancel, resend the confirmation."""

from __future__ import annotations

from typing import Any

from sqladmin import action
from starlette.requests import Request
from starlette.responses import Response

from admin_site.actions.certificates import registration_certificate_buttons
from admin_site.actions.framework import (
    ActionInput,
    ActionSpec,
    DetailAction,
    Field,
    action_button,
    open_action,
)
from domain.db.database import Database
from domain.enums import PaymentMethod
from domain.model import Registration
from domain.rules.registration_moves import DESTRUCTIVE, RegistrationMove, allowed_moves
from domain.services.notifications import resend_confirmation
from domain.services.payments import (
    cancel_registration,
    confirm_payment,
    refund_payment,
    uncancel_registration,
)

IDENTITY = "registration"


def _confirm(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    confirm_payment(
        db,
        registration_id=pk,
        method=data.values["method"],
        reference=data.values["reference"],
        actor=data.actor,
    )
    return f"Payment for registration #{pk} confirmed."


def _refund(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    refund_payment(db, registration_id=pk, reason=data.values["reason"], actor=data.actor)
    return f"Registration #{pk} marked as refunded."


def _cancel(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    cancel_registration(db, registration_id=pk, reason=data.values["reason"], actor=data.actor)
    return f"Registration #{pk} cancelled; its seat is free."


def _uncancel(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    uncancel_registration(db, registration_id=pk, actor=data.actor)
    return f"Registration #{pk} is active again."


def _resend(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    resend_confirmation(db, registration_id=pk, actor=data.actor)
    return f"The confirmation email for registration #{pk} is queued to be sent again."


_METHODS = tuple((m.value, m.value.capitalize()) for m in PaymentMethod)

REGISTRATION_ACTIONS = (
    ActionSpec(
        slug="confirm-payment",
        title="Confirm payment",
        identity=IDENTITY,
        model=Registration,
        run=_confirm,
        fields=(
            Field("method", "Payment method", kind="select", choices=_METHODS),
            Field(
                "reference",
                "Payment reference",
                help="The Venmo or Zelle transaction id, receipt or cheque number.",
            ),
        ),
        confirm="The money has arrived.",
    ),
    ActionSpec(
        slug="refund",
        title="Mark refunded",
        identity=IDENTITY,
        model=Registration,
        run=_refund,
        fields=(Field("reason", "Reason", kind="textarea", required=False),),
        confirm="The money has been paid back. The registration stops holding a seat.",
    ),
    ActionSpec(
        slug="cancel-registration",
        title="Cancel registration",
        identity=IDENTITY,
        model=Registration,
        run=_cancel,
        fields=(Field("reason", "Reason", kind="textarea"),),
        confirm="Cancel it: the seat goes to the next student on the waitlist.",
    ),
    ActionSpec(
        slug="uncancel-registration",
        title="Un-cancel registration",
        identity=IDENTITY,
        model=Registration,
        run=_uncancel,
        intro="The registration becomes active again if a seat is free.",
    ),
    ActionSpec(
        slug="resend-confirmation",
        title="Resend confirmation email",
        identity=IDENTITY,
        model=Registration,
        run=_resend,
        intro="The student gets the registration email again, with new links.",
    ),
)


#: A move's button label on a registration's page.
MOVE_LABELS: dict[RegistrationMove, str] = {
    RegistrationMove.CONFIRM_PAYMENT: "Confirm payment",
    RegistrationMove.REFUND: "Mark refunded",
    RegistrationMove.RESEND_CONFIRMATION: "Resend confirmation",
    RegistrationMove.UNCANCEL: "Un-cancel",
    RegistrationMove.CANCEL: "Cancel registration",
}


class RegistrationActions:
    """Mixed into the registration view: buttons on its detail page.

    SQLAdmin lists a view's ``@action`` buttons from the last defined to the
    first, so they are written here in the reverse of their order on the page.
    The list page's buttons act on the chosen rows (``admin_site.actions.bulk``).
    The detail page shows only the moves the registration's state allows
    (``detail_actions``, from ``domain.rules.registration_moves``), at its top;
    SQLAdmin's own list of every detail action is switched off (``add_in_detail``).
    """

    async def detail_actions(self, request: Request, model: Any) -> list[DetailAction]:
        """The buttons for the moves this registration's state allows, each opening its form;
        a certificate's when its attendance reaches the threshold."""
        moves = allowed_moves(model.payment_status, cancelled=model.cancelled_at is not None)
        buttons = [
            action_button(
                request, move.value, model.id, MOVE_LABELS[move], destructive=move in DESTRUCTIVE
            )
            for move in moves
        ]
        certificate = await registration_certificate_buttons(request, model.id)
        # After the main move (first) and before the destructive ones.
        return buttons[:1] + certificate + buttons[1:]

    @action("email-students", "Email students", add_in_detail=False)
    async def action_email_many(self, request: Request) -> Response:
        return open_action(request, "email-students")

    @action("resend-confirmations", "Resend confirmations", add_in_detail=False)
    async def action_resend_many(self, request: Request) -> Response:
        return open_action(request, "resend-confirmations")

    @action("cancel-registrations", "Cancel selected", add_in_detail=False)
    async def action_cancel_many(self, request: Request) -> Response:
        return open_action(request, "cancel-registrations")

    @action("confirm-payments", "Confirm payments", add_in_detail=False)
    async def action_confirm_many(self, request: Request) -> Response:
        return open_action(request, "confirm-payments")

    @action("resend-confirmation", "Resend confirmation", add_in_list=False, add_in_detail=False)
    async def action_resend(self, request: Request) -> Response:
        return open_action(request, "resend-confirmation")

    @action("uncancel-registration", "Un-cancel", add_in_list=False, add_in_detail=False)
    async def action_uncancel(self, request: Request) -> Response:
        return open_action(request, "uncancel-registration")

    @action("cancel-registration", "Cancel", add_in_list=False, add_in_detail=False)
    async def action_cancel(self, request: Request) -> Response:
        return open_action(request, "cancel-registration")

    @action("refund", "Mark refunded", add_in_list=False, add_in_detail=False)
    async def action_refund(self, request: Request) -> Response:
        return open_action(request, "refund")

    @action("confirm-payment", "Confirm payment", add_in_list=False, add_in_detail=False)
    async def action_confirm_payment(self, request: Request) -> Response:
        return open_action(request, "confirm-payment")
