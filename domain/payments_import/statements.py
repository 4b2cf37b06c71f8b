"""Read the incoming payments of a Venmo statement or a bank's CSV (Zelle) statement.

Venmo's "Download statement" CSV has a title line and an "Account Activity"
line, then the table (an unnamed first column, ``ID, Datetime, Type, Status,
Note, From, To, Amount (total), ...``), a beginning-balance row and an
ending-balance row with a disclaimer. Amounts read ``+ $1,234.50`` or
``- $20.00``. A bank's CSV may open with summary lines too; its table has a
date, a description ("Zelle payment from JANE DOE Conf# AB12CD"), a signed
amount and often a reference column. Outgoing payments, rows not yet complete
and (in a bank statement) rows that are not Zelle payments are left out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from domain.enums import PaymentMethod
from domain.errors import ValidationError

#: Bigger than any statement a studio downloads for a month or a year.
MAX_ROWS = 20_000

_VENMO_COLUMNS = ("id", "datetime", "amount (total)")
_BANK_DATE_COLUMNS = ("date", "posting date", "posted date", "transaction date", "booking date")
_BANK_REFERENCE_COLUMNS = (
    "reference",
    "reference number",
    "reference no.",
    "transaction id",
    "confirmation",
    "confirmation number",
    "check or slip #",
)
_ZELLE_SENDER = re.compile(
    r"zelle\s+(?:payment|transfer|credit)?\s*from\s+(?P<sender>.+?)"
    r"(?:\s+(?:conf(?:irmation)?\s*#|ref(?:erence)?\s*#?|on\s+\d{2}/\d{2})|\s+[A-Z0-9]*\d[A-Z0-9]{5,}\b|$)",
    re.IGNORECASE,
)
_ZELLE_CONFIRMATION = re.compile(
    r"(?:conf(?:irmation)?|ref(?:erence)?)\s*#?\s*:?\s*(?P<id>[A-Z0-9]{4,})", re.IGNORECASE
)
_TRAILING_ID = re.compile(r"\b(?P<id>[A-Z0-9]*\d[A-Z0-9]{5,})\s*$", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y")


@dataclass(frozen=True)
class IncomingPayment:
    """One payment received, as the statement shows it."""

    #: The statement's transaction id: the payment's reference once confirmed.
    transaction_id: str
    received_on: date
    amount: Decimal
    sender: str
    #: Venmo's note, or the bank's description (which is all a bank shows).
    note: str


@dataclass(frozen=True)
class Statement:
    method: PaymentMethod
    payments: list[IncomingPayment]
    #: Rows left out: outgoing, not complete, not a Zelle payment.
    ignored: int


def parse_amount(text: str) -> Decimal:
    """``+ $1,234.50`` -> 1234.50, ``- $20.00`` and ``($20.00)`` -> -20.00."""
    raw = text.strip()
    negative = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
    digits = re.sub(r"[\s$+\-(),]|USD", "", raw)
    try:
        amount = Decimal(digits)
    except InvalidOperation as exc:
        raise ValidationError(f"{text.strip()!r} is not an amount.", field="statement") from exc
    if not amount.is_finite():
        raise ValidationError(f"{text.strip()!r} is not an amount.", field="statement")
    return -amount if negative else amount


def parse_day(text: str) -> date:
    raw = text.strip()
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        pass
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, layout).date()
        except ValueError:
            continue
    raise ValidationError(f"{raw!r} is not a date.", field="statement")


def parse_statement(text: str) -> Statement:
    """The incoming payments of a Venmo or bank CSV statement; refuses any other file."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            f"This statement has more than {MAX_ROWS:,} rows; download a shorter period.",
            field="statement",
        )
    for index, row in enumerate(rows[:30]):
        names = [cell.strip().lower() for cell in row]
        if all(column in names for column in _VENMO_COLUMNS):
            return _venmo(names, rows[index + 1 :])
        if (
            "description" in names
            and "amount" in names
            and _first(names, _BANK_DATE_COLUMNS) is not None
        ):
            return _bank(names, rows[index + 1 :])
    raise ValidationError(
        "This file is not a Venmo statement nor a bank statement we can read: no row names "
        "the columns (Venmo: ID, Datetime, Amount (total); a bank: Date, Description, Amount).",
        field="statement",
    )


def _first(names: list[str], candidates: tuple[str, ...]) -> int | None:
    for candidate in candidates:
        if candidate in names:
            return names.index(candidate)
    return None


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return " ".join(row[index].split())


def _venmo(names: list[str], rows: list[list[str]]) -> Statement:
    at = {name: i for i, name in enumerate(names) if name}
    payments: list[IncomingPayment] = []
    ignored = 0
    for row in rows:
        transaction_id = _cell(row, at["id"])
        if not transaction_id:
            continue  # balance rows, the disclaimer, blank lines
        amount = parse_amount(_cell(row, at["amount (total)"]))
        status = _cell(row, at.get("status")).lower()
        if amount <= 0 or status not in ("complete", "completed", "issued"):
            ignored += 1
            continue
        payments.append(
            IncomingPayment(
                transaction_id=transaction_id,
                received_on=parse_day(_cell(row, at["datetime"])),
                amount=amount,
                sender=_cell(row, at.get("from")),
                note=_cell(row, at.get("note")),
            )
        )
    return Statement(PaymentMethod.VENMO, payments, ignored)


def _bank(names: list[str], rows: list[list[str]]) -> Statement:
    day_at = _first(names, _BANK_DATE_COLUMNS)
    description_at = names.index("description")
    amount_at = names.index("amount")
    reference_at = _first(names, _BANK_REFERENCE_COLUMNS)
    status_at = _first(names, ("status",))
    payments: list[IncomingPayment] = []
    ignored = 0
    for row in rows:
        amount_text, description = _cell(row, amount_at), _cell(row, description_at)
        if not amount_text or not _cell(row, day_at):
            continue  # blank lines, totals
        amount = parse_amount(amount_text)
        sender = _ZELLE_SENDER.search(description)
        pending = _cell(row, status_at).lower() in ("pending", "processing")
        if amount <= 0 or sender is None or pending:
            ignored += 1
            continue
        received_on = parse_day(_cell(row, day_at))
        payments.append(
            IncomingPayment(
                transaction_id=_bank_reference(
                    _cell(row, reference_at), description, received_on, amount
                ),
                received_on=received_on,
                amount=amount,
                sender=sender.group("sender").strip(),
                note=description,
            )
        )
    return Statement(PaymentMethod.ZELLE, payments, ignored)


def _bank_reference(column: str, description: str, day: date, amount: Decimal) -> str:
    """The bank's id of the transfer: its column, the description's "Conf#", or its last code.

    A bank that shows none gets a fingerprint of the row, the same on every
    download, so that the same transfer is still recognised.
    """
    if column:
        return column
    for pattern in (_ZELLE_CONFIRMATION, _TRAILING_ID):
        found = pattern.search(description)
        if found:
            return found.group("id").upper()
    digest = hashlib.sha256(f"{day}|{amount}|{description.lower()}".encode()).hexdigest()
    return f"row-{digest[:16]}"
