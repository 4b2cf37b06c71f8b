"""Personal data on request: when a student may be erased, what an erased student is called,
which words of a text name them, and when a student has been inactive long enough to erase."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: What an erased value becomes inside an audit entry's changes.
ERASED_VALUE = "[erased]"
#: Names shorter than this are too common a string to hunt for in other rows' texts.
_MIN_NEEDLE = 3


def erased_name(student_id: int) -> str:
    """The anonymous placeholder an erased student is called by ("Erased student #12")."""
    return f"Erased student #{student_id}"


def is_erased(student_id: int, first_name: str, email: str | None) -> bool:
    return email is None and first_name == erased_name(student_id)


@dataclass(frozen=True)
class ErasureState:
    """What stands in the way of erasing a student."""

    erased: bool
    #: Registrations not cancelled whose payment is still awaited.
    unpaid: int
    #: Registrations that hold a seat on a course not yet over.
    upcoming: int
    #: Places in a waitlist's line (waiting, or offered a seat).
    in_line: int


def erasure_refusal(state: ErasureState) -> str | None:
    """Why the student may not be erased now; None when they may."""
    if state.erased:
        return "This student's personal data is already erased."
    if state.unpaid:
        it = "it" if state.unpaid == 1 else "them"
        return (
            f"This student has {_count(state.unpaid, 'unpaid registration')}: "
            f"cancel {it} first (or confirm the payment), then erase."
        )
    if state.upcoming:
        it = "it" if state.upcoming == 1 else "them"
        return (
            f"This student has {_count(state.upcoming, 'registration')} for a course not yet "
            f"over: cancel {it} first, then erase."
        )
    if state.in_line:
        return (
            f"This student waits on {_count(state.in_line, 'waitlist')}: "
            "remove them from it first, then erase."
        )
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def needles(*values: str | None) -> tuple[str, ...]:
    """The texts that identify a student (email, names), lower-cased, each once.

    Each is also given as JSON writes it inside a string, where a non-ASCII
    letter is an escape ("zoë" is stored "zo\\u00eb" in a JSON column).
    """
    found: list[str] = []
    for value in values:
        text = (value or "").strip().lower()
        if len(text) < _MIN_NEEDLE:
            continue
        for form in (text, json.dumps(text)[1:-1]):
            if form not in found:
                found.append(form)
    return tuple(found)


def names_them(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``words`` (case-insensitive)."""
    lowered = text.lower()
    return any(word in lowered for word in words)


def scrub(value: Any, words: tuple[str, ...]) -> Any:
    """``value`` (an audit entry's changes) with every string naming them replaced."""
    if isinstance(value, str):
        return ERASED_VALUE if names_them(value, words) else value
    if isinstance(value, list):
        return [scrub(item, words) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, words) for key, item in value.items()}
    return value


def scrub_fields(changes: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """``changes`` with the values of ``fields`` (personal ones) replaced, the field names kept."""
    return {
        key: [ERASED_VALUE if v is not None else None for v in value]
        if key in fields and isinstance(value, list)
        else (ERASED_VALUE if key in fields else value)
        for key, value in changes.items()
    }


def retention_cutoff(now: datetime, months: int) -> datetime | None:
    """The moment before which a student's last activity makes them due for erasure.

    None when retention is off (0 months). The day is kept, or the month's last
    day when the earlier month is shorter (31 March less one month: 28 or 29 February).
    """
    if months <= 0:
        return None
    index = now.year * 12 + (now.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(now.day, _days_in(year, month))
    return now.replace(year=year, month=month, day=day)


def _days_in(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime(year, month + 1, 1) - datetime(year, month, 1)).days


def redact(text: str, words: tuple[str, ...]) -> str:
    """``text`` with each of ``words`` (any case) replaced by the erased mark."""
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), ERASED_VALUE, text, flags=re.IGNORECASE)
    return text
