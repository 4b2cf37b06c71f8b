"""Settings, the email outbox, the audit log, and the security state kept in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain import formatting
from domain.clock import utcnow
from domain.enums import EmailStatus


@dataclass(eq=False, kw_only=True)
class Setting:
    key: str
    value: str
    description: str = ""
    updated_at: datetime = field(default_factory=utcnow)

    def __str__(self) -> str:
        return self.key


@dataclass(eq=False, kw_only=True)
class OutgoingEmail:
    id: int | None = None
    #: Which message this is (registration_received, waitlist_offer, ...).
    kind: str
    to_address: str
    to_name: str = ""
    subject: str
    body_text: str
    body_html: str = ""
    status: str = EmailStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime = field(default_factory=utcnow)
    claimed_by: str = ""
    claimed_at: datetime | None = None
    last_error: str = ""
    sent_at: datetime | None = None
    created_at: datetime = field(default_factory=utcnow)
    #: [{"filename", "content_type", "content"}]: text files sent with the message.
    attachments: list[dict[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{formatting.label(self.kind)} to {self.to_address}"


@dataclass(eq=False, kw_only=True)
class AuditEntry:
    id: int | None = None
    occurred_at: datetime = field(default_factory=utcnow)
    actor_kind: str
    actor_id: int | None = None
    #: Who, in words: a username, "public 203.0.113.9", a script's name.
    actor_label: str = ""
    action: str
    entity_type: str
    entity_id: str = ""
    #: {field: [before, after]} for every field the action changed.
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


@dataclass(eq=False, kw_only=True)
class StaffSession:
    """A signed-in admin session; deleting the row signs the cookie out everywhere."""

    id: str  # SHA-256 of the session token held in the cookie
    staff_user_id: int
    csrf_token: str
    created_at: datetime = field(default_factory=utcnow)
    last_seen_at: datetime = field(default_factory=utcnow)


@dataclass(eq=False, kw_only=True)
class LoginThrottle:
    """Failed sign-ins for one key (an account or an address)."""

    key: str
    failures: int = 0
    locked_until: datetime | None = None
    updated_at: datetime = field(default_factory=utcnow)


@dataclass(eq=False, kw_only=True)
class RateLimitBucket:
    """Submissions from one key in one fixed window; shared by every app process."""

    key: str
    window_start: datetime
    count: int = 0


@dataclass(eq=False, kw_only=True)
class LinkToken:
    """A link emailed to someone: only its SHA-256 is stored."""

    token_hash: str
    purpose: str
    registration_id: int | None = None
    student_id: int | None = None
    staff_user_id: int | None = None
    #: For a school contact's sign-in link: the school whose page it opens.
    school_id: int | None = None
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = field(default_factory=utcnow)
