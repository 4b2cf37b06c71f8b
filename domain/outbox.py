"""Queue an email in the outbox, inside the caller's transaction.

A rolled-back change therefore sends nothing; the worker (``domain.worker``)
delivers what was committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.model import OutgoingEmail
from domain.rules.settings import Settings


@dataclass(frozen=True)
class Email:
    """A message ready to queue: the builders in ``domain.emails`` make these."""

    kind: str
    to_address: str
    to_name: str
    subject: str
    body_text: str
    body_html: str = ""


def queue_email(session: Session, email: Email, settings: Settings) -> OutgoingEmail | None:
    """Add ``email`` to the outbox unless emails are switched off or it has no address."""
    if not settings.emails_enabled or not email.to_address:
        return None
    row = OutgoingEmail(
        kind=email.kind,
        to_address=email.to_address,
        to_name=email.to_name,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
    )
    session.add(row)
    return row
