"""Propose a registration for each incoming payment of a statement, and confirm the chosen.

A payment whose note carries the registration's reference ("Rollbook #42 …",
``domain/rules/payment.py::reference_note``) for the amount due is an exact
match. A payment without it, whose amount and sender (name or email) fit one
pending registration, is proposed for staff to tick. The rest are unmatched,
with the reason. Each confirmation goes through ``confirm_payment`` with the
statement's transaction id as the reference: the reference is unique per method,
so the same statement confirmed twice, even at once, pays each registration once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentMethod, PaymentStatus
from domain.errors import DomainError
from domain.formatting import money
from domain.payments_import.statements import IncomingPayment, Statement
from domain.services.payment_references import references_in_use
from domain.services.payments import confirm_payment
from domain.services.settings import load_settings


class MatchKind(StrEnum):
    EXACT = "exact"
    NEEDS_A_CLICK = "needs_a_click"
    UNMATCHED = "unmatched"
    ALREADY_CONFIRMED = "already_confirmed"


@dataclass(frozen=True)
class Candidate:
    """A registration a payment may pay, as staff need to see it."""

    registration_id: int
    student: str
    course: str
    amount_due: Decimal


@dataclass(frozen=True)
class Proposal:
    payment: IncomingPayment
    kind: MatchKind
    #: Why it was matched, or why not: shown beside the payment.
    reason: str
    candidate: Candidate | None = None

    @property
    def preselected(self) -> bool:
        return self.kind is MatchKind.EXACT


@dataclass(frozen=True)
class Confirmation:
    """What confirming one chosen payment did: confirmed, or refused and why."""

    registration_id: int
    reference: str
    refusal: str | None
    #: "Ana Lopez — Salsa Series": whom the payment was for, as staff know them.
    paid_for: str = ""


def referenced_id(note: str, organisation: str) -> int | None:
    """The registration id a payment note names ("Rollbook #42 Salsa …"), if any."""
    pattern = rf"{re.escape(' '.join(organisation.split()))}\s*#\s*(\d{{1,9}})\b"
    found = re.search(pattern, " ".join(note.split()), re.IGNORECASE)
    return int(found.group(1)) if found else None


def _words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return tuple(re.sub(r"[^a-z0-9@.\s]", " ", plain.casefold()).split())


def sender_is(sender: str, *, first_name: str, last_name: str, email: str | None) -> bool:
    """Whether a statement's sender is this student: the same name or the same email.

    Case, accents and punctuation aside ("JOSE GARCIA" is José García).
    """
    said = _words(sender)
    if not said:
        return False
    if email and said == (email.casefold(),):
        return True
    return said == _words(f"{first_name} {last_name}")


def propose_matches(db: Database, statement: Statement) -> list[Proposal]:
    """A proposal for every incoming payment of ``statement``, in the statement's order."""
    with db.read() as session:
        settings = load_settings(session)
        organisation = settings.organisation_name or "Rollbook"
        references = {
            p.transaction_id: referenced_id(p.note, organisation) for p in statement.payments
        }
        used = references_in_use(session, method=statement.method, references=list(references))
        named = _registrations(session, ids={i for i in references.values() if i is not None})
        pending = _pending_by_amount(session, {p.amount for p in statement.payments})
    return [
        _proposal(
            payment, references[payment.transaction_id], used, named, pending, settings.currency
        )
        for payment in statement.payments
    ]


def confirm_matches(
    db: Database,
    *,
    method: PaymentMethod,
    chosen: Iterable[tuple[int, str]],
    actor: Actor,
) -> list[Confirmation]:
    """Confirm each chosen (registration id, transaction id), each in its own transaction.

    One refused (already paid, reference already used) does not stop the others.
    """
    outcomes: list[Confirmation] = []
    for registration_id, reference in chosen:
        try:
            confirm_payment(
                db,
                registration_id=registration_id,
                method=method,
                reference=reference,
                actor=actor,
            )
        except DomainError as refused:
            outcomes.append(Confirmation(registration_id, reference, str(refused)))
        else:
            outcomes.append(Confirmation(registration_id, reference, None))
    with db.read() as session:
        rows = _registrations(session, ids={o.registration_id for o in outcomes})
    return [
        replace(o, paid_for=_paid_for(rows[o.registration_id].candidate))
        if o.registration_id in rows
        else o
        for o in outcomes
    ]


