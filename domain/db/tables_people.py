"""Tables for schools, contact history, students and staff users."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from domain.db.schema import metadata, one_of
from domain.db.types import UTCDateTime
from domain.enums import StudentType

schools = Table(
    "schools",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("location", String(255), nullable=False, default=""),
    Column("contact_name", String(255), nullable=False, default=""),
    Column("contact_email", String(254), nullable=False, default=""),
    Column("contact_phone", String(50), nullable=False, default=""),
    Column("comments", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
    Index(None, "name"),
)

staff_users = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("email", String(254), nullable=False, default=""),
    Column("full_name", String(255), nullable=False, default=""),
    Column("password_hash", String(255), nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("is_superuser", Boolean, nullable=False, default=False),
    Column("must_change_password", Boolean, nullable=False, default=False),
    Column("last_login_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("username = lower(username)", name="username_lowercase"),
    CheckConstraint("length(username) > 0", name="username_not_blank"),
)

contact_logs = Table(
    "contact_logs",
    metadata,
    Column("id", Integer, primary_key=True),
    # A school's contact history belongs to the school and goes with it.
    Column("school_id", Integer, ForeignKey("schools.id", ondelete="CASCADE"), nullable=False),
    Column("staff_user_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("contacted_at", UTCDateTime, nullable=False),
    Column("comment", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "school_id", "contacted_at"),
    Index(None, "contacted_at"),
    Index(None, "staff_user_id"),
)

students = Table(
    "students",
    metadata,
    Column("id", Integer, primary_key=True),
    # Stored lower-cased (the CHECK makes sure), so the unique constraint is
    # case-insensitive on both databases; several NULLs are allowed.
    Column("email", String(254), unique=True),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False, default=""),
    Column("title", String(255), nullable=False, default=""),
    Column("phone", String(50), nullable=False, default=""),
    # A school with students cannot be deleted: their registrations would lose it.
    Column("school_id", Integer, ForeignKey("schools.id", ondelete="RESTRICT")),
    Column("student_type", String(20), nullable=False, default=StudentType.GENERAL),
    Column("profile_complete", Boolean, nullable=False, default=False),
    Column("admin_classified", Boolean, nullable=False, default=False),
    Column("experience", Text, nullable=False, default=""),
    Column("emergency_contact", String(255), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    one_of("student_type", StudentType),
    CheckConstraint("email IS NULL OR email = lower(email)", name="email_lowercase"),
    CheckConstraint("length(trim(first_name)) > 0", name="first_name_not_blank"),
    Index(None, "last_name", "first_name"),
    Index(None, "school_id"),
    Index(None, "student_type", "admin_classified"),
    Index(None, "created_at"),
)
