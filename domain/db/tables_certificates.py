"""The certificates of attendance staff issue (domain/services/certificates.py)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, Numeric, String, Table, text

from domain.db.schema import metadata, not_negative
from domain.db.types import UTCDateTime

#: A certificate still genuine; at most one per registration (a re-issue revokes the old one).
CERTIFICATE_CURRENT_SQL = "revoked_at IS NULL"

certificates = Table(
    "certificates",
    metadata,
    Column("id", Integer, primary_key=True),
    #: The verification code printed on the certificate: random, at least 64 bits.
    Column("code", String(32), nullable=False, unique=True),
    # A certificate is proof of attendance: it never vanishes with its registration.
    Column(
        "registration_id",
        Integer,
        ForeignKey("registrations.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    #: Hours attended when it was issued: each session attended (present or late) times its length.
    Column("hours", Numeric(7, 2), nullable=False),
    Column("sessions_attended", Integer, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("issued_by_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("revoked_at", UTCDateTime),
    not_negative("hours"),
    not_negative("sessions_attended"),
    Index(
        "ux_certificates_current",
        "registration_id",
        unique=True,
        sqlite_where=text(CERTIFICATE_CURRENT_SQL),
        postgresql_where=text(CERTIFICATE_CURRENT_SQL),
    ),
    Index(None, "registration_id"),
)
