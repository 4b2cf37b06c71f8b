"""A student's personal data as files: one workbook (a sheet per kind of record) or JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from typing import Any

from admin_site.export.workbook import export_filename, write_workbook
from domain.formatting import action_label, label
from domain.services.personal_data import PersonalData

#: Columns holding a stored code ("completed", "venmo") the sheet shows in words.
_CODES = frozenset(
    {
        "status",
        "payment_status",
        "payment_method",
        "pricing_type",
        "source",
        "kind",
        "student_type",
        "entity_type",
    }
)
#: What an empty kind of record shows, so every kind still has its sheet.
NOTHING = "Nothing stored"


def personal_data_sheets(data: PersonalData) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, headers, rows) for each kind of record; nested values as JSON text."""
    sheets: list[tuple[str, list[str], list[list[Any]]]] = []
    for title, rows in data.sections.items():
        if not rows:
            sheets.append((title.capitalize(), [NOTHING], []))
            continue
        keys = list(rows[0])
        cells = [[_cell(key, row[key]) for key in keys] for row in rows]
        sheets.append((title.capitalize(), [label(key) for key in keys], cells))
    return sheets


def write_personal_data_workbook(data: PersonalData, zone: tzinfo) -> tuple[str, str]:
    """The workbook in a temporary file: (path, file name)."""
    path = write_workbook(personal_data_sheets(data), zone=zone)
    return path, personal_data_filename(data, zone, "xlsx")


def personal_data_json(data: PersonalData) -> bytes:
    """The stored values for another program: times as ISO 8601 in UTC, amounts as text."""
    document = {"student": data.student_id, **data.sections}
    return json.dumps(document, indent=2, ensure_ascii=False, default=_json_value).encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def personal_data_filename(data: PersonalData, zone: tzinfo, suffix: str) -> str:
    """'Personal data - Jamie Newcomer - 2026-11-29.xlsx' (or .json)."""
    name = export_filename("Personal data", data.name, day=datetime.now(zone).date())
    return name.removesuffix(".xlsx") + f".{suffix}"


def _cell(key: str, value: Any) -> Any:
    """A value as a person reads it: states in words, audit actions as phrases."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if key == "action" and isinstance(value, str):
        return action_label(value)
    if key in _CODES and isinstance(value, str):
        return label(value)
    return value
