"""Waitlist offers: made when a seat frees, claimed once, declined or expired and passed on."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import outgoing_emails, registrations, waitlist_entries
from domain.errors import InvalidTransition, LinkInvalid, OfferExpired, ValidationError
from domain.model import OutgoingEmail, Registration, WaitlistEntry
from domain.rules.waitlist import hash_offer_token
from domain.services.courses import update_course
from domain.services.payments import cancel_registration
from domain.services.registration_core import RegistrationOutcome
from domain.services.settings import update_setting
from domain.services.waitlist import remove_waitlist_entry
from domain.services.waitlist_offers import (
    claim_offer,
    decline_offer,
    expire_offers,
    offer_next_seat,
)
from tests.integration.test_waitlist import VISITOR, full_course, join, line_of
from tests.integration.w_factories import STAFF, add_registration, add_student

NOW = datetime(2030, 1, 10, 9, tzinfo=UTC)


def manual_offers(db: Database) -> None:
    update_setting(db, "automatic_offers", "no", actor=STAFF)


def active_registrations(db: Database, course_id: int) -> list[Registration]:
    r = registrations.c
    with db.read() as s:
        found = s.scalars(
            select(Registration).where(r.course_id == course_id, r.cancelled_at.is_(None))
        ).all()
        s.commit()
        return list(found)


def offer_link_sent_to(db: Database, address: str) -> str:
    """The token in the claim link of the last offer emailed to ``address``."""
    e = outgoing_emails.c
    with db.read() as s:
        mail = s.scalars(
            select(OutgoingEmail)
            .where(e.to_address == address, e.kind == "waitlist_offer")
            .order_by(e.id.desc())
        ).first()
        assert mail is not None, f"no offer emailed to {address}"
        found = re.search(r"/offers/([A-Za-z0-9_-]+)/claim", mail.body_text)
        assert found is not None
        return found.group(1)


def test_a_cancelled_seat_is_offered_to_the_first_in_line(db: Database) -> None:
    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    seat = active_registrations(db, course_id)[0].id or 0
    cancel_registration(db, registration_id=seat, reason="Ill", actor=STAFF, now=NOW)
    assert line_of(db, course_id) == [("Ana", 1, "offered"), ("Ben", 2, "waiting")]
    token = offer_link_sent_to(db, "ana@example.org")
    assert len(token) >= 43  # 32 random bytes
    with db.read() as s:
        entry = s.scalars(
            select(WaitlistEntry).where(waitlist_entries.c.offer_token_hash.is_not(None))
        ).one()
        assert entry.offer_token_hash == hash_offer_token(token) != token
        assert entry.offer_expires_at == NOW + timedelta(hours=48)


def test_with_automatic_offers_off_staff_offer_the_seat(db: Database) -> None:
    manual_offers(db)
    course_id = full_course(db)
    join(db, course_id, "Ana")
    seat = active_registrations(db, course_id)[0].id or 0
    cancel_registration(db, registration_id=seat, reason="Ill", actor=STAFF)
    assert line_of(db, course_id) == [("Ana", 1, "waiting")]
    token = offer_next_seat(db, course_id=course_id, actor=STAFF)
    assert token is not None and token == offer_link_sent_to(db, "ana@example.org")
    assert line_of(db, course_id) == [("Ana", 1, "offered")]


def test_no_offer_without_a_free_seat_or_anyone_waiting(db: Database) -> None:
    course_id = full_course(db)
    assert offer_next_seat(db, course_id=course_id, actor=STAFF) is None
    join(db, course_id, "Ana")
    with pytest.raises(InvalidTransition, match="no free seat to offer"):
        offer_next_seat(db, course_id=course_id, actor=STAFF)
    assert line_of(db, course_id) == [("Ana", 1, "waiting")]


def test_claiming_registers_the_student_even_though_the_course_looks_full(db: Database) -> None:
    manual_offers(db)
    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF)
    token = offer_next_seat(db, course_id=course_id, actor=STAFF, now=NOW)
    assert token is not None
    # Meanwhile staff fill the free seat themselves.
    add_registration(db, course_id=course_id, student_id=add_student(db, "Late", "Comer"))
    outcome = claim_offer(db, token=token, actor=VISITOR, now=NOW + timedelta(hours=1))
    assert outcome.created
    regs = active_registrations(db, course_id)
    assert len(regs) == 4
    claimed = next(r for r in regs if r.id == outcome.registration_id)
    assert (claimed.source, claimed.from_waitlist) == ("waitlist", True)
    assert line_of(db, course_id) == [("Ben", 1, "waiting")]
    with db.read() as s:
        entry = s.scalars(
            select(WaitlistEntry).where(waitlist_entries.c.registration_id == claimed.id)
        ).one()
        assert (entry.status, entry.position, entry.offer_token_hash) == ("claimed", None, None)


def test_an_offer_link_works_once(db: Database) -> None:
    course_id = full_course(db)
    join(db, course_id, "Ana")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF)
    token = offer_link_sent_to(db, "ana@example.org")
    claim_offer(db, token=token, actor=VISITOR)
    with pytest.raises(LinkInvalid, match="already been used"):
        claim_offer(db, token=token, actor=VISITOR)
    with pytest.raises(LinkInvalid):
        claim_offer(db, token="not-a-token", actor=VISITOR)
    assert len(active_registrations(db, course_id)) == 3


def test_two_claims_of_one_offer_at_once_register_once(db: Database) -> None:
    course_id = full_course(db)
    join(db, course_id, "Ana")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF)
    token = offer_link_sent_to(db, "ana@example.org")
    start = threading.Barrier(4)
    results: list[RegistrationOutcome | Exception] = []
    lock = threading.Lock()

    def claim() -> None:
        start.wait()
        try:
            outcome: RegistrationOutcome | Exception = claim_offer(db, token=token, actor=VISITOR)
        except Exception as exc:
            outcome = exc
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    wins = [r for r in results if isinstance(r, RegistrationOutcome)]
    losses = [r for r in results if not isinstance(r, RegistrationOutcome)]
    assert len(wins) == 1 and wins[0].created
    assert len(losses) == 3 and all(isinstance(r, LinkInvalid) for r in losses), losses
    r = registrations.c
    with db.read() as s:
        count = s.scalar(
            select(func.count()).where(r.course_id == course_id, r.from_waitlist.is_(True))
        )
    assert count == 1


def test_declining_passes_the_seat_to_the_next_in_line(db: Database) -> None:
    course_id = full_course(db)
    for name in ("Ana", "Ben", "Cai"):
        join(db, course_id, name)
    update_course(db, course_id, {"capacity": 3}, actor=STAFF)
    decline_offer(db, token=offer_link_sent_to(db, "ana@example.org"), actor=VISITOR)
    assert line_of(db, course_id) == [("Ben", 1, "offered"), ("Cai", 2, "waiting")]
    claim_offer(db, token=offer_link_sent_to(db, "ben@example.org"), actor=VISITOR)
    assert line_of(db, course_id) == [("Cai", 1, "waiting")]


def test_declining_passes_on_even_with_automatic_offers_off(db: Database) -> None:
    manual_offers(db)
    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF)
    token = offer_next_seat(db, course_id=course_id, actor=STAFF)
    assert token is not None
    decline_offer(db, token=token, actor=VISITOR)
    assert line_of(db, course_id) == [("Ben", 1, "offered")]
    with pytest.raises(LinkInvalid):
        decline_offer(db, token=token, actor=VISITOR)


def test_an_expired_offer_passes_to_the_next_in_line(db: Database) -> None:
    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF, now=NOW)
    ana_token = offer_link_sent_to(db, "ana@example.org")
    assert expire_offers(db, now=NOW + timedelta(hours=47)) == 0
    assert expire_offers(db, now=NOW + timedelta(hours=48)) == 1
    assert line_of(db, course_id) == [("Ben", 1, "offered")]
    with pytest.raises(OfferExpired, match="expired"):
        claim_offer(db, token=ana_token, actor=VISITOR, now=NOW + timedelta(hours=49))


def test_claiming_a_lapsed_offer_says_expired_and_passes_it_on(db: Database) -> None:
    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF, now=NOW)
    token = offer_link_sent_to(db, "ana@example.org")
    with pytest.raises(OfferExpired):
        claim_offer(db, token=token, actor=VISITOR, now=NOW + timedelta(hours=50))
    assert line_of(db, course_id) == [("Ben", 1, "offered")]
    assert len(active_registrations(db, course_id)) == 2


def test_more_capacity_offers_every_new_seat(db: Database) -> None:
    course_id = full_course(db)
    for name in ("Ana", "Ben", "Cai"):
        join(db, course_id, name)
    update_course(db, course_id, {"capacity": 4}, actor=STAFF)
    assert line_of(db, course_id) == [
        ("Ana", 1, "offered"),
        ("Ben", 2, "offered"),
        ("Cai", 3, "waiting"),
    ]
    # A seat already offered is not offered twice.
    update_course(db, course_id, {"capacity": 4}, actor=STAFF)
    assert [s for _, _, s in line_of(db, course_id)] == ["offered", "offered", "waiting"]


def test_removing_someone_holding_an_offer_passes_it_on(db: Database) -> None:
    course_id = full_course(db)
    ids = [join(db, course_id, name) for name in ("Ana", "Ben")]
    update_course(db, course_id, {"capacity": 3}, actor=STAFF)
    token = offer_link_sent_to(db, "ana@example.org")
    remove_waitlist_entry(db, entry_id=ids[0], reason="Duplicate sign-up", actor=STAFF)
    assert line_of(db, course_id) == [("Ben", 1, "offered")]
    with pytest.raises(LinkInvalid):
        claim_offer(db, token=token, actor=VISITOR)


def test_capacity_must_be_a_whole_number_not_below_zero(db: Database) -> None:
    course_id = full_course(db)
    with pytest.raises(ValidationError, match="between 0 and"):
        update_course(db, course_id, {"capacity": -1}, actor=STAFF)


def test_positions_stay_contiguous_through_claims_leaves_and_moves(db: Database) -> None:
    course_id = full_course(db)
    ids = [join(db, course_id, name) for name in ("Ana", "Ben", "Cai", "Dee", "Eve")]
    update_course(db, course_id, {"capacity": 3}, actor=Actor.script())
    claim_offer(db, token=offer_link_sent_to(db, "ana@example.org"), actor=VISITOR)
    remove_waitlist_entry(db, entry_id=ids[2], reason="Left town", actor=STAFF)
    from domain.services.waitlist import move_waitlist_entry

    move_waitlist_entry(db, entry_id=ids[4], new_position=1, reason="Priority", actor=STAFF)
    assert line_of(db, course_id) == [
        ("Eve", 1, "waiting"),
        ("Ben", 2, "waiting"),
        ("Dee", 3, "waiting"),
    ]


def test_staff_offer_one_seat_at_a_time(db: Database) -> None:
    manual_offers(db)
    course_id = full_course(db)
    for name in ("Ana", "Ben", "Cai"):
        join(db, course_id, name)
    update_course(db, course_id, {"capacity": 4}, actor=STAFF)
    assert [s for _, _, s in line_of(db, course_id)] == ["waiting", "waiting", "waiting"]
    offer_next_seat(db, course_id=course_id, actor=STAFF)
    assert [s for _, _, s in line_of(db, course_id)] == ["offered", "waiting", "waiting"]
    offer_next_seat(db, course_id=course_id, actor=STAFF)
    assert [s for _, _, s in line_of(db, course_id)] == ["offered", "offered", "waiting"]
    with pytest.raises(InvalidTransition, match="every seat is taken or already offered"):
        offer_next_seat(db, course_id=course_id, actor=STAFF)


def test_every_waitlist_change_is_in_the_audit_log(db: Database) -> None:
    from domain.db.tables import audit_entries
    from domain.model import AuditEntry

    course_id = full_course(db)
    join(db, course_id, "Ana")
    join(db, course_id, "Ben")
    update_course(db, course_id, {"capacity": 3}, actor=STAFF, now=NOW)
    decline_offer(db, token=offer_link_sent_to(db, "ana@example.org"), actor=VISITOR, now=NOW)
    expire_offers(db, now=NOW + timedelta(days=3))
    a = audit_entries.c
    with db.read() as s:
        trail = [
            (e.action, e.actor_label)
            for e in s.scalars(select(AuditEntry).where(a.action.like("waitlist.%")).order_by(a.id))
        ]
    assert trail == [
        ("waitlist.join", "public 203.0.113.9"),
        ("waitlist.join", "public 203.0.113.9"),
        ("waitlist.offer", "tests"),
        ("waitlist.decline", "public 203.0.113.9"),
        ("waitlist.offer", "public 203.0.113.9"),
        ("waitlist.offer_expire", "offer expiry"),
    ]
