"""Where an erased student's name and email may still be written, and how each is wiped.

``erase_student`` (``domain.services.personal_data``) blanks the student's own
rows; these helpers find the texts elsewhere that name them: staff notes and
comments, emails to them or about them, audit entries' changes. Each runs a
fixed number of statements, whatever the number of rows it finds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    String,
    Table,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from domain.db import tables as t
from domain.enums import ActorKind, EmailStatus
from domain.rules.personal_data import names_them, redact, scrub, scrub_fields

#: Texts staff or students write freely, where a student's name may turn up.
FREE_TEXT: tuple[tuple[Table, str], ...] = (
    (t.registrations, "special_requests"),
    (t.registrations, "cancellation_reason"),
    (t.registrations, "override_reason"),
    (t.registrations, "payment_reference"),
    (t.waitlist_entries, "reason"),
    (t.contact_logs, "comment"),
    (t.schools, "comments"),
    (t.courses, "comment"),
    (t.class_sessions, "notes"),
)

#: Fields of the student's own audit entries that hold what they typed or are.
PERSONAL_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "title",
        "experience",
        "emergency_contact",
        "notes",
        "special_requests",
        "cancellation_reason",
        "override_reason",
        "client_address",
        "reason",
        "to",
        "name",
    }
)

_ERASED_EMAIL_NOTE = "Not sent: the recipient's personal data was erased."


def mentions(column: ColumnElement[Any], words: tuple[str, ...]) -> ColumnElement[bool]:
    """SQL: ``column``'s text holds one of ``words`` (any case)."""
    text = func.lower(cast(column, Text))
    return or_(*(text.contains(word, autoescape=True) for word in words))


def sweep_free_text(session: Session, words: tuple[str, ...]) -> None:
    """Replace the words naming the student in every free text of ``FREE_TEXT``."""
    for table, name in FREE_TEXT:
        column: Column[Any] = table.c[name]
        found = session.execute(select(table.c.id, column).where(mentions(column, words))).all()
        if found:
            session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({name: bindparam("text")}),
                [{"row_id": row_id, "text": redact(text, words)} for row_id, text in found],
            )


def wipe_emails(session: Session, email: str | None, words: tuple[str, ...]) -> None:
    """Emails to the student or about them: address, subject and body wiped; unsent ones dropped.

    The rows stay (with their kind and dates) so the outbox's history keeps its count.
    """
    e = t.outgoing_emails.c
    to_them = [e.to_address == email] if email else []
    about_them = [mentions(col, words) for col in (e.to_name, e.subject, e.body_text, e.last_error)]
    if not to_them and not words:
        return
    unsent = e.status.in_((EmailStatus.PENDING, EmailStatus.SENDING))
    session.execute(
        update(t.outgoing_emails)
        .where(or_(*to_them, *about_them))
        .values(
            to_address="",
            to_name="",
            subject="",
            body_text="",
            body_html="",
            last_error=_case_unsent(unsent),
            status=_status_unsent(unsent),
        )
        .execution_options(synchronize_session=False)
    )


def _case_unsent(unsent: ColumnElement[bool]) -> ColumnElement[str]:
    return case((unsent, literal(_ERASED_EMAIL_NOTE)), else_=literal("", String))


def _status_unsent(unsent: ColumnElement[bool]) -> ColumnElement[str]:
    return case((unsent, literal(EmailStatus.FAILED.value)), else_=t.outgoing_emails.c.status)


def own_entries_clause(
    student_id: int, registration_ids: list[int], waitlist_ids: list[int]
) -> ColumnElement[bool]:
    """SQL: an audit entry about the student, one of their registrations or waitlist places."""
    a = t.audit_entries.c
    about = [(a.entity_type == "Student") & (a.entity_id == str(student_id))]
    if registration_ids:
        about.append(
            (a.entity_type == "Registration") & a.entity_id.in_([str(i) for i in registration_ids])
        )
    if waitlist_ids:
        about.append(
            (a.entity_type == "WaitlistEntry") & a.entity_id.in_([str(i) for i in waitlist_ids])
        )
    return or_(*about)


def _actor_label(own: bool, kind: str, actor_label: str, words: tuple[str, ...]) -> str:
    # A visitor is recorded with their internet address ("public 203.0.113.9"): on the
    # student's own entries it was theirs.
    if own and kind == ActorKind.PUBLIC:
        return "public"
    return redact(actor_label, words)


def scrub_audit(session: Session, own: ColumnElement[bool], words: tuple[str, ...]) -> None:
    """Audit entries keep who did what, when: the student's own lose their personal fields,
    and any entry's text naming them loses those words."""
    a = t.audit_entries.c
    naming = [mentions(col, words) for col in (a.changes, a.reason, a.actor_label)] if words else []
    found = session.execute(
        select(a.id, a.changes, a.reason, a.actor_kind, a.actor_label, own.label("own")).where(
            or_(own, *naming)
        )
    ).all()
    rewritten = []
    for row in found:
        changes = row.changes if isinstance(row.changes, dict) else {}
        if row.own:
            changes = scrub_fields(changes, PERSONAL_FIELDS)
        rewritten.append(
            {
                "entry_id": row.id,
                "new_changes": scrub(changes, words),
                "new_reason": redact(row.reason, words)
                if names_them(row.reason, words)
                else row.reason,
                "new_actor": _actor_label(row.own, row.actor_kind, row.actor_label, words),
            }
        )
    if rewritten:
        session.execute(
            update(t.audit_entries)
            .where(a.id == bindparam("entry_id"))
            .values(
                changes=bindparam("new_changes"),
                reason=bindparam("new_reason"),
                actor_label=bindparam("new_actor"),
            ),
            rewritten,
        )
