"""Audit entries read as sentences: actor first, amount and subject in words, reason last."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from domain.audit_sentences import (
    SENTENCES,
    Subject,
    actor_words,
    audit_sentence,
    change_value,
    field_words,
    subject_from_changes,
)
from domain.formatting import ACTIONS

JAMIE = Subject(
    person="Jamie Newcomer",
    thing="Contemporary Technique",
    amount=Decimal("110"),
    detail="Full course",
)


@dataclass
class Entry:
    action: str
    entity_type: str = "Registration"
    entity_id: str = "7"
    actor_kind: str = "staff"
    actor_label: str = "priya"
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def test_a_confirmed_payment_names_the_amount_the_student_and_the_course() -> None:
    sentence = audit_sentence(Entry("payment.confirm"), actor="Priya Patel", subject=JAMIE)
    assert sentence == (
        "Priya Patel confirmed payment of $110.00 for Jamie Newcomer — Contemporary Technique"
    )


def test_the_amount_is_in_the_currency_setting_with_thousands_separators() -> None:
    entry = Entry("payment.refund", changes={"amount_due": [None, "1234.5"]}, reason="Moved away")
    sentence = audit_sentence(entry, actor="Priya Patel", subject=JAMIE, currency="EUR")
    assert sentence == (
        "Priya Patel refunded payment of €1,234.50 for Jamie Newcomer — Contemporary Technique"
        " (reason: Moved away)"
    )


def test_a_cancellation_is_the_students_registration_with_the_reason_last() -> None:
    entry = Entry("registration.cancel", reason="  Injured,\n  sorry ")
    mateo = Subject(person="Mateo Torres", thing="Ballet: Level 1")
    assert audit_sentence(entry, actor="Priya Patel", subject=mateo) == (
        "Priya Patel cancelled Mateo Torres's registration for Ballet: Level 1"
        " (reason: Injured, sorry)"
    )


def test_a_public_visitor_is_named_by_their_address() -> None:
    assert actor_words("public", "public 203.0.113.9") == "Public visitor 203.0.113.9"
    assert actor_words("public", "public") == "A public visitor"
    entry = Entry(
        "registration.create", actor_kind="public", changes={"amount_due": [None, "110.00"]}
    )
    actor = actor_words(entry.actor_kind, "public 203.0.113.9")
    assert audit_sentence(entry, actor=actor, subject=JAMIE) == (
        "Public visitor 203.0.113.9 registered Jamie Newcomer for Contemporary Technique"
        " ($110.00, Full course)"
    )


def test_a_staff_member_is_named_by_their_name_else_the_stored_label() -> None:
    assert actor_words("staff", "priya", "Priya Patel") == "Priya Patel"
    assert actor_words("staff", "priya") == "priya"
    assert actor_words("script", "import") == "Script 'import'"
    assert actor_words("system", "expire_payment_holds") == "Rollbook"


def test_an_override_reason_reads_as_the_rule_overridden() -> None:
    entry = Entry("registration.create", reason="Teacher's niece")
    sentence = audit_sentence(entry, actor="Priya Patel", subject=JAMIE)
    assert sentence.endswith("($110.00, Full course) (rule overridden: Teacher's niece)")


def test_a_row_without_a_name_reads_as_since_deleted() -> None:
    entry = Entry("update", entity_type="Course", changes={"capacity": [10, 12]})
    assert audit_sentence(entry, actor="Priya Patel", subject=None) == (
        "Priya Patel changed the capacity of a course since deleted"
    )


def test_a_deleted_row_is_named_from_its_last_values() -> None:
    changes = {"student_id": [4, None], "course_id": [9, None], "amount_due": ["110.00", None]}
    subject = subject_from_changes(
        "Registration", changes, people={4: "Jamie Newcomer"}, courses={9: "Salsa"}
    )
    entry = Entry("delete", changes=changes)
    assert audit_sentence(entry, actor="Priya Patel", subject=subject) == (
        "Priya Patel deleted Jamie Newcomer's registration for Salsa"
    )
    course = subject_from_changes("Course", {"title": ["Salsa", None]}, people={}, courses={})
    gone = Entry("delete", entity_type="Course")
    assert audit_sentence(gone, actor="Priya Patel", subject=course) == (
        "Priya Patel deleted the course Salsa"
    )


def test_a_change_names_its_fields_in_words_at_most_three() -> None:
    entry = Entry(
        "update",
        entity_type="Course",
        changes={name: [1, 2] for name in ("title", "capacity", "location", "instructor", "kind")},
    )
    subject = Subject(thing="Salsa")
    assert audit_sentence(entry, actor="Priya Patel", subject=subject) == (
        "Priya Patel changed the title, capacity, location and 2 more fields of the course Salsa"
    )


def test_a_session_and_a_mark_say_the_day_and_time() -> None:
    session = Subject(
        person="Jamie Newcomer", thing="Salsa", day=date(2026, 11, 29), clock=time(19)
    )
    mark = Entry("attendance.mark", entity_type="Attendance", changes={"status": [None, "late"]})
    assert audit_sentence(mark, actor="Priya Patel", subject=session) == (
        "Priya Patel marked Jamie Newcomer late at Salsa on Sun 29 Nov 2026, 19:00"
    )


def test_a_setting_is_named_by_its_label_with_before_and_after() -> None:
    entry = Entry(
        "setting.update",
        entity_type="Setting",
        entity_id="currency",
        changes={"value": ["USD", "EUR"]},
    )
    subject = subject_from_changes("Setting", {"key": [None, "currency"]}, people={}, courses={})
    assert subject is not None
    sentence = audit_sentence(entry, actor="Priya Patel", subject=subject)
    assert sentence.startswith("Priya Patel changed the setting ")
    assert "currency" not in sentence.split("setting ")[1].split(" from")[0]
    assert sentence.endswith("from “USD” to “EUR”")


def test_every_known_action_reads_without_a_stored_name() -> None:
    for action in {*SENTENCES, *ACTIONS}:
        sentence = audit_sentence(Entry(action), actor="Priya Patel", subject=JAMIE)
        assert sentence.startswith("Priya Patel "), action
        assert "_" not in sentence and "{" not in sentence, (action, sentence)


def test_changed_values_read_as_labels() -> None:
    assert field_words("payment_method") == "payment method"
    assert field_words("course_id") == "course"
    assert change_value("payment_status", "not_required") == "Not required"
    assert change_value("cancelled_at", None) == "—"
    assert change_value("from_waitlist", True) == "Yes"
    assert change_value("amount_due", "1234.5", currency="GBP") == "£1,234.50"
    moment = "2026-11-29T17:19:26.210823+00:00"
    assert change_value("cancelled_at", moment, zone="America/New_York") == "Sun 29 Nov 2026, 12:19"
    assert change_value("session_date", "2026-11-29") == "Sun 29 Nov 2026"
