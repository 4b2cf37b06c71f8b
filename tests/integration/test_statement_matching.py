"""Matching a statement's payments to registrations, and confirming them once only."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentMethod, PaymentStatus
from domain.errors import InvalidTransition
from domain.payments_import.matching import (
    Confirmation,
    MatchKind,
    confirm_matches,
    propose_matches,
)
from domain.payments_import.statements import Statement, parse_statement
from domain.services import payment_references
from domain.services.bulk import BatchRefused, Payment, confirm_payments
from domain.services.payments import cancel_registration, confirm_payment
from domain.services.registration import register_student
from domain.services.school_portal import NewParticipant, replace_participant, school_contact
from tests.integration.r_factories import NOW, add_course, details, registration, staff
from tests.public.my_school_setup import make_contact_school, school_course, sign_up
from tests.public.test_booking_cost import statements
from tests.statement_fixtures import bank_statement, venmo_row, venmo_statement


def _booked(db: Database, n: int, price: str = "110.00", title: str = "Salsa Series") -> int:
    course = add_course(db, title=f"{title} {n}", package=[price])
    # Each from its own address: the cap on unpaid bookings per address is not tested here.
    visitor = Actor.public(f"198.51.100.{n}")
    outcome = register_student(db, course_id=course, student=details(n), actor=visitor, now=NOW)
    return outcome.registration_id


def _venmo(*rows: list[str]) -> Statement:
    return parse_statement(venmo_statement(*rows))


def test_each_payment_is_exact_needs_a_click_unmatched_or_already_confirmed(
    db: Database,
) -> None:
    by_note = _booked(db, 1)
    by_name = _booked(db, 2, "80.00")
    wrong_amount = _booked(db, 3)
    cancelled = _booked(db, 4)
    paid_before = _booked(db, 5)
    maria = staff(db)
    cancel_registration(db, registration_id=cancelled, reason="Moved away", actor=maria)
    confirm_payment(db, registration_id=paid_before, method="venmo", reference="V-OLD", actor=maria)
    statement = _venmo(
        venmo_row("V-1", "2026-11-03T10:00:00", "+ $110.00", note=f"Rollbook #{by_note} Salsa"),
        venmo_row("V-2", "2026-11-03T11:00:00", "+ $80.00", sender="DANCER2 LOPEZ", note="🕺"),
        venmo_row("V-3", "2026-11-03T12:00:00", "+ $100.00", note=f"rollbook #{wrong_amount}"),
        venmo_row("V-4", "2026-11-03T13:00:00", "+ $110.00", note=f"Rollbook #{cancelled}"),
        venmo_row("V-5", "2026-11-03T14:00:00", "+ $80.00", sender="Somebody Else"),
        venmo_row("V-OLD", "2026-11-01T09:00:00", "+ $110.00", note=f"Rollbook #{paid_before}"),
    )
    proposals = propose_matches(db, statement)
    kinds = [(p.payment.transaction_id, p.kind) for p in proposals]
    assert kinds == [
        ("V-1", MatchKind.EXACT),
        ("V-2", MatchKind.NEEDS_A_CLICK),
        ("V-3", MatchKind.NEEDS_A_CLICK),
        ("V-4", MatchKind.UNMATCHED),
        ("V-5", MatchKind.UNMATCHED),
        ("V-OLD", MatchKind.ALREADY_CONFIRMED),
    ]
    exact, click, amount, gone, stranger, old = proposals
    assert exact.candidate is not None and exact.candidate.registration_id == by_note
    assert exact.preselected and not click.preselected
    assert click.candidate is not None and click.candidate.registration_id == by_name
    assert click.candidate.student == "Dancer2 Lopez"
    assert "amount and the sender's name match" in click.reason
    assert "amount differs from the $110.00 due" in amount.reason
    assert "cancelled" in gone.reason
    assert stranger.candidate is None
    assert f"registration #{paid_before}" in old.reason


def test_confirming_chosen_payments_applies_the_confirm_service_with_the_statement_id(
    db: Database,
) -> None:
    reg = _booked(db, 1)
    bank = parse_statement(
        bank_statement(
            ["11/02/2026", "Zelle payment from DANCER1 LOPEZ Conf# BAC7XK2P9", "110.00", "1", ""]
        )
    )
    [proposal] = propose_matches(db, bank)
    assert proposal.kind is MatchKind.NEEDS_A_CLICK
    outcomes = confirm_matches(db, method=bank.method, chosen=[(reg, "BAC7XK2P9")], actor=staff(db))
    assert outcomes == [Confirmation(reg, "BAC7XK2P9", None, "Dancer1 Lopez — Salsa Series 1")]
    saved = registration(db, reg)
    assert saved.payment_status == PaymentStatus.COMPLETED
    assert (saved.payment_method, saved.payment_reference) == ("zelle", "BAC7XK2P9")
    [again] = propose_matches(db, bank)
    assert again.kind is MatchKind.ALREADY_CONFIRMED


def test_a_used_reference_is_refused_for_another_registration_with_a_clear_message(
    db: Database,
) -> None:
    first, second = _booked(db, 1), _booked(db, 2)
    maria = staff(db)
    confirm_payment(db, registration_id=first, method="venmo", reference="V-77", actor=maria)
    with pytest.raises(
        InvalidTransition,
        match=f"Venmo payment V-77 is already confirmed for registration #{first}",
    ):
        confirm_payment(db, registration_id=second, method="venmo", reference="V-77", actor=maria)
    assert registration(db, second).payment_status == PaymentStatus.PENDING
    # Another method, or a cash receipt number used twice, is no clash.
    confirm_payment(db, registration_id=second, method="zelle", reference="V-77", actor=maria)


def test_the_database_refuses_a_used_reference_even_when_the_check_is_skipped(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _booked(db, 1), _booked(db, 2)
    maria = staff(db)
    confirm_payment(db, registration_id=first, method="venmo", reference="V-77", actor=maria)
    monkeypatch.setattr(payment_references, "refuse_used_reference", lambda *args: None)
    with pytest.raises(InvalidTransition, match="Venmo payment V-77 is already confirmed"):
        confirm_payment(db, registration_id=second, method="venmo", reference="V-77", actor=maria)
    assert registration(db, second).payment_status == PaymentStatus.PENDING


def _at_once(calls: list[Callable[[], list[Confirmation]]]) -> list[Confirmation]:
    barrier = threading.Barrier(len(calls))
    results: list[Confirmation] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def run(call: Callable[[], list[Confirmation]]) -> None:
        barrier.wait()
        try:
            outcome = call()
        except BaseException as exc:  # reported below, never swallowed
            with guard:
                errors.append(exc)
            return
        with guard:
            results.extend(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def _confirmed_references(db: Database) -> list[tuple[str, int]]:
    r = t.registrations.c
    with db.read() as session:
        rows = session.execute(
            select(r.payment_reference, r.id)
            .where(r.payment_status == PaymentStatus.COMPLETED.value)
            .order_by(r.payment_reference)
        ).all()
    return [(reference, registration_id) for reference, registration_id in rows]


def test_the_same_statement_uploaded_twice_at_once_confirms_each_payment_once(
    db: Database,
) -> None:
    regs = [_booked(db, n) for n in range(1, 5)]
    text = venmo_statement(
        *(
            venmo_row(f"V-{n}", "2026-11-03T10:00:00", "+ $110.00", note=f"Rollbook #{reg}")
            for n, reg in enumerate(regs)
        )
    )
    uploads = [parse_statement(text), parse_statement(text)]
    # Both uploads are proposed before either confirms: each sees every payment as new.
    chosen = [
        [
            (p.candidate.registration_id, p.payment.transaction_id)
            for p in propose_matches(db, upload)
            if p.preselected and p.candidate is not None
        ]
        for upload in uploads
    ]
    assert all(len(picks) == 4 for picks in chosen)
    actors = [staff(db, "maria"), staff(db, "priya")]
    results = _at_once(
        [
            lambda picks=picks, actor=actor: confirm_matches(  # type: ignore[misc]
                db, method=PaymentMethod.VENMO, chosen=picks, actor=actor
            )
            for picks, actor in zip(chosen, actors, strict=True)
        ]
    )
    confirmed = [c for c in results if c.refusal is None]
    refused = [c for c in results if c.refusal is not None]
    assert sorted(c.reference for c in confirmed) == ["V-0", "V-1", "V-2", "V-3"]
    assert len(refused) == 4
    assert _confirmed_references(db) == [(f"V-{n}", reg) for n, reg in enumerate(regs)]


def test_one_transaction_id_sent_to_two_registrations_at_once_confirms_only_one(
    db: Database,
) -> None:
    # Two courses: no shared course lock, only the reference's uniqueness decides.
    first, second = _booked(db, 1, title="Tango"), _booked(db, 2, title="Swing")
    actors = [staff(db, "maria"), staff(db, "priya")]
    results = _at_once(
        [
            lambda reg=reg, actor=actor: confirm_matches(  # type: ignore[misc]
                db, method=PaymentMethod.VENMO, chosen=[(reg, "V-SAME")], actor=actor
            )
            for reg, actor in zip((first, second), actors, strict=True)
        ]
    )
    assert sorted(c.refusal is None for c in results) == [False, True]
    [refused] = [c for c in results if c.refusal is not None]
    assert "already confirmed" in (refused.refusal or "")
    assert [ref for ref, _ in _confirmed_references(db)] == ["V-SAME"]


def test_a_replacement_takes_over_a_venmo_payment_and_its_transaction_id(db: Database) -> None:
    # The reference is unique: it moves to the new registration, it is not copied.
    school_id = make_contact_school(db)
    course_id = school_course(db)
    (ada,) = sign_up(db, school_id, course_id, "Ada Teacher")
    confirm_payment(db, registration_id=ada, method="venmo", reference="V-9", actor=staff(db))
    new = replace_participant(
        db,
        school_id=school_id,
        registration_id=ada,
        person=NewParticipant(name="Newcomer One"),
        reason="Ada is on leave",
        actor=school_contact(school_id, "192.0.2.50"),
    )
    moved = registration(db, new)
    assert (moved.payment_status, moved.payment_method) == (PaymentStatus.COMPLETED, "venmo")
    assert moved.payment_reference == "V-9"
    assert registration(db, ada).payment_reference == ""
    assert _confirmed_references(db)[-1] == ("V-9", new)


def test_a_batch_meeting_the_database_refusal_is_refused_whole_not_a_server_error(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if another transaction took the reference between the check and the write.
    first, second = _booked(db, 1), _booked(db, 2)
    monkeypatch.setattr(payment_references, "refuse_used_reference", lambda *args: None)
    batch = [Payment(first, "venmo", "V-77"), Payment(second, "venmo", "V-77")]
    with pytest.raises(BatchRefused, match="Venmo payment V-77 is already confirmed"):
        confirm_payments(db, payments=batch, actor=staff(db))
    assert registration(db, first).payment_status == PaymentStatus.PENDING
    assert registration(db, second).payment_status == PaymentStatus.PENDING


def test_proposing_costs_the_same_statements_for_two_payments_or_twenty(db: Database) -> None:
    regs = [_booked(db, n) for n in range(1, 21)]

    def cost(count: int) -> int:
        statement = _venmo(
            *(
                venmo_row(f"V-{n}", "2026-11-03T10:00:00", "+ $110.00", note=f"Rollbook #{reg}")
                for n, reg in enumerate(regs[:count])
            )
        )
        with statements(db) as sent:
            propose_matches(db, statement)
        return len(sent)

    assert cost(20) == cost(2)
