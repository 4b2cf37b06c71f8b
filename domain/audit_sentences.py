"""Audit entries as sentences a person reads: who did what to what, with the amount.

"Priya Patel confirmed payment of $110.00 for Jamie Newcomer — Contemporary Technique".
The one place an audit entry is put into words; the audit log, its detail page
and the dashboard's recent activity all call ``audit_sentence``. Pure functions
over plain values: what the entry's row is called (``Subject``) is loaded by
``domain.services.audit_log``, or read from the entry's own changes when the row
is gone.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from domain.enums import ActorKind
from domain.formatting import (
    action_text,
    clock_time,
    label,
    local_date,
    local_datetime,
    money,
)
from domain.rules.settings import LABELS as SETTING_LABELS


class EntryFacts(Protocol):
    """What a sentence is read from: an ``AuditEntry``, or anything shaped like one."""

    @property
    def action(self) -> str: ...

    @property
    def actor_kind(self) -> str: ...

    @property
    def actor_label(self) -> str: ...

    @property
    def entity_type(self) -> str: ...

    @property
    def entity_id(self) -> str: ...

    @property
    def changes(self) -> Mapping[str, Any]: ...

    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class Subject:
    """What the entry's row is called: a student's name, a course's title, a day, an amount."""

    #: A person's name: the student of a registration, a staff member.
    person: str = ""
    #: A thing's name: a course's title, a school's name, a setting's label.
    thing: str = ""
    day: date | None = None
    clock: time | None = None
    amount: Decimal | None = None
    #: A word that tells it apart: a price's or registration's type, a slot's weekday.
    detail: str = ""


#: What each action says, the actor first; the first form whose blanks are all known is used.
SENTENCES: Mapping[str, tuple[str, ...]] = {
    "payment.confirm": (
        "{actor} confirmed payment of {amount} for {subject}",
        "{actor} confirmed payment for {subject}",
    ),
    "payment.refund": (
        "{actor} refunded payment of {amount} for {subject}",
        "{actor} refunded payment for {subject}",
    ),
    "registration.create": (
        "{actor} registered {person} for {thing} ({amount}, {detail})",
        "{actor} registered {person} for {thing}",
    ),
    "registration.cancel": ("{actor} cancelled {person}'s registration for {thing}",),
    "registration.uncancel": ("{actor} restored {person}'s cancelled registration for {thing}",),
    "registration.expire": ("{actor} released {person}'s unpaid booking for {thing}",),
    "registration.resend_confirmation": (
        "{actor} resent {person}'s confirmation for {thing} to {reason}",
        "{actor} resent {person}'s confirmation for {thing}",
    ),
    "certificate.issue": ("{actor} issued {person} a certificate of attendance for {thing}",),
    "certificate.reissue": ("{actor} re-issued {person}'s certificate of attendance for {thing}",),
    "email.staff_message": (
        "{actor} emailed “{reason}” to {person} about {thing}",
        "{actor} emailed {person} about {thing}",
    ),
    "attendance.mark": (
        "{actor} marked {person} {status} at {thing} on {when}",
        "{actor} marked {person} {status} at {thing}",
    ),
    "attendance.unmark": (
        "{actor} cleared {person}'s attendance mark at {thing} on {when}",
        "{actor} cleared an attendance mark",
    ),
    "class_session.generate": (
        "{actor} added a class session of {thing} on {when}",
        "{actor} added a class session of {thing}",
    ),
    "class_session.move": (
        "{actor} moved the class session of {thing} on {when}",
        "{actor} moved a class session of {thing}",
    ),
    "class_session.cancel": (
        "{actor} cancelled the class session of {thing} on {when}",
        "{actor} cancelled a class session of {thing}",
    ),
    "waitlist.join": ("{actor} put {person} on the waitlist for {thing}",),
    "waitlist.offer": ("{actor} offered {person} a seat in {thing} from the waitlist",),
    "waitlist.offer_expire": ("{actor} let {person}'s waitlist offer for {thing} expire",),
    "waitlist.claim": ("{actor} took up {person}'s waitlist offer for {thing}",),
    "waitlist.decline": ("{actor} declined {person}'s waitlist offer for {thing}",),
    "waitlist.move": (
        "{actor} moved {person} to place {position} on the waitlist for {thing}",
        "{actor} moved {person} on the waitlist for {thing}",
    ),
    "waitlist.remove": ("{actor} removed {person} from the waitlist for {thing}",),
    "school.create": ("{actor} signed up the school {thing}",),
    "student.create": ("{actor} added the student {person}",),
    "student.classify": (
        "{actor} classified {person} as {student_type}",
        "{actor} classified {person}",
    ),
    "student.profile_link": ("{actor} sent {person} a link to their profile",),
    "student.profile_update": ("{actor} updated {person}'s profile",),
    "setting.update": (
        "{actor} changed the setting {thing} from “{before}” to “{after}”",
        "{actor} set the setting {thing} to “{after}”",
        "{actor} saved the setting {thing} unchanged",
    ),
    "staff.create": ("{actor} added {person} as a staff member",),
    "staff.update": ("{actor} changed the {fields} of {the}",),
    "staff.deactivate": ("{actor} deactivated the staff account of {person}",),
    "staff.reset_password": ("{actor} reset the password of {person}",),
    "staff.change_password": ("{actor} changed their password",),
    "staff.sign_in": ("{actor} signed in",),
    "demo.load": ("{actor} loaded the demo data",),
    # The reason of an import says what came in: "imported students from roster.xlsx — ...".
    "import": ("{actor} {reason}",),
    "create": ("{actor} added {the}",),
    "update": ("{actor} changed the {fields} of {the}", "{actor} changed {the}"),
    "delete": ("{actor} deleted {the}",),
}