def _paid_for(candidate: Candidate) -> str:
    return f"{candidate.student} — {candidate.course}"


@dataclass(frozen=True)
class _Row:
    candidate: Candidate
    status: str
    cancelled: bool
    first_name: str
    last_name: str
    email: str | None


def _rows_query() -> object:
    r, s, c = t.registrations.c, t.students.c, t.courses.c
    return (
        select(
            r.id,
            r.amount_due,
            r.payment_status,
            r.cancelled_at,
            s.first_name,
            s.last_name,
            s.email,
            c.title,
        )
        .join(t.students, s.id == r.student_id)
        .join(t.courses, c.id == r.course_id)
    )


def _read_rows(session: Session, query: object) -> list[_Row]:
    rows = session.execute(query).all()  # type: ignore[call-overload]
    return [
        _Row(
            candidate=Candidate(
                registration_id=row.id,
                student=f"{row.first_name} {row.last_name}".strip(),
                course=row.title,
                amount_due=row.amount_due,
            ),
            status=row.payment_status,
            cancelled=row.cancelled_at is not None,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
        )
        for row in rows
    ]


def _registrations(session: Session, *, ids: set[int]) -> dict[int, _Row]:
    if not ids:
        return {}
    query = _rows_query().where(t.registrations.c.id.in_(sorted(ids)))  # type: ignore[attr-defined]
    return {row.candidate.registration_id: row for row in _read_rows(session, query)}


def _pending_by_amount(session: Session, amounts: set[Decimal]) -> dict[Decimal, list[_Row]]:
    if not amounts:
        return {}
    r = t.registrations.c
    query = _rows_query().where(  # type: ignore[attr-defined]
        r.amount_due.in_(sorted(amounts)),
        r.payment_status == PaymentStatus.PENDING.value,
        r.cancelled_at.is_(None),
    )
    by_amount: dict[Decimal, list[_Row]] = {}
    for row in _read_rows(session, query.order_by(r.id)):
        by_amount.setdefault(row.candidate.amount_due, []).append(row)
    return by_amount


def _proposal(
    payment: IncomingPayment,
    referenced: int | None,
    used: dict[str, int],
    named: dict[int, _Row],
    pending: dict[Decimal, list[_Row]],
    currency: str,
) -> Proposal:
    if payment.transaction_id in used:
        return Proposal(
            payment,
            MatchKind.ALREADY_CONFIRMED,
            f"Already confirmed: registration #{used[payment.transaction_id]}.",
        )
    if referenced is not None:
        return _by_reference(payment, referenced, named.get(referenced), currency)
    fits = [
        row
        for row in pending.get(payment.amount, [])
        if sender_is(
            payment.sender, first_name=row.first_name, last_name=row.last_name, email=row.email
        )
    ]
    if len(fits) == 1:
        return Proposal(
            payment,
            MatchKind.NEEDS_A_CLICK,
            "No reference in the note; the amount and the sender's name match.",
            fits[0].candidate,
        )
    if fits:
        return Proposal(
            payment,
            MatchKind.UNMATCHED,
            f"{len(fits)} unpaid registrations of {fits[0].candidate.student} are for this "
            "amount; confirm the right one on its page.",
        )
    return Proposal(
        payment, MatchKind.UNMATCHED, "No unpaid registration for this amount from this sender."
    )


def _by_reference(
    payment: IncomingPayment, referenced: int, row: _Row | None, currency: str
) -> Proposal:
    if row is None:
        return Proposal(
            payment,
            MatchKind.UNMATCHED,
            f"The note names registration #{referenced}, which does not exist.",
        )
    if row.cancelled or row.status != PaymentStatus.PENDING:
        state = "cancelled" if row.cancelled else f"no longer awaiting payment ({row.status})"
        return Proposal(
            payment,
            MatchKind.UNMATCHED,
            f"The note names registration #{referenced}, which is {state}.",
            row.candidate,
        )
    if payment.amount != row.candidate.amount_due:
        return Proposal(
            payment,
            MatchKind.NEEDS_A_CLICK,
            f"The note names this registration, but the amount differs from the "
            f"{money(row.candidate.amount_due, currency)} due.",
            row.candidate,
        )
    return Proposal(payment, MatchKind.EXACT, "The note names this registration.", row.candidate)
