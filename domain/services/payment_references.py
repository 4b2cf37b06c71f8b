"""A Venmo or Zelle payment confirms one registration only: its transaction id is never reused.

The database holds the same rule (``ux_registrations_statement_reference``); these
read it first so staff get a sentence, and statement matching can mark a payment
already confirmed before anyone ticks it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.db import tables as t
from domain.enums import PaymentMethod
from domain.errors import InvalidTransition
from domain.formatting import label

#: Methods whose reference is the payment service's transaction id: never used twice
#: (``ux_registrations_statement_reference``). A cash receipt or cheque number may repeat.
UNIQUE_REFERENCE_METHODS = (PaymentMethod.VENMO, PaymentMethod.ZELLE)


def references_in_use(
    session: Session, *, method: PaymentMethod | str, references: list[str]
) -> dict[str, int]:
    """Which of ``references`` already confirmed a payment by ``method``: reference -> registration.

    Only for the methods whose references are unique (Venmo, Zelle); empty otherwise.
    """
    wanted = sorted({r for r in references if r})
    if method not in UNIQUE_REFERENCE_METHODS or not wanted:
        return {}
    r = t.registrations.c
    rows = session.execute(
        select(r.payment_reference, r.id).where(
            r.payment_method == PaymentMethod(method).value, r.payment_reference.in_(wanted)
        )
    ).all()
    return {reference: registration_id for reference, registration_id in rows}


def refuse_used_reference(session: Session, method: PaymentMethod, reference: str) -> None:
    used = references_in_use(session, method=method, references=[reference])
    if reference in used:
        raise InvalidTransition(used_reference_message(method, reference, used[reference]))


def used_reference_message(
    method: PaymentMethod, reference: str, registration_id: int | None
) -> str:
    where = f" for registration #{registration_id}" if registration_id is not None else ""
    return (
        f"The {label(method)} payment {reference} is already confirmed{where}; "
        "the same payment cannot be confirmed twice."
    )