#: How the row of each kind is named after the verb ("the course Salsa Basics").
_PHRASES: Mapping[str, tuple[str, ...]] = {
    "Registration": ("{person}'s registration for {thing}",),
    "WaitlistEntry": ("{person}'s waitlist entry for {thing}",),
    "Attendance": ("the attendance of {person} at {thing} on {when}",),
    "ClassSession": ("the class session of {thing} on {when}", "a class session of {thing}"),
    "CourseSlot": ("the {detail} slot of {thing}", "a slot of {thing}"),
    "Price": ("the {detail} price of {thing}", "a price of {thing}"),
    "ContactLog": ("the contact entry with {thing}",),
    "StaffUser": ("the staff account of {person}",),
    "Setting": ("the setting {thing}",),
}

#: The words of a kind of row when a sentence names it without its name.
_NOUNS: Mapping[str, str] = {
    "ContactLog": "contact entry",
    "CourseSlot": "slot",
    "StaffUser": "staff account",
    "Attendance": "attendance mark",
}

#: Actions whose reason is part of the sentence, or says nothing a person needs.
_REASON_IN_SENTENCE = frozenset(
    {"registration.resend_confirmation", "email.staff_message", "registration.expire", "import"}
)
#: What the reason is called after the sentence, where it is not "reason".
_REASON_WORDS: Mapping[str, str] = {"registration.create": "rule overridden"}
#: Fields holding an amount of money.
_AMOUNTS = frozenset({"amount_due", "amount"})
#: A day or a moment as the audit stores it ("2026-11-29", "2026-11-29T12:19:26+00:00").
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:[+-]\d{2}:\d{2}|Z)?)?$")
#: Changed fields named in an "update" sentence before "and N more".
_FIELDS_NAMED = 3


def actor_words(kind: str, actor_label: str, staff_name: str = "") -> str:
    """Who acted: a staff member's name, "Public visitor 203.0.113.9", "Script 'import'"."""
    given = actor_label.strip()
    if kind == ActorKind.STAFF:
        return staff_name or given or "A staff member"
    if kind == ActorKind.PUBLIC:
        address = given.removeprefix("public").strip()
        return f"Public visitor {address}" if address else "A public visitor"
    if kind == ActorKind.SCRIPT:
        return f"Script '{given}'" if given else "A script"
    if kind == ActorKind.SYSTEM:
        return "Rollbook"
    return given or "Someone"


def audit_sentence(
    entry: EntryFacts, *, actor: str, subject: Subject | None, currency: str = "USD"
) -> str:
    """The entry as one sentence, actor first, the reason in brackets at the end.

    ``subject`` is None when the row is gone and its changes do not name it.
    """
    blanks = _blanks(entry, actor, subject or Subject(), currency)
    forms = SENTENCES.get(entry.action, ())
    sentence = _first_filled(forms, blanks)
    if sentence is None:
        the = blanks["the"]
        sentence = f"{actor} {action_text(entry.action)}" + (f" — {the}" if the else "")
    reason = " ".join(entry.reason.split())
    if reason and entry.action not in _REASON_IN_SENTENCE and "{reason}" not in sentence:
        sentence += f" ({_REASON_WORDS.get(entry.action, 'reason')}: {reason})"
    return sentence


def subject_from_changes(
    entity_type: str,
    changes: Mapping[str, Any],
    *,
    people: Mapping[int, str],
    courses: Mapping[int, str],
) -> Subject | None:
    """What a row no longer in the database was called, read from its entry's changes.

    A deleted row's entry holds every field's last value; a created one's, the
    fields it was given. ``people`` and ``courses`` name the students and courses
    those fields point to.
    """
    person = _joined(_value(changes, "first_name"), _value(changes, "last_name"))
    person = person or _text(_value(changes, "full_name")) or _text(_value(changes, "username"))
    thing = _text(_value(changes, "title")) or _text(_value(changes, "name"))
    student, course = _value(changes, "student_id"), _value(changes, "course_id")
    if isinstance(student, int):
        person = person or people.get(student, "")
    if isinstance(course, int):
        thing = thing or courses.get(course, "")
    if entity_type == "Setting":
        thing = thing or setting_label(_text(_value(changes, "key")))
    if not (person or thing):
        return None
    return Subject(person=person, thing=thing, amount=_amount(changes))


