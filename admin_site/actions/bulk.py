"""Actions on the registrations chosen on the list: confirm payments, cancel, resend.

Each runs one batch service (``domain.services.bulk``): all the chosen
registrations change, or none does and the form names each refused one and why.
"""

from __future__ import annotations

from admin_site.actions.framework import ActionInput, ActionSpec, Field
from domain.db.database import Database
from domain.enums import PaymentMethod
from domain.model import Registration
from domain.services.bulk import (
    Payment,
    cancel_registrations,
    confirm_payments,
    resend_confirmations,
)

IDENTITY = "registration"
_METHODS = tuple((m.value, m.value.capitalize()) for m in PaymentMethod)


def _count(n: int) -> str:
    return f"{n} registration{'' if n == 1 else 's'}"


def _payment_fields(db: Database, pks: list[int]) -> tuple[Field, ...]:
    """One row per chosen registration: its name, then its method and reference."""
    fields: list[Field] = []
    with db.read() as session:
        for pk in pks:
            registration = session.get(Registration, pk)
            name = registration_label(registration) if registration else f"Registration #{pk}"
            fields.append(
                Field(
                    f"method-{pk}",
                    "Payment method",
                    kind="select",
                    choices=_METHODS,
                    row=name,
                    half=True,
                )
            )
            fields.append(Field(f"reference-{pk}", "Payment reference", half=True))
    return tuple(fields)


def registration_label(registration: Registration) -> str:
    student = registration.student.full_name if registration.student else "A student"
    course = registration.course.title if registration.course else ""
    return f"{student} — {course}" if course else student


def _confirm(db: Database, data: ActionInput) -> str:
    payments = [
        Payment(pk, data.values[f"method-{pk}"], data.values[f"reference-{pk}"]) for pk in data.pks
    ]
    n = confirm_payments(db, payments=payments, actor=data.actor)
    return f"Payment confirmed for {_count(n)}."


def _cancel(db: Database, data: ActionInput) -> str:
    n = cancel_registrations(
        db, registration_ids=data.pks, reason=data.values["reason"], actor=data.actor
    )
    return f"{_count(n)} cancelled; their seats went to the waitlist.".capitalize()


def _resend(db: Database, data: ActionInput) -> str:
    n = resend_confirmations(db, registration_ids=data.pks, actor=data.actor)
    return f"The confirmation email is queued again for {_count(n)}."


BULK_ACTIONS = (
    ActionSpec(
        slug="confirm-payments",
        title="Confirm payments",
        identity=IDENTITY,
        model=Registration,
        run=_confirm,
        many=True,
        fields_for=_payment_fields,
        label=registration_label,
        intro=(
            "Give each registration its own method and reference. If any one cannot be "
            "confirmed, none is, and the page says which and why."
        ),
        confirm="The money for each of these registrations has arrived.",
    ),
    ActionSpec(
        slug="cancel-registrations",
        title="Cancel registrations",
        identity=IDENTITY,
        model=Registration,
        run=_cancel,
        many=True,
        label=registration_label,
        fields=(Field("reason", "Reason", kind="textarea", help="Kept with each registration."),),
        intro="If any one cannot be cancelled, none is, and the page says which and why.",
        confirm="Cancel them all: each seat goes to the next student on the waitlist.",
    ),
    ActionSpec(
        slug="resend-confirmations",
        title="Resend confirmation emails",
        identity=IDENTITY,
        model=Registration,
        run=_resend,
        many=True,
        label=registration_label,
        intro=(
            "Each student gets the registration email again, with new links. If any one "
            "cannot be sent, none is, and the page says which and why."
        ),
    ),
)
