"""The local mailbox: where email goes in development when no SMTP server is set.

A Maildir (one file per message, safe for several processes delivering at once)
under ``ROLLBOOK_DATA_DIR/mailbox``; staff read it in the admin. Each message is
kept whole, links included: the outbox's own copy loses its link tokens once
sent, so these are the working links a developer follows.
"""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from domain.errors import NotFound


@dataclass(frozen=True)
class MailboxEntry:
    """One delivered message as a list shows it."""

    key: str
    to: str
    subject: str
    delivered_at: datetime


@dataclass(frozen=True)
class MailboxMessage:
    """One delivered message whole: both bodies as sent."""

    entry: MailboxEntry
    sender: str
    text: str
    html: str
    #: The names of the files sent with it (a calendar file), in order.
    attachments: tuple[str, ...] = ()


class LocalMailbox:
    """The Maildir in ``directory``; created by the first delivery."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def deliver(self, message: EmailMessage) -> str:
        """Store ``message``; returns its key. Raises ``OSError`` when the disk refuses."""
        return str(mailbox.Maildir(self.directory, create=True).add(message.as_bytes()))

    def entries(self) -> list[MailboxEntry]:
        """Every message, newest first."""
        box = self._box()
        if box is None:
            return []
        entries = [_entry(box, key, _parse(box, key)) for key in box.iterkeys()]
        return sorted(entries, key=lambda entry: (entry.delivered_at, entry.key), reverse=True)

    def message(self, key: str) -> MailboxMessage:
        """The message stored under ``key``; ``NotFound`` for any other key."""
        box = self._box()
        # Maildir looks the key up in its table of files: a made-up key never
        # becomes a path.
        if box is None or key not in box:
            raise NotFound("There is no such message in the mailbox.")
        parsed = _parse(box, key)
        return MailboxMessage(
            entry=_entry(box, key, parsed),
            sender=str(parsed.get("From", "")),
            text=_body(parsed, "plain"),
            html=_body(parsed, "html"),
            attachments=tuple(
                part.get_filename() or "attachment" for part in parsed.iter_attachments()
            ),
        )

    def _box(self) -> mailbox.Maildir | None:
        if not (self.directory / "new").is_dir():
            return None
        return mailbox.Maildir(self.directory, create=False)


def _parse(box: mailbox.Maildir, key: str) -> EmailMessage:
    parsed = message_from_bytes(box.get_bytes(key), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _entry(box: mailbox.Maildir, key: str, parsed: EmailMessage) -> MailboxEntry:
    # The file's time (to the microsecond): the Date header has whole seconds,
    # too coarse to order a burst of messages.
    delivered = box.get_message(key).get_date()
    return MailboxEntry(
        key=key,
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        delivered_at=datetime.fromtimestamp(delivered, UTC),
    )


def _body(parsed: EmailMessage, subtype: str) -> str:
    part = parsed.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    return str(part.get_content())
