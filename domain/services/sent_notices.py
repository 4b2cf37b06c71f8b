"""Notices sent once: a unique key per notice in ``sent_notices``, claimed by insert-or-skip.

Whoever inserts a key sends that notice; a second worker's insert of the same key
does nothing (``ON CONFLICT DO NOTHING``), on PostgreSQL after waiting for the
first worker's transaction, on SQLite because write transactions run one at a time.
There is no "have we sent it?" read that two workers could both pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.db.tables import sent_notices
from domain.db.upsert import upsert_insert

#: Keys inserted per statement: well under SQLite's limit on bound parameters.
_BATCH = 500


class NoticeKind(StrEnum):
    CLASS_REMINDER = "class_reminder"
    PAYMENT_NUDGE = "payment_nudge"


@dataclass(frozen=True, order=True)
class NoticeKey:
    """One notice: for a registration, about a session (or none), for a start or expiry."""

    registration_id: int
    class_session_id: int | None
    sent_for: datetime


def claim_notices(
    session: Session, kind: NoticeKind, keys: Iterable[NoticeKey], *, now: datetime
) -> set[NoticeKey]:
    """Insert the keys not yet taken and return them: the notices this caller must send.

    Keys are inserted in one order, so two workers claiming the same keys wait on
    each other rather than deadlock. The caller queues the emails and commits.
    """
    wanted = sorted(set(keys), key=lambda k: (k.registration_id, k.class_session_id or 0))
    claimed: set[NoticeKey] = set()
    sn = sent_notices.c
    for start in range(0, len(wanted), _BATCH):
        rows = [
            {
                "kind": kind.value,
                "registration_id": key.registration_id,
                "class_session_id": key.class_session_id,
                "sent_for": key.sent_for,
                "created_at": now,
            }
            for key in wanted[start : start + _BATCH]
        ]
        statement = (
            upsert_insert(session, sent_notices)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(sn.registration_id, sn.class_session_id, sn.sent_for)
        )
        claimed.update(NoticeKey(*row) for row in session.execute(statement))
    return claimed


def record_notices(
    session: Session, kind: NoticeKind, keys: Iterable[NoticeKey], *, now: datetime
) -> None:
    """Mark notices as sent by other means (a session change told them already)."""
    claim_notices(session, kind, keys, now=now)


def earlier_reminders(
    session: Session, session_ids: Iterable[int]
) -> set[tuple[int, int, datetime]]:
    """(registration, session, start) of every class reminder sent for these sessions."""
    ids = list(session_ids)
    if not ids:
        return set()
    sn = sent_notices.c
    rows = session.execute(
        select(sn.registration_id, sn.class_session_id, sn.sent_for).where(
            sn.kind == NoticeKind.CLASS_REMINDER.value, sn.class_session_id.in_(ids)
        )
    )
    return {(reg, sess, sent_for) for reg, sess, sent_for in rows}
