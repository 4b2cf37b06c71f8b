"""What each kind of import reads, and which column of the header row holds each field.

A header matches a field by its label or one of its aliases, compared without
case, spaces, dashes or underscores ("E-mail", "Email address" and "EMAIL" are
all the email). Staff may change the guessed mapping before applying.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ImportKind(StrEnum):
    SCHOOLS = "schools"
    STUDENTS = "students"
    REGISTRATIONS = "registrations"


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    aliases: tuple[str, ...] = ()


_EMAIL = ImportField("email", "Email", ("e-mail", "email address", "mail", "e-mail address"))
_FIRST = ImportField("first_name", "First name", ("first", "given name", "forename"))
_LAST = ImportField("last_name", "Last name", ("last", "surname", "family name"))
_NAME = ImportField("name", "Full name", ("full name", "student", "participant", "teacher"))
_PHONE = ImportField("phone", "Phone", ("phone number", "telephone", "mobile", "cell"))
_SCHOOL = ImportField("school", "School", ("school name",))

#: The fields of each kind, in the order the mapping form shows them.
FIELDS: dict[ImportKind, tuple[ImportField, ...]] = {
    ImportKind.SCHOOLS: (
        ImportField("name", "School name", ("school", "name")),
        ImportField("location", "Location", ("address", "city", "town")),
        ImportField("contact_name", "Contact name", ("contact", "contact person")),
        ImportField("contact_email", "Contact email", ("email", "e-mail", "contact e-mail")),
        ImportField("contact_phone", "Contact phone", ("phone", "telephone")),
        ImportField("comments", "Comments", ("notes", "note")),
    ),
    ImportKind.STUDENTS: (
        _FIRST,
        _LAST,
        _NAME,
        _EMAIL,
        _PHONE,
        ImportField("title", "Title", ("job title", "role", "position")),
        _SCHOOL,
        ImportField("notes", "Notes", ("note", "comments")),
    ),
    ImportKind.REGISTRATIONS: (
        _FIRST,
        _LAST,
        _NAME,
        _EMAIL,
        _PHONE,
        _SCHOOL,
        ImportField("course", "Course", ("course id", "course title", "class")),
    ),
}

#: field name -> column index (0-based) in the header row.
Mapping = dict[str, int]


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.:]+", "", text.casefold())


def guess_mapping(kind: ImportKind, headers: list[str]) -> Mapping:
    """Each field's column: the first header equal to its label or an alias."""
    by_key: dict[str, int] = {}
    for index, header in enumerate(headers):
        by_key.setdefault(_key(header), index)
    mapping: Mapping = {}
    taken: set[int] = set()
    # Labels first, so "Email" is the email even when "Mail" is also there.
    for field in FIELDS[kind]:
        column = by_key.get(_key(field.label), by_key.get(_key(field.name)))
        if column is not None and column not in taken:
            mapping[field.name] = column
            taken.add(column)
    for field in FIELDS[kind]:
        if field.name in mapping:
            continue
        for alias in field.aliases:
            found = by_key.get(_key(alias))
            if found is not None and found not in taken:
                mapping[field.name] = found
                taken.add(found)
                break
    return mapping


def field_names(kind: ImportKind) -> list[str]:
    return [field.name for field in FIELDS[kind]]
