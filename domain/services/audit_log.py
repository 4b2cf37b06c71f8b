"""Audit entries read back as sentences: names loaded for a whole page in one statement.

The sentences themselves are ``domain.audit_sentences``; here is what they need
from the database: the staff members' names and what each entry's row is called
(a registration's student and course, a session's course and day, ...). Whatever
the number of entries, that is one ``UNION ALL`` statement: a page's cost does not
grow with its rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Select, String, Time, case, literal, null, select, union_all
from sqlalchemy.orm import Session

from domain.audit_sentences import (
    EntryFacts,
    Subject,
    actor_words,
    audit_sentence,
    change_value,
    field_words,
    setting_label,
    subject_from_changes,
)
from domain.db import tables as t
from domain.db.types import Money
from domain.enums import ActorKind
from domain.formatting import clock_time, label, local_date, weekday
from domain.model import AuditEntry

#: Fields of an entry's changes that point to another row, and that row's kind.
_POINTERS = {
    "student_id": "Student",
    "course_id": "Course",
    "school_id": "School",
    "staff_user_id": "StaffUser",
    "created_by_id": "StaffUser",
    "cancelled_by_id": "StaffUser",
    "payment_confirmed_by_id": "StaffUser",
    "marked_by_id": "StaffUser",
}


@dataclass(frozen=True)
class Activity:
    """One line of recent activity: when, and what happened in words."""

    entry_id: int
    occurred_at: datetime
    sentence: str


@dataclass
class Names:
    """What the entries of a page name, loaded at once."""

    staff: dict[int, str] = field(default_factory=dict)
    #: What each row is called, by (entity type, id).
    subjects: dict[tuple[str, int], Subject] = field(default_factory=dict)

    def person(self, kind: str, key: int) -> str:
        found = self.subjects.get((kind, key))
        return found.person if found else ""

    def thing(self, kind: str, key: int) -> str:
        found = self.subjects.get((kind, key))
        return found.thing if found else ""


def describe_entries(
    session: Session, entries: Sequence[EntryFacts], *, currency: str
) -> list[str]:
    """Each entry as a sentence, in order; one statement whatever their number."""
    names = load_names(session, entries)
    return [describe(entry, names, currency=currency) for entry in entries]


def describe(entry: EntryFacts, names: Names, *, currency: str) -> str:
    """One entry as a sentence, with names ``load_names`` loaded."""
    return audit_sentence(
        entry, actor=actor_of(entry, names), subject=subject_of(entry, names), currency=currency
    )


def actor_of(entry: EntryFacts, names: Names) -> str:
    """Who acted, in words: a staff member's name where known, else the stored label."""
    staff_name = ""
    actor_id = getattr(entry, "actor_id", None)
    if entry.actor_kind == ActorKind.STAFF and isinstance(actor_id, int):
        staff_name = names.staff.get(actor_id, "")
    return actor_words(entry.actor_kind, entry.actor_label, staff_name)


def change_lines(
    entry: EntryFacts, names: Names, *, zone: str, currency: str
) -> list[tuple[str, str, str]]:
    """(field, before, after) in words for each field the entry changed.

    A field pointing to another row names it ("Jamie Newcomer", not 4).
    """
    lines = []
    for name, pair in (entry.changes or {}).items():
        if name == "updated_at":
            continue
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        words = [
            _pointed(names, name, value) or change_value(name, value, zone=zone, currency=currency)
            for value in (old, new)
        ]
        lines.append((field_words(name).capitalize(), words[0], words[1]))
    return lines


def _pointed(names: Names, name: str, value: Any) -> str:
    kind = _POINTERS.get(name)
    if kind is None or not isinstance(value, int) or isinstance(value, bool):
        return ""
    if kind == "StaffUser":
        return names.staff.get(value, "")
    found = names.subjects.get((kind, value))
    return (found.person or found.thing) if found else ""


def record_words(entry: EntryFacts, names: Names) -> str:
    """Which row the entry is about: "Registration: Jamie Newcomer — Contemporary Technique"."""
    kind = label(entry.entity_type)
    subject = subject_of(entry, names)
    named = " — ".join(part for part in (subject.person, subject.thing) if part) if subject else ""
    return f"{kind}: {named}" if named else kind


