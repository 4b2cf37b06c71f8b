"""Waitlist rules: the order of the line, who may join, how many seats to offer, offers.

The line is first come, first served: ``position`` 1 is next. Positions stay
1..n over the entries still in line (waiting or offered); leaving the line
closes the gap. An offer is a single-use link whose token has 256 bits of
randomness; only its SHA-256 is stored, so a database leak reveals no live link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.enums import WaitlistStatus
from domain.errors import LinkInvalid, OfferExpired, ValidationError

#: Bytes of randomness in an offer token (secrets.token_urlsafe(32): 256 bits).
OFFER_TOKEN_BYTES = 32

_REASON_MAX = 1000


def hash_offer_token(token: str) -> str:
    """The stored form of an offer token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def offer_expires_at(now: datetime, offer_hours: int) -> datetime:
    """When an offer made at ``now`` passes to the next student."""
    return now + timedelta(hours=offer_hours)


def seats_to_offer(*, free_seats: int, outstanding_offers: int, waiting: int) -> int:
    """How many new offers to make: free seats not already promised, at most one per waiting."""
    return max(0, min(free_seats - outstanding_offers, waiting))


def check_can_join(*, seats_left: int, course_title: str) -> None:
    """Only a full course has a waitlist: with a free seat, the student should register."""
    if seats_left > 0:
        raise ValidationError(
            f"{course_title} still has free seats, so there is no waitlist: "
            "please register for the course instead."
        )


def check_offer_claimable(*, status: str, expires_at: datetime | None, now: datetime) -> None:
    """An offer can be answered only while open; else ``LinkInvalid`` or ``OfferExpired``."""
    if status == WaitlistStatus.EXPIRED or (
        status == WaitlistStatus.OFFERED and expires_at is not None and now >= expires_at
    ):
        raise OfferExpired(
            "This waitlist offer has expired and the seat has passed to the next student. "
            "You can join the waitlist again."
        )
    if status != WaitlistStatus.OFFERED:
        raise LinkInvalid("This offer link has already been used or is not valid.")


def check_reason(reason: str) -> str:
    """Staff must say why they move or remove someone in line; the reason is kept."""
    text = reason.strip()
    if not text:
        raise ValidationError("Please give a reason for this change.", field="reason")
    if len(text) > _REASON_MAX:
        raise ValidationError(
            f"The reason must be at most {_REASON_MAX} characters.", field="reason"
        )
    return text


def line_after_move(line: Sequence[int], entry_id: int, new_position: int) -> list[int]:
    """The line (entry ids, first in line first) with ``entry_id`` moved to ``new_position``.

    Everyone between the old and the new place shifts by one; ``new_position``
    must be within 1..len(line).
    """
    if entry_id not in line:
        raise ValidationError("This entry is no longer in the waitlist line.")
    if not 1 <= new_position <= len(line):
        raise ValidationError(
            f"The new position must be between 1 and {len(line)}.", field="new_position"
        )
    rest = [other for other in line if other != entry_id]
    rest.insert(new_position - 1, entry_id)
    return rest
