"""Tables for courses, slots, prices, sessions, registrations, attendance and waitlists."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)

from domain.clock import utcnow
from domain.db.schema import metadata, not_negative, one_of
from domain.db.types import Money, UTCDateTime
from domain.enums import (
    AttendanceStatus,
    CourseKind,
    DifficultyLevel,
    PaymentMethod,
    PaymentStatus,
    PricingType,
    RegistrationSource,
    StudentType,
    WaitlistStatus,
)

courses = Table(
    "courses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(255), nullable=False),
    Column("kind", String(20), nullable=False, default=CourseKind.WORKSHOP),
    Column("description", Text, nullable=False, default=""),
    Column("instructor", String(255), nullable=False, default=""),
    Column("location", String(255), nullable=False, default=""),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime),
    Column("capacity", Integer, nullable=False, default=30),
    Column("required_student_type", String(20)),
    Column("is_published", Boolean, nullable=False, default=False),
    Column("open_to_school_signup", Boolean, nullable=False, default=False),
    #: Shown on the course page and in each class reminder ("a water bottle, soft shoes").
    Column("what_to_bring", Text, nullable=False, default=""),
    Column("comment", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    one_of("kind", CourseKind),
    one_of("required_student_type", StudentType, nullable=True),
    not_negative("capacity"),
    CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ends_after_start"),
    CheckConstraint("length(trim(title)) > 0", name="title_not_blank"),
    Index(None, "starts_at"),
    Index(None, "is_published", "starts_at"),
    Index(None, "title"),
)

course_slots = Table(
    "course_slots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(255), nullable=False, default=""),
    Column("difficulty_level", String(20), nullable=False, default=DifficultyLevel.ALL_LEVELS),
    Column("day_of_week", Integer),
    Column("practice_date", Date),
    Column("start_time", Time, nullable=False),
    Column("end_time", Time, nullable=False),
    Column("location", String(255), nullable=False, default=""),
    Column("capacity", Integer),
    one_of("difficulty_level", DifficultyLevel),
    not_negative("capacity", nullable=True),
    CheckConstraint(
        "day_of_week IS NULL OR (day_of_week >= 0 AND day_of_week <= 6)",
        name="day_of_week_range",
    ),
    CheckConstraint("day_of_week IS NOT NULL OR practice_date IS NOT NULL", name="weekly_or_dated"),
    CheckConstraint("end_time > start_time", name="ends_after_start"),
    Index(None, "course_id"),
)

prices = Table(
    "prices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slot_id", Integer, ForeignKey("course_slots.id", ondelete="CASCADE"), nullable=False),
    Column("pricing_type", String(20), nullable=False),
    Column("amount", Money, nullable=False),
    one_of("pricing_type", PricingType),
    not_negative("amount"),
    UniqueConstraint("slot_id", "pricing_type"),
)

class_sessions = Table(
    "class_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("slot_id", Integer, ForeignKey("course_slots.id", ondelete="SET NULL")),
    Column("session_date", Date, nullable=False),
    Column("start_time", Time),
    Column("end_time", Time),
    Column("location", String(255), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    # Calendar feeds number an event's versions from this (SEQUENCE), and show a
    # cancelled session as cancelled rather than dropping it (issue 15, point 3).
    Column("updated_at", UTCDateTime, onupdate=utcnow),
    Column("cancelled_at", UTCDateTime),
    #: Why staff cancelled the session (``domain.services.session_changes``).
    Column("cancellation_reason", Text, nullable=False, default=""),
    UniqueConstraint("course_id", "session_date", "start_time"),
    Index(None, "session_date"),
    Index(None, "slot_id"),
)

#: A registration may hold a seat (and counts as "active" for uniqueness).
REGISTRATION_ACTIVE_SQL = (
    "cancelled_at IS NULL AND payment_status IN ('pending', 'completed', 'not_required')"
)

#: An unpaid registration a visitor's address holds (its hold may have passed since).
UNPAID_SQL = "client_address IS NOT NULL AND cancelled_at IS NULL AND payment_status = 'pending'"

#: A reference that is a payment service's transaction id (unique per method).
STATEMENT_REFERENCE_SQL = "payment_method IN ('venmo', 'zelle') AND payment_reference <> ''"

registrations = Table(
    "registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    # Payment and attendance history must never vanish with a student or a course.
    Column("student_id", Integer, ForeignKey("students.id", ondelete="RESTRICT"), nullable=False),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="RESTRICT"), nullable=False),
    Column("school_id", Integer, ForeignKey("schools.id", ondelete="RESTRICT")),
    Column("pricing_type", String(20), nullable=False, default=PricingType.FULL_PACKAGE),
    Column("drop_in_session_id", Integer, ForeignKey("class_sessions.id", ondelete="RESTRICT")),
    Column("amount_due", Money, nullable=False),
    Column("payment_status", String(20), nullable=False, default=PaymentStatus.PENDING),
    Column("payment_method", String(20)),
    Column("payment_reference", String(255), nullable=False, default=""),
    Column("payment_confirmed_at", UTCDateTime),
    Column("payment_confirmed_by_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("refunded_at", UTCDateTime),
    Column("hold_expires_at", UTCDateTime),
    Column("special_requests", Text, nullable=False, default=""),
    Column("source", String(20), nullable=False, default=RegistrationSource.PUBLIC),
    # The visitor's internet address, on public bookings and claimed offers only.
    Column("client_address", String(64)),
    Column("from_waitlist", Boolean, nullable=False, default=False),
    Column("override_reason", Text, nullable=False, default=""),
    Column("created_by_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("cancelled_at", UTCDateTime),
    Column("cancelled_by_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("cancellation_reason", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    one_of("pricing_type", PricingType),
    one_of("payment_status", PaymentStatus),
    one_of("payment_method", PaymentMethod, nullable=True),
    one_of("source", RegistrationSource),
    not_negative("amount_due"),
    CheckConstraint(
        "(pricing_type = 'drop_in') = (drop_in_session_id IS NOT NULL)",
        name="drop_in_has_session",
    ),
    Index(
        "ux_registrations_active_package",
        "student_id",
        "course_id",
        unique=True,
        sqlite_where=text(REGISTRATION_ACTIVE_SQL + " AND drop_in_session_id IS NULL"),
        postgresql_where=text(REGISTRATION_ACTIVE_SQL + " AND drop_in_session_id IS NULL"),
    ),
    Index(
        "ux_registrations_active_drop_in",
        "student_id",
        "drop_in_session_id",
        unique=True,
        sqlite_where=text(REGISTRATION_ACTIVE_SQL + " AND drop_in_session_id IS NOT NULL"),
        postgresql_where=text(REGISTRATION_ACTIVE_SQL + " AND drop_in_session_id IS NOT NULL"),
    ),
    Index(None, "course_id", "payment_status"),
    Index(None, "student_id"),
    Index(None, "school_id"),
    Index(None, "drop_in_session_id"),
    Index(None, "payment_status", "hold_expires_at"),
    Index(None, "created_at"),
    # The unpaid bookings one address holds, counted under the address's lock.
    Index(
        None,
        "client_address",
        sqlite_where=text(UNPAID_SQL),
        postgresql_where=text(UNPAID_SQL),
    ),
    # A Venmo or Zelle transaction id confirms one payment only, whoever confirms it
    # and however often its statement is uploaded (domain/payments_import).
    Index(
        "ux_registrations_statement_reference",
        "payment_method",
        "payment_reference",
        unique=True,
        sqlite_where=text(STATEMENT_REFERENCE_SQL),
        postgresql_where=text(STATEMENT_REFERENCE_SQL),
    ),
    # The admin's search matches a reference by its start (LIKE 'abc%'):
    # text_pattern_ops lets PostgreSQL serve that whatever the database's collation.
    Index(None, "payment_reference", postgresql_ops={"payment_reference": "text_pattern_ops"}),
)

attendance = Table(
    "attendance",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id", Integer, ForeignKey("class_sessions.id", ondelete="RESTRICT"), nullable=False
    ),
    Column(
        "registration_id",
        Integer,
        ForeignKey("registrations.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("status", String(10), nullable=False),
    Column("marked_at", UTCDateTime, nullable=False),
    Column("marked_by_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    one_of("status", AttendanceStatus),
    UniqueConstraint("session_id", "registration_id"),
    Index(None, "registration_id"),
)

waitlist_entries = Table(
    "waitlist_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("student_id", Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer),
    Column("status", String(10), nullable=False, default=WaitlistStatus.WAITING),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("offer_sent_at", UTCDateTime),
    Column("offer_expires_at", UTCDateTime),
    Column("offer_token_hash", String(64), unique=True),
    Column("registration_id", Integer, ForeignKey("registrations.id", ondelete="SET NULL")),
    Column("left_at", UTCDateTime),
    Column("reason", Text, nullable=False, default=""),
    one_of("status", WaitlistStatus),
    # Positions are renumbered in two steps (through negatives) so the unique
    # constraint holds after every statement; the services keep them 1..n.
    CheckConstraint(
        "(position IS NOT NULL) = (status IN ('waiting', 'offered'))", name="in_line_has_position"
    ),
    UniqueConstraint("course_id", "position"),
    Index(
        "ux_waitlist_entries_in_line",
        "student_id",
        "course_id",
        unique=True,
        sqlite_where=text("status IN ('waiting', 'offered')"),
        postgresql_where=text("status IN ('waiting', 'offered')"),
    ),
    Index(None, "course_id", "status"),
    Index(None, "status", "offer_expires_at"),
)
