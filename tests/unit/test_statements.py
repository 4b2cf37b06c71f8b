"""Reading a Venmo or bank statement: incoming, complete payments only, whatever the junk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.enums import PaymentMethod
from domain.errors import ValidationError
from domain.payments_import.matching import referenced_id, sender_is
from domain.payments_import.statements import parse_amount, parse_statement
from tests.statement_fixtures import bank_statement, venmo_row, venmo_statement


def test_venmo_statement_gives_incoming_complete_payments_past_its_header_and_balances() -> None:
    text = venmo_statement(
        venmo_row(
            "3240312810181230868",
            "2026-11-03T18:43:08",
            "+ $1,110.00",
            sender="Ana Lopez",
            note="Rollbook #12 Salsa Series 2030-02-04",
        ),
        venmo_row("3240312810181230869", "2026-11-04T09:00:00", "- $20.00", note="Rent"),
        venmo_row("3240312810181230870", "2026-11-05T09:00:00", "+ $45.00", status="Pending"),
        venmo_row(
            "3240312810181230871", "2026-11-06T10:15:00", "+ $80.00", sender="Tom Ng", note="🎶"
        ),
    )
    statement = parse_statement("\ufeff" + text)
    assert statement.method is PaymentMethod.VENMO
    assert statement.ignored == 2
    first, second = statement.payments
    assert first.transaction_id == "3240312810181230868"
    assert (first.received_on, first.amount) == (date(2026, 11, 3), Decimal("1110.00"))
    assert (first.sender, first.note) == ("Ana Lopez", "Rollbook #12 Salsa Series 2030-02-04")
    assert (second.sender, second.amount) == ("Tom Ng", Decimal("80.00"))


def test_bank_statement_gives_zelle_credits_with_sender_and_transaction_id() -> None:
    text = bank_statement(
        ["11/02/2026", "Zelle payment from ANA LOPEZ Conf# BAC7XK2P9", "1,110.00", "5,230.55", ""],
        ["11/03/2026", "Zelle payment to LANDLORD LLC Conf# BAC0001", "-900.00", "4,330.55", ""],
        ["11/04/2026", "PAYROLL DEPOSIT ACME", "2,000.00", "6,330.55", "PR-1"],
        ["11/05/2026", "Zelle payment from TOM NG 24681357912", "80.00", "6,410.55", ""],
        ["11/06/2026", "Zelle payment from MAYA ROSS", "$45.00", "6,455.55", "ZL-991"],
    )
    statement = parse_statement(text)
    assert statement.method is PaymentMethod.ZELLE
    assert statement.ignored == 2
    ana, tom, maya = statement.payments
    assert (ana.transaction_id, ana.sender, ana.amount) == (
        "BAC7XK2P9",
        "ANA LOPEZ",
        Decimal("1110.00"),
    )
    assert ana.received_on == date(2026, 11, 2)
    assert (tom.transaction_id, tom.sender) == ("24681357912", "TOM NG")
    assert (maya.transaction_id, maya.sender, maya.amount) == ("ZL-991", "MAYA ROSS", Decimal(45))


def test_bank_row_without_any_id_is_recognised_again_on_the_next_download() -> None:
    row = ["11/06/2026", "Zelle payment from MAYA ROSS", "45.00", "6,455.55", ""]
    [first] = parse_statement(bank_statement(row)).payments
    [again] = parse_statement(bank_statement(row)).payments
    assert first.transaction_id == again.transaction_id
    assert first.transaction_id.startswith("row-")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("+ $1,234.50", "1234.50"),
        ("- $20.00", "-20.00"),
        ("($20.00)", "-20.00"),
        ("-1,302.10", "-1302.10"),
        ("45", "45"),
    ],
)
def test_amounts_with_signs_dollars_and_commas(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


def test_a_file_that_is_no_statement_is_refused_with_what_was_expected() -> None:
    with pytest.raises(ValidationError, match="Venmo: ID, Datetime, Amount"):
        parse_statement("name,email\nAna,ana@example.org\n")


def test_a_bad_amount_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match="'lots' is not an amount"):
        parse_statement(venmo_statement(venmo_row("1", "2026-11-03T18:43:08", "lots")))


def test_reference_note_names_the_registration_whatever_the_case_and_spacing() -> None:
    assert referenced_id("Rollbook #12 Salsa Series 2030-02-04", "Rollbook") == 12
    assert referenced_id("paid for ROLLBOOK  # 7 thanks", "Rollbook") == 7
    assert referenced_id("Studio Uno #31 Tango", "Studio  Uno") == 31
    assert referenced_id("#12 Salsa", "Rollbook") is None


def test_sender_is_the_student_by_name_or_email() -> None:
    assert sender_is("ANA LOPEZ", first_name="Ana", last_name="López", email=None)
    assert sender_is("ana@example.org", first_name="A", last_name="L", email="ana@example.org")
    assert not sender_is("Ana Lopes", first_name="Ana", last_name="Lopez", email=None)
    assert not sender_is("", first_name="", last_name="", email=None)
