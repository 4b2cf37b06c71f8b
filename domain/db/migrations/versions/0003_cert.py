"""Certificates of attendance.

Revision ID: 0003_cert
Revises: 0002
Create Date: 2026-11-29 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domain.db.types

revision: str = "0003_cert"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CURRENT = "revoked_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("sessions_attended", sa.Integer(), nullable=False),
        sa.Column("issued_at", domain.db.types.UTCDateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", domain.db.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_certificates_hours_not_negative")),
        sa.CheckConstraint(
            "sessions_attended >= 0",
            name=op.f("ck_certificates_sessions_attended_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["staff_users.id"],
            name=op.f("fk_certificates_issued_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_certificates_registration_id_registrations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificates_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            "ux_certificates_current",
            ["registration_id"],
            unique=True,
            sqlite_where=sa.text(_CURRENT),
            postgresql_where=sa.text(_CURRENT),
        )


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_certificates_current",
            sqlite_where=sa.text(_CURRENT),
            postgresql_where=sa.text(_CURRENT),
        )
        batch_op.drop_index(batch_op.f("ix_certificates_registration_id"))
    op.drop_table("certificates")
