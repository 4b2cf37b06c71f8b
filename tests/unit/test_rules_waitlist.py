"""Waitlist order, joining, offers and their links."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import LinkInvalid, OfferExpired, ValidationError
from domain.rules.waitlist import (
    check_can_join,
    check_offer_claimable,
    check_reason,
    hash_offer_token,
    line_after_move,
    offer_expires_at,
    seats_to_offer,
)

NOW = datetime(2030, 3, 1, 12, tzinfo=UTC)


def test_a_course_with_free_seats_has_no_waitlist_and_says_register() -> None:
    with pytest.raises(ValidationError, match=r"Salsa still has free seats.*register"):
        check_can_join(seats_left=1, course_title="Salsa")
    check_can_join(seats_left=0, course_title="Salsa")


def test_offer_stays_open_for_the_configured_hours() -> None:
    assert offer_expires_at(NOW, 48) == NOW + timedelta(hours=48)


def test_only_the_hash_of_an_offer_token_is_stored() -> None:
    assert hash_offer_token("abc") == hashlib.sha256(b"abc").hexdigest()
    assert len(hash_offer_token("abc")) == 64


def test_as_many_offers_as_free_seats_not_already_promised() -> None:
    assert seats_to_offer(free_seats=3, outstanding_offers=1, waiting=5) == 2
    assert seats_to_offer(free_seats=3, outstanding_offers=0, waiting=1) == 1
    assert seats_to_offer(free_seats=1, outstanding_offers=2, waiting=5) == 0
    assert seats_to_offer(free_seats=0, outstanding_offers=0, waiting=5) == 0


def test_open_offer_can_be_claimed() -> None:
    check_offer_claimable(status="offered", expires_at=NOW + timedelta(seconds=1), now=NOW)


def test_offer_past_its_expiry_is_expired() -> None:
    with pytest.raises(OfferExpired, match="expired"):
        check_offer_claimable(status="offered", expires_at=NOW, now=NOW)
    with pytest.raises(OfferExpired):
        check_offer_claimable(status="expired", expires_at=NOW, now=NOW)


@pytest.mark.parametrize("status", ["claimed", "declined", "removed", "waiting"])
def test_used_or_withdrawn_offer_link_is_invalid(status: str) -> None:
    with pytest.raises(LinkInvalid, match="already been used or is not valid"):
        check_offer_claimable(status=status, expires_at=NOW + timedelta(hours=1), now=NOW)


def test_staff_changes_to_the_line_need_a_reason() -> None:
    with pytest.raises(ValidationError, match="reason"):
        check_reason("   ")
    assert check_reason("  asked to wait  ") == "asked to wait"


def test_moving_an_entry_shifts_those_between_by_one() -> None:
    assert line_after_move([10, 11, 12, 13], 13, 1) == [13, 10, 11, 12]
    assert line_after_move([10, 11, 12, 13], 10, 3) == [11, 12, 10, 13]


def test_moving_outside_the_line_is_refused() -> None:
    with pytest.raises(ValidationError, match="between 1 and 3"):
        line_after_move([10, 11, 12], 10, 4)
    with pytest.raises(ValidationError, match="between 1 and 3"):
        line_after_move([10, 11, 12], 10, 0)
