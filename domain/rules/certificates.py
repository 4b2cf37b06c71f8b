"""Certificates of attendance: who may have one, the hours it states, and its code.

Hours are the roll call's: each session attended (present or late) counts for
its own length, so a teacher's transcript is true to the marks staff made.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from domain.rules.attendance import is_trained

#: A verification code: 20 characters of A-Z and 2-7 (no 0/O or 1/I to confuse), 100 bits.
CODE_LENGTH = 20
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CODE_ALPHABET = frozenset(_ALPHABET)
_HOUR = Decimal(3600)
_HOURS_PLACES = Decimal("0.01")


def new_code() -> str:
    """A fresh verification code: 20 characters of A-Z and 2-7, 100 random bits."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def shown_code(code: str) -> str:
    """A code as printed and typed: 'ABCD-EFGH-IJKL-MNOP-QRST'."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def typed_code(raw: str) -> str:
    """What someone typed or followed, as stored: dashes and spaces out, upper case.

    Whatever it is, it stays a string of bounded length, so looking it up costs
    the same for a genuine code and a made-up one.
    """
    cleaned = "".join(c for c in raw.upper() if c not in "- ")[: CODE_LENGTH + 1]
    return cleaned if all(c in _CODE_ALPHABET for c in cleaned) else ""


def session_hours(start: time | None, end: time | None) -> Decimal:
    """A session's length in hours (0 when its times are not set), to two places."""
    if start is None or end is None:
        return Decimal("0.00")
    day = date(2000, 1, 1)
    seconds = (datetime.combine(day, end) - datetime.combine(day, start)).total_seconds()
    return max(Decimal(int(seconds)) / _HOUR, Decimal(0)).quantize(_HOURS_PLACES)


def hours_attended(sessions: Iterable[tuple[time | None, time | None]]) -> Decimal:
    """The hours of the sessions attended, each counted for its own length."""
    return sum((session_hours(start, end) for start, end in sessions), Decimal("0.00"))


def certificate_refusal(
    *, cancelled: bool, refunded: bool, attended: int, held: int, threshold_percent: int
) -> str | None:
    """Why this registration may not have a certificate now; None when it qualifies."""
    if cancelled:
        return "This registration is cancelled: there is no attendance to certify."
    if refunded:
        return "This registration was refunded: there is no attendance to certify."
    if held <= 0:
        return "No session of this course has been held yet."
    if not is_trained(attended, held, threshold_percent):
        return (
            f"Attended {attended} of {held} sessions held: a certificate needs "
            f"{threshold_percent}% (the completion threshold in the settings)."
        )
    return None
