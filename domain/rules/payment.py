"""Payment states, the moves allowed between them, and how to pay (Venmo, Zelle)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urlencode

from domain.enums import PaymentStatus
from domain.errors import InvalidTransition
from domain.rules.settings import Settings

#: The payment moves the studio makes; cancelling is recorded apart (cancelled_at).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.PENDING: frozenset({PaymentStatus.COMPLETED, PaymentStatus.EXPIRED}),
    PaymentStatus.COMPLETED: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.NOT_REQUIRED: frozenset(),
    PaymentStatus.EXPIRED: frozenset(),
    PaymentStatus.REFUNDED: frozenset(),
}

_REFUSALS: dict[tuple[str, str], str] = {
    (PaymentStatus.COMPLETED, PaymentStatus.COMPLETED): "This payment is already confirmed.",
    (PaymentStatus.NOT_REQUIRED, PaymentStatus.COMPLETED): "This registration is free; "
    "there is no payment to confirm.",
    (PaymentStatus.EXPIRED, PaymentStatus.COMPLETED): "The payment hold has expired and the "
    "seat was released; register again instead.",
    (PaymentStatus.REFUNDED, PaymentStatus.COMPLETED): "This payment was refunded.",
    (PaymentStatus.PENDING, PaymentStatus.REFUNDED): "Nothing was paid yet, so there is "
    "nothing to refund.",
    (PaymentStatus.REFUNDED, PaymentStatus.REFUNDED): "This payment is already refunded.",
    (PaymentStatus.NOT_REQUIRED, PaymentStatus.REFUNDED): "This registration is free; "
    "there is nothing to refund.",
    (PaymentStatus.EXPIRED, PaymentStatus.REFUNDED): "Nothing was paid, so there is "
    "nothing to refund.",
}


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def check_transition(current: str, target: str) -> None:
    """Raise ``InvalidTransition`` with a reason a person understands."""
    if can_move(current, target):
        return
    message = _REFUSALS.get((current, target), f"A payment cannot go from {current} to {target}.")
    raise InvalidTransition(message)


def reference_note(
    *, organisation: str, registration_id: int, course_title: str, course_dates: str
) -> str:
    """The note a payer adds so staff can match the payment to the registration.

    "Rollbook #12 Contemporary Technique 3 Nov - 24 Dec 2026": "#<id>" right after the
    organisation's name is what a payment is matched on; ``course_dates`` is
    ``domain.formatting.course_dates``, the site's one way of writing a course's days.
    """
    note = f"{organisation} #{registration_id} {course_title} {course_dates}"
    # Notes travel in URLs and payment apps: one line, bounded length.
    return " ".join(note.split())[:280]


def note_pieces(note: str, course_dates: str) -> tuple[str, ...]:
    """``note`` cut where a line may break: between words, but never inside a date.

    "3 Nov - 24 Dec 2026" (an en dash) gives "3 Nov -" and "24 Dec 2026"; joined with
    spaces, the pieces are the note again.
    """
    dates = " ".join(course_dates.split())
    if not dates or not note.endswith(dates):
        return tuple(note.split(" "))
    head = note[: -len(dates)].split(" ")[:-1]
    first, dash, last = dates.partition(" \u2013 ")
    return (*head, f"{first}{dash.rstrip()}", last) if dash else (*head, dates)


@dataclass(frozen=True)
class PaymentInstructions:
    amount: Decimal
    note: str
    #: The note cut where a line may break (``note_pieces``).
    pieces: tuple[str, ...]
    #: None when no Venmo handle is set.
    venmo_app_url: str | None
    venmo_web_url: str | None
    #: Empty when Zelle is not set up.
    zelle_recipient_name: str
    zelle_phone: str

    @property
    def has_venmo(self) -> bool:
        return self.venmo_app_url is not None

    @property
    def has_zelle(self) -> bool:
        return bool(self.zelle_phone)


def payment_instructions(
    *,
    registration_id: int,
    course_title: str,
    course_dates: str,
    amount: Decimal,
    settings: Settings,
) -> PaymentInstructions | None:
    """How to pay ``amount``; None when nothing is due."""
    if amount <= 0:
        return None
    note = reference_note(
        organisation=settings.organisation_name or "Rollbook",
        registration_id=registration_id,
        course_title=course_title,
        course_dates=course_dates,
    )
    amount_text = f"{amount:.2f}"
    app_url: str | None = None
    web_url: str | None = None
    handle = settings.venmo_handle.lstrip("@")
    if handle:
        query = urlencode(
            {"txn": "pay", "recipients": handle, "amount": amount_text, "note": note},
            quote_via=quote,
        )
        app_url = f"venmo://paycharge?{query}"
        web_query = urlencode({"txn": "pay", "amount": amount_text, "note": note}, quote_via=quote)
        web_url = f"https://venmo.com/{quote(handle, safe='')}?{web_query}"
    return PaymentInstructions(
        amount=amount,
        note=note,
        pieces=note_pieces(note, course_dates),
        venmo_app_url=app_url,
        venmo_web_url=web_url,
        zelle_recipient_name=settings.zelle_recipient_name,
        zelle_phone=settings.zelle_phone,
    )
