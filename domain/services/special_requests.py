"""The one thing staff change on a registration by hand: the student's special requests.

Everything else on a registration (payment, cancellation, seat) changes through
its own workflow in ``domain.services.payments`` and ``domain.services.registration``.
"""

from __future__ import annotations

from datetime import datetime

from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import NotFound
from domain.model import Registration
from domain.rules.contact_details import clean_text
from domain.services.records import record_updated, set_fields


def update_special_requests(
    db: Database,
    registration_id: int,
    special_requests: str,
    *,
    actor: Actor,
    now: datetime | None = None,
) -> Registration:
    """Replace a registration's special requests (wheelchair access, a late arrival...)."""
    now = now or utcnow()
    text = clean_text(special_requests, field="special_requests", label="Special requests")
    with db.write() as session:
        registration = session.get(Registration, registration_id)
        if registration is None:
            raise NotFound("This registration does not exist.")
        changed = set_fields(registration, {"special_requests": text}, ["special_requests"])
        record_updated(session, actor, registration, changed, now=now)
        session.commit()
    return registration
