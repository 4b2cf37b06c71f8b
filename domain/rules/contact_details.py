"""Checks on the names, emails and phone numbers people type into sign-up forms."""

from __future__ import annotations

import re

from domain.errors import ValidationError

# Deliberately loose: one @, no spaces, a dot in the domain. Delivery is the real test.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_EMAIL = 254


def normalise_email(raw: str, *, field: str = "email") -> str:
    """The address stripped and lower-cased (emails are unique case-insensitively)."""
    email = raw.strip().lower()
    if not email:
        raise ValidationError("Please enter your email address.", field=field)
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise ValidationError(
            f"{raw.strip()[:80]!r} is not an email address we can write to.", field=field
        )
    return email


def clean_line(raw: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    """One line of text: trimmed, no control characters, within the column's size."""
    value = " ".join(raw.split())
    if any(ord(c) < 32 or ord(c) == 127 for c in raw if c not in "\t\r\n"):
        raise ValidationError(f"{label} contains characters we cannot store.", field=field)
    if required and not value:
        raise ValidationError(f"Please enter {label.lower()}.", field=field)
    if len(value) > max_length:
        raise ValidationError(f"{label} must be at most {max_length} characters.", field=field)
    return value


def clean_text(raw: str, *, field: str, label: str, max_length: int = 5000) -> str:
    """Free text (several lines allowed), trimmed and bounded."""
    value = raw.strip()
    if len(value) > max_length:
        raise ValidationError(f"{label} must be at most {max_length} characters.", field=field)
    return value


def split_name(name: str) -> tuple[str, str]:
    """'Ana Maria Lopez' -> ('Ana', 'Maria Lopez'): first word, then the rest."""
    first, _, rest = name.strip().partition(" ")
    return first, rest.strip()


#: What students type about themselves on the registration and profile forms:
#: field -> (label in messages, column size, required).
_STUDENT_LINES: dict[str, tuple[str, int, bool]] = {
    "first_name": ("Your first name", 100, True),
    "last_name": ("Your last name", 100, False),
    "phone": ("Your phone number", 50, False),
    "title": ("Your title", 255, False),
    "emergency_contact": ("Emergency contact", 255, False),
}


def clean_student_field(field: str, raw: str) -> str:
    """One field a student typed about themselves, trimmed and checked."""
    if field == "experience":
        return clean_text(raw, field="experience", label="Experience")
    label, max_length, required = _STUDENT_LINES[field]
    return clean_line(raw, field=field, label=label, max_length=max_length, required=required)