def setting_label(key: str) -> str:
    """A setting's name in words ("payment_hold_hours" -> its label)."""
    if not key:
        return ""
    return SETTING_LABELS.get(key) or label(key)


def field_words(name: str) -> str:
    """A changed field in words: "amount_due" -> "amount due"; "course_id" -> "course"."""
    return label(name.removesuffix("_id")).lower()


def change_value(name: str, value: Any, *, zone: str = "UTC", currency: str = "USD") -> str:
    """A value from an entry's changes in words: labels, money, the studio's clock; "—" for none.

    Changes are stored as JSON: moments and days as ISO text, amounts as decimal text.
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in _AMOUNTS and not isinstance(value, bool):
        try:
            return money(Decimal(str(value)), currency)
        except InvalidOperation:
            return str(value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        return _iso_words(value, zone)
    if isinstance(value, str) and value.islower() and " " not in value.strip("_"):
        return label(value)
    return str(value)


def _iso_words(value: str, zone: str) -> str:
    try:
        if len(value) == 10:
            return local_date(date.fromisoformat(value))
        return local_datetime(datetime.fromisoformat(value), zone)
    except ValueError:
        return value


def _blanks(entry: EntryFacts, actor: str, subject: Subject, currency: str) -> dict[str, str]:
    changes = entry.changes or {}
    amount = _amount(changes)
    amount = amount if amount is not None else subject.amount
    when = local_date(subject.day)
    if when and subject.clock is not None:
        when = f"{when}, {clock_time(subject.clock)}"
    blanks = {
        "actor": actor,
        "person": subject.person,
        "thing": subject.thing,
        "subject": " — ".join(part for part in (subject.person, subject.thing) if part),
        "amount": money(amount, currency) if amount is not None else "",
        "detail": subject.detail,
        "when": when,
        "reason": " ".join(entry.reason.split()),
        "status": label(_text(_new(changes, "status"))).lower(),
        "student_type": label(_text(_new(changes, "student_type"))),
        "position": _text(_new(changes, "position")),
        "before": _text(_old(changes, "value")),
        "after": _text(_new(changes, "value")),
        "fields": _fields(changes),
    }
    blanks["the"] = _phrase(entry.entity_type, blanks)
    return blanks


def _phrase(entity_type: str, blanks: Mapping[str, str]) -> str:
    """The row after the verb: "the course Salsa Basics", or "a course since deleted"."""
    found = _first_filled(_PHRASES.get(entity_type, ()), blanks)
    if found is not None:
        return found
    noun = _NOUNS.get(entity_type) or label(entity_type).lower() or "record"
    name = blanks["subject"]
    if name:
        return f"the {noun} {name}"
    article = "an" if noun[:1] in "aeiou" else "a"
    return f"{article} {noun} since deleted"


def _first_filled(forms: tuple[str, ...], blanks: Mapping[str, str]) -> str | None:
    for form in forms:
        names = [name for _, name, _, _ in string.Formatter().parse(form) if name]
        if all(blanks.get(name) for name in names):
            return form.format_map(blanks)
    return None


def _fields(changes: Mapping[str, Any]) -> str:
    names = [field_words(name) for name in changes if name != "updated_at"]
    if len(names) > _FIELDS_NAMED:
        rest = len(names) - _FIELDS_NAMED
        names = [*names[:_FIELDS_NAMED], f"{rest} more field{'s' if rest > 1 else ''}"]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _pair(changes: Mapping[str, Any], name: str) -> tuple[Any, Any]:
    value = changes.get(name)
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, None


def _old(changes: Mapping[str, Any], name: str) -> Any:
    return _pair(changes, name)[0]


def _new(changes: Mapping[str, Any], name: str) -> Any:
    return _pair(changes, name)[1]


def _value(changes: Mapping[str, Any], name: str) -> Any:
    """The field's value as the entry knew it: after the change, else before (a deletion)."""
    old, new = _pair(changes, name)
    return new if new is not None else old


def _amount(changes: Mapping[str, Any]) -> Decimal | None:
    for name in ("amount_due", "amount"):
        value = _value(changes, name)
        if value is None or isinstance(value, bool):
            continue
        try:
            return Decimal(str(value))
        except InvalidOperation:
            continue
    return None


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _joined(*parts: Any) -> str:
    return " ".join(text for part in parts if (text := _text(part)))
