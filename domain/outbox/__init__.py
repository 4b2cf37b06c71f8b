"""Queue an email in the outbox, inside the caller's transaction.

A rolled-back change therefore sends nothing; the worker (``domain.outbox.worker``)
delivers what was committed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.model import OutgoingEmail
from domain.rules.settings import Settings

#: What a link's secret becomes in the stored copy of a sent message.
REDACTED_TOKEN = "[link removed after sending]"
#: A web address in plain text or in an href; it ends at white space, a quote or
#: an angle bracket (none of which a URL in our emails contains unescaped).
WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
# A link token is secrets.token_urlsafe(32): 43 URL-safe characters. Any run of
# at least that many inside an address (a path segment or a query value) is
# taken for one; ordinary words and ids are far shorter.
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43,}(?![A-Za-z0-9_-])")


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a message (a calendar file): its name, MIME type and text."""

    filename: str
    content_type: str
    content: str


@dataclass(frozen=True)
class Email:
    """A message ready to queue: the builders in ``domain.emails`` make these."""

    kind: str
    to_address: str
    to_name: str
    subject: str
    body_text: str
    body_html: str = ""
    attachments: tuple[Attachment, ...] = ()


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
        attachments=[
            {"filename": a.filename, "content_type": a.content_type, "content": a.content}
            for a in email.attachments
        ],
    )
    session.add(row)
    return row


def redact_link_tokens(text: str) -> str:
    """``text`` with every link token in a web address replaced by ``REDACTED_TOKEN``.

    Tokens are stored only as hashes; once a message has gone out (or will never
    go), the copy the outbox keeps must not hold the working link either.
    """
    return WEB_ADDRESS.sub(lambda url: _TOKEN.sub(REDACTED_TOKEN, url.group(0)), text)
