"""Statements as Venmo and a bank export them, built from their documented CSV columns.

Venmo's "Download statement" CSV: a title line, "Account Activity", the header
row (an unnamed first column, then ID, Datetime, Type, Status, Note, From, To,
Amount (total), Amount (tip), Amount (tax), Amount (fee), Tax Rate, Tax Exempt,
Funding Source, Destination, Beginning Balance, Ending Balance, Statement Period
Venmo Fees, Terminal Location, Year to Date Venmo Fees, Disclaimer), a
beginning-balance row, the transactions, an ending-balance row with the
disclaimer (several lines inside one quoted cell).

A bank's CSV (the shape Bank of America's checking download has): summary lines,
a blank line, then Date, Description, Amount, Running Bal.; here with a
Reference column as Chase and others add.
"""

from __future__ import annotations

import csv
import io

VENMO_COLUMNS = [
    "",
    "ID",
    "Datetime",
    "Type",
    "Status",
    "Note",
    "From",
    "To",
    "Amount (total)",
    "Amount (tip)",
    "Amount (tax)",
    "Amount (fee)",
    "Tax Rate",
    "Tax Exempt",
    "Funding Source",
    "Destination",
    "Beginning Balance",
    "Ending Balance",
    "Statement Period Venmo Fees",
    "Terminal Location",
    "Year to Date Venmo Fees",
    "Disclaimer",
]


def venmo_row(
    transaction_id: str,
    when: str,
    amount: str,
    *,
    sender: str = "Ana Lopez",
    note: str = "",
    kind: str = "Payment",
    status: str = "Complete",
) -> list[str]:
    row = [""] * len(VENMO_COLUMNS)
    values = {
        "ID": transaction_id,
        "Datetime": when,
        "Type": kind,
        "Status": status,
        "Note": note,
        "From": sender,
        "To": "Studio Rollbook",
        "Amount (total)": amount,
        "Amount (fee)": "0",
        "Funding Source": "Venmo balance" if amount.startswith("-") else "",
        "Destination": "Venmo balance" if amount.startswith("+") else "",
        "Terminal Location": "Venmo",
    }
    for name, value in values.items():
        row[VENMO_COLUMNS.index(name)] = value
    return row


def venmo_statement(*rows: list[str]) -> str:
    width = len(VENMO_COLUMNS)
    opening = [""] * width
    opening[VENMO_COLUMNS.index("Beginning Balance")] = "$1,250.00"
    closing = [""] * width
    closing[VENMO_COLUMNS.index("Ending Balance")] = "$2,630.00"
    closing[VENMO_COLUMNS.index("Statement Period Venmo Fees")] = "$0.00"
    closing[VENMO_COLUMNS.index("Year to Date Venmo Fees")] = "$0.00"
    closing[VENMO_COLUMNS.index("Disclaimer")] = (
        "In case of errors or questions about your electronic transfers:\n"
        "This is a recent statement, please contact us."
    )
    lines = [
        ["Account Statement - (@studio-rollbook) - November 1st to November 29th 2026"]
        + [""] * (width - 1),
        ["Account Activity"] + [""] * (width - 1),
        VENMO_COLUMNS,
        opening,
        *rows,
        closing,
    ]
    return _csv(lines)


def bank_statement(*rows: list[str]) -> str:
    """Rows of [Date, Description, Amount, Running Bal., Reference]."""
    lines = [
        ["Description", "", "Summary Amt."],
        ["Beginning balance as of 11/01/2026", "", "4,120.55"],
        ["Total credits", "", "1,410.00"],
        ["Total debits", "", "-1,302.10"],
        ["Ending balance as of 11/29/2026", "", "4,228.45"],
        [],
        ["Date", "Description", "Amount", "Running Bal.", "Reference"],
        ["11/01/2026", "Beginning balance as of 11/01/2026", "", "4,120.55", ""],
        *rows,
    ]
    return _csv(lines)


def _csv(lines: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue()