def subject_of(entry: EntryFacts, names: Names) -> Subject | None:
    """What the entry's row is called: loaded, or read from the changes when it is gone."""
    if entry.entity_type == "Setting":
        return Subject(thing=setting_label(entry.entity_id))
    key = _int(entry.entity_id)
    if key is not None:
        found = names.subjects.get((entry.entity_type, key))
        if found is not None:
            return found
        if entry.entity_type == "StaffUser" and key in names.staff:
            return Subject(person=names.staff[key])
    people = {k: s.person for (kind, k), s in names.subjects.items() if kind == "Student"}
    courses = {k: s.thing for (kind, k), s in names.subjects.items() if kind == "Course"}
    return subject_from_changes(
        entry.entity_type, entry.changes or {}, people=people, courses=courses
    )


#: Entries the dashboard's recent activity leaves out: every sign-in would crowd the changes out.
QUIET_ACTIONS = ("staff.sign_in",)


def recent_activity(session: Session, *, currency: str, limit: int = 8) -> list[Activity]:
    """The latest changes as sentences, newest first (two statements); sign-ins left out."""
    a = t.audit_entries.c
    entries = session.scalars(
        select(AuditEntry)
        .where(a.action.not_in(QUIET_ACTIONS))
        .order_by(a.occurred_at.desc(), a.id.desc())
        .limit(limit)
    ).all()
    sentences = describe_entries(session, entries, currency=currency)
    return [
        Activity(entry.id or 0, entry.occurred_at, sentence)
        for entry, sentence in zip(entries, sentences, strict=True)
    ]


