"""Tables for settings, the email outbox, the audit log and shared security state."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from domain.db.schema import metadata, not_negative, one_of
from domain.db.types import UTCDateTime
from domain.enums import ActorKind, EmailStatus, LinkPurpose

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("updated_at", UTCDateTime, nullable=False),
)

outgoing_emails = Table(
    "outgoing_emails",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(50), nullable=False),
    Column("to_address", String(254), nullable=False),
    Column("to_name", String(255), nullable=False, default=""),
    Column("subject", String(255), nullable=False),
    Column("body_text", Text, nullable=False),
    Column("body_html", Text, nullable=False, default=""),
    Column("status", String(10), nullable=False, default=EmailStatus.PENDING),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(100), nullable=False, default=""),
    Column("claimed_at", UTCDateTime),
    Column("last_error", Text, nullable=False, default=""),
    Column("sent_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    #: Files sent with the message: [{"filename", "content_type", "content"}] (text only).
    Column("attachments", JSON, nullable=False, default=list),
    one_of("status", EmailStatus),
    not_negative("attempts"),
    Index(None, "status", "next_attempt_at"),
    Index(None, "created_at"),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("actor_kind", String(10), nullable=False),
    Column("actor_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("actor_label", String(255), nullable=False, default=""),
    Column("action", String(100), nullable=False),
    Column("entity_type", String(50), nullable=False),
    Column("entity_id", String(50), nullable=False, default=""),
    Column("changes", JSON, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    one_of("actor_kind", ActorKind),
    Index(None, "occurred_at"),
    Index(None, "entity_type", "entity_id"),
    Index(None, "actor_id"),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "staff_user_id", Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Index(None, "staff_user_id"),
)

login_throttles = Table(
    "login_throttles",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime),
    Column("updated_at", UTCDateTime, nullable=False),
)

rate_limit_buckets = Table(
    "rate_limit_buckets",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("window_start", UTCDateTime, nullable=False),
    Column("count", Integer, nullable=False, default=0),
)

link_tokens = Table(
    "link_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("purpose", String(30), nullable=False),
    Column("registration_id", Integer, ForeignKey("registrations.id", ondelete="CASCADE")),
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE")),
    Column("staff_user_id", Integer, ForeignKey("staff_users.id", ondelete="CASCADE")),
    Column("school_id", Integer, ForeignKey("schools.id", ondelete="CASCADE")),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    one_of("purpose", LinkPurpose),
    Index(None, "registration_id"),
    Index(None, "expires_at"),
)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    #: SHA-256 of the feed's token (the token itself is derived, never stored).
    Column("token_hash", String(64), nullable=False, unique=True),
    #: Random input of the token's derivation, so a renewed feed gets a new address.
    Column("salt", String(64), nullable=False),
    #: The student whose bookings the feed follows; NULL for the staff feed.
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE")),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "student_id", unique=True),
)


#: Notices the worker sends on its own (class reminders, payment nudges): one row per
#: notice, whose unique key makes a second worker's insert a no-op, so each goes once.
sent_notices = Table(
    "sent_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column(
        "registration_id",
        Integer,
        ForeignKey("registrations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("class_session_id", Integer, ForeignKey("class_sessions.id", ondelete="CASCADE")),
    #: The start (reminder) or hold expiry (nudge) the notice was for: a moved session
    #: or an extended hold is a new key, so its notice is due again.
    Column("sent_for", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("kind", "registration_id", "class_session_id", "sent_for"),
    # NULLs are distinct in a unique constraint: notices without a session get their own.
    Index(
        "ux_sent_notices_without_session",
        "kind",
        "registration_id",
        "sent_for",
        unique=True,
        sqlite_where=text("class_session_id IS NULL"),
        postgresql_where=text("class_session_id IS NULL"),
    ),
    Index(None, "class_session_id"),
)
