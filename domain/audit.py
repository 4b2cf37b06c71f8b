"""Write audit entries: who changed what, when, with each field's before and after."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.clock import utcnow
from domain.model import AuditEntry


def snapshot(entity: object, names: Iterable[str]) -> dict[str, Any]:
    """The current values of ``names`` on ``entity``, ready to compare later."""
    return {name: getattr(entity, name) for name in names}


def diff(before: dict[str, Any], entity: object) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields of ``before`` that ``entity`` changed."""
    changes: dict[str, list[Any]] = {}
    for name, old in before.items():
        new = getattr(entity, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: object,
    changes: dict[str, list[Any]] | None = None,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> AuditEntry:
    """Add an audit entry to ``session`` (it commits with the change it describes).

    A new entity is flushed first so the entry can name its id.
    """
    if getattr(entity, "id", 0) is None and entity in session:
        session.flush()
    entry = AuditEntry(
        occurred_at=now or utcnow(),
        actor_kind=actor.kind,
        actor_id=actor.staff_user_id,
        actor_label=actor.label[:255],
        action=action,
        entity_type=type(entity).__name__,
        entity_id=str(getattr(entity, "id", None) or getattr(entity, "key", "")),
        changes=changes or {},
        reason=reason,
    )
    session.add(entry)
    return entry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