def load_names(session: Session, entries: Iterable[EntryFacts]) -> Names:
    """The names the entries need, in one statement."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        actor_id = getattr(entry, "actor_id", None)
        if isinstance(actor_id, int):
            wanted["StaffUser"].add(actor_id)
        key = _int(entry.entity_id)
        if key is not None:
            wanted[entry.entity_type].add(key)
        for name, kind in _POINTERS.items():
            for value in _pair_values((entry.changes or {}).get(name)):
                wanted[kind].add(value)
    branches = [_BRANCHES[kind](sorted(ids)) for kind, ids in wanted.items() if kind in _BRANCHES]
    # Always one statement, even when no entry names anything: a page's cost never
    # depends on what its entries are.
    branches = branches or [_staff([])]
    names = Names()
    for row in session.execute(union_all(*branches)):
        kind, key = row.kind, row.key
        if kind == "StaffUser":
            names.staff[key] = row.person or ""
        names.subjects[(kind, key)] = _subject(kind, row)
    return names


def _subject(kind: str, row: Any) -> Subject:
    detail = row.detail or ""
    if kind == "CourseSlot":
        # A weekly slot's weekday, or the one day it meets.
        day = weekday(int(detail)) if detail.isdigit() else local_date(row.day)
        detail = " ".join(part for part in (day, clock_time(row.clock)) if part)
    elif kind in ("Registration", "Price"):
        detail = label(detail)
    return Subject(
        person=" ".join((row.person or "").split()),
        thing=row.thing or "",
        day=row.day if isinstance(row.day, date) else None,
        clock=row.clock if isinstance(row.clock, time) and kind != "CourseSlot" else None,
        amount=row.amount if isinstance(row.amount, Decimal) else None,
        detail=detail,
    )


def _branch(
    kind: str,
    key: Any,
    ids: list[int],
    *,
    person: Any = None,
    thing: Any = None,
    day: Any = None,
    clock: Any = None,
    amount: Any = None,
    detail: Any = None,
) -> Select[Any]:
    """One kind's rows, as the union's columns; a column it has no value for is a typed NULL."""
    return select(
        literal(kind, String).label("kind"),
        key.label("key"),
        (person if person is not None else null().cast(String)).label("person"),
        (thing if thing is not None else null().cast(String)).label("thing"),
        (day if day is not None else null().cast(Date)).label("day"),
        (clock if clock is not None else null().cast(Time)).label("clock"),
        (amount if amount is not None else null().cast(Money)).label("amount"),
        (detail if detail is not None else null().cast(String)).label("detail"),
    ).where(key.in_(ids))


def _name(first: Any, last: Any) -> Any:
    return first + " " + last


def _registrations(ids: list[int]) -> Select[Any]:
    r, st, c = t.registrations.c, t.students.c, t.courses.c
    return _branch(
        "Registration",
        r.id,
        ids,
        person=_name(st.first_name, st.last_name),
        thing=c.title,
        amount=r.amount_due,
        detail=r.pricing_type,
    ).select_from(
        t.registrations.join(t.students, st.id == r.student_id).join(t.courses, c.id == r.course_id)
    )


def _waitlist(ids: list[int]) -> Select[Any]:
    w, st, c = t.waitlist_entries.c, t.students.c, t.courses.c
    return _branch(
        "WaitlistEntry", w.id, ids, person=_name(st.first_name, st.last_name), thing=c.title
    ).select_from(
        t.waitlist_entries.join(t.students, st.id == w.student_id).join(
            t.courses, c.id == w.course_id
        )
    )


def _attendance(ids: list[int]) -> Select[Any]:
    a, r, st, cs, c = (
        t.attendance.c,
        t.registrations.c,
        t.students.c,
        t.class_sessions.c,
        t.courses.c,
    )
    return _branch(
        "Attendance",
        a.id,
        ids,
        person=_name(st.first_name, st.last_name),
        thing=c.title,
        day=cs.session_date,
        clock=cs.start_time,
    ).select_from(
        t.attendance.join(t.registrations, r.id == a.registration_id)
        .join(t.students, st.id == r.student_id)
        .join(t.class_sessions, cs.id == a.session_id)
        .join(t.courses, c.id == cs.course_id)
    )


def _class_sessions(ids: list[int]) -> Select[Any]:
    cs, c = t.class_sessions.c, t.courses.c
    return _branch(
        "ClassSession", cs.id, ids, thing=c.title, day=cs.session_date, clock=cs.start_time
    ).select_from(t.class_sessions.join(t.courses, c.id == cs.course_id))


def _slots(ids: list[int]) -> Select[Any]:
    s, c = t.course_slots.c, t.courses.c
    return _branch(
        "CourseSlot",
        s.id,
        ids,
        thing=c.title,
        day=s.practice_date,
        clock=s.start_time,
        detail=s.day_of_week.cast(String),
    ).select_from(t.course_slots.join(t.courses, c.id == s.course_id))


def _prices(ids: list[int]) -> Select[Any]:
    p, s, c = t.prices.c, t.course_slots.c, t.courses.c
    return _branch(
        "Price", p.id, ids, thing=c.title, amount=p.amount, detail=p.pricing_type
    ).select_from(
        t.prices.join(t.course_slots, s.id == p.slot_id).join(t.courses, c.id == s.course_id)
    )


def _students(ids: list[int]) -> Select[Any]:
    st = t.students.c
    return _branch("Student", st.id, ids, person=_name(st.first_name, st.last_name))


def _courses(ids: list[int]) -> Select[Any]:
    c = t.courses.c
    return _branch("Course", c.id, ids, thing=c.title)


def _schools(ids: list[int]) -> Select[Any]:
    s = t.schools.c
    return _branch("School", s.id, ids, thing=s.name)


def _contacts(ids: list[int]) -> Select[Any]:
    log, s = t.contact_logs.c, t.schools.c
    return _branch("ContactLog", log.id, ids, thing=s.name).select_from(
        t.contact_logs.join(t.schools, s.id == log.school_id)
    )


def _staff(ids: list[int]) -> Select[Any]:
    u = t.staff_users.c
    # A staff member without a full name is known by their username.
    return _branch(
        "StaffUser", u.id, ids, person=case((u.full_name == "", u.username), else_=u.full_name)
    )


_BRANCHES: Mapping[str, Any] = {
    "Registration": _registrations,
    "WaitlistEntry": _waitlist,
    "Attendance": _attendance,
    "ClassSession": _class_sessions,
    "CourseSlot": _slots,
    "Price": _prices,
    "Student": _students,
    "Course": _courses,
    "School": _schools,
    "ContactLog": _contacts,
    "StaffUser": _staff,
}


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


def _pair_values(value: Any) -> list[int]:
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
