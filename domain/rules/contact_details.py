"""Checks on the names, emails and phone numbers people type into sign-up forms."""

from __future__ import annotations

import re

from domain.errors import ValidationError
from domain.rules.identifiers import is_storable

# Deliberately loose: one @, no spaces, a dot in the domain. Delivery is the real test.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_EMAIL = 254

#: Characters that change how the text around them is shown, or are not shown at
#: all: bidirectional embeddings, overrides and isolates (U+202A..U+202E,
#: U+2066..U+2069), direction marks (U+200E, U+200F, U+061C), and zero-width or
#: invisible characters (U+00AD soft hyphen, U+180E, U+200B..U+200D, U+2060..U+2064,
#: U+FEFF). In a name or an address they make "Ana" and "A\u200bna" two people,
#: or turn a school name around on a staff screen and in an email. Refused in
#: every one-line field and in email addresses; free text keeps them.
INVISIBLE_CHARACTERS = frozenset(
    "\u00ad\u061c\u180e"
    "\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069"
    "\ufeff"
)


def refuse_invisible_characters(raw: str, *, field: str, label: str) -> None:
    """Refuse ``raw`` when it holds one of ``INVISIBLE_CHARACTERS``, naming the field."""
    if any(char in INVISIBLE_CHARACTERS for char in raw):
        raise ValidationError(
            f"{label} contains invisible or text-direction characters (such as a zero-width "
            "space or a right-to-left mark). Please type it again without them.",
            field=field,
        )


def normalise_email(raw: str, *, field: str = "email") -> str:
    """The address stripped and lower-cased (emails are unique case-insensitively)."""
    email = raw.strip().lower()
    if not email:
        raise ValidationError("Please enter your email address.", field=field)
    refuse_invisible_characters(raw, field=field, label="The email address")
    if len(email) > MAX_EMAIL or not _EMAIL.match(email) or not is_storable(email):
        raise ValidationError(
            f"{raw.strip()[:80]!r} is not an email address we can write to.", field=field
        )
    return email


def clean_line(raw: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    """One line of text: trimmed, no control or invisible characters, within the column's size."""
    value = " ".join(raw.split())
    if not is_storable(raw) or any(ord(c) < 32 or ord(c) == 127 for c in raw if c not in "\t\r\n"):
        raise ValidationError(f"{label} contains characters we cannot store.", field=field)
    refuse_invisible_characters(raw, field=field, label=label)
    if required and not value:
        raise ValidationError(f"Please enter {label.lower()}.", field=field)
    if len(value) > max_length:
        raise ValidationError(f"{label} must be at most {max_length} characters.", field=field)
    return value


def clean_text(raw: str, *, field: str, label: str, max_length: int = 5000) -> str:
    """Free text (several lines allowed), trimmed and bounded."""
    value = raw.strip()
    if not is_storable(value):
        raise ValidationError(f"{label} contains characters we cannot store.", field=field)
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
