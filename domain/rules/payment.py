"""Payment states, the moves allowed between them, and how to pay (Venmo, Zelle)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

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


def format_course_dates(starts_at: datetime, ends_at: datetime | None, *, timezone: str) -> str:
    """'2026-01-05 to 2026-02-23', or one date for a course held on one day.

    Dates are read where the studio is (``timezone``, Settings.timezone): an
    evening class in New York is stored on the next UTC day.
    """
    zone = ZoneInfo(timezone)
    first = starts_at.astimezone(zone).date()
    last = ends_at.astimezone(zone).date() if ends_at is not None else first
    if last == first:
        return first.isoformat()
    return f"{first.isoformat()} to {last.isoformat()}"


def reference_note(
    *, organisation: str, registration_id: int, course_title: str, course_dates: str
) -> str:
    """The note a payer adds so staff can match the payment to the registration."""
    note = f"{organisation} #{registration_id} {course_title} {course_dates}"
    # Notes travel in URLs and payment apps: one line, bounded length.
    return " ".join(note.split())[:280]


@dataclass(frozen=True)
class PaymentInstructions:
    amount: Decimal
    note: str
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
        venmo_app_url=app_url,
        venmo_web_url=web_url,
        zelle_recipient_name=settings.zelle_recipient_name,
        zelle_phone=settings.zelle_phone,
    )
