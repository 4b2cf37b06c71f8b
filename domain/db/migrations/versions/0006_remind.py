"""Class reminders and payment nudges sent once; what to bring; cancelled sessions.

Revision ID: 0006_remind
Revises: 0005_match
Create Date: 2026-11-29 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domain.db.types

revision: str = "0006_remind"
down_revision: str | None = "0005_match"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("courses") as batch_op:
        batch_op.add_column(
            sa.Column("what_to_bring", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("courses") as batch_op:
        batch_op.alter_column("what_to_bring", server_default=None)
    with op.batch_alter_table("class_sessions") as batch_op:
        # cancelled_at came with 0004_ics, which reads it for the calendar feeds.
        batch_op.add_column(
            sa.Column("cancellation_reason", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("class_sessions") as batch_op:
        batch_op.alter_column("cancellation_reason", server_default=None)
    op.create_table(
        "sent_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("class_session_id", sa.Integer(), nullable=True),
        sa.Column("sent_for", domain.db.types.UTCDateTime(), nullable=False),
        sa.Column("created_at", domain.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_session_id"],
            ["class_sessions.id"],
            name=op.f("fk_sent_notices_class_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_sent_notices_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_notices")),
        sa.UniqueConstraint(
            "kind",
            "registration_id",
            "class_session_id",
            "sent_for",
            name=op.f("uq_sent_notices_kind_registration_id_class_session_id_sent_for"),
        ),
    )
    with op.batch_alter_table("sent_notices") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sent_notices_class_session_id"), ["class_session_id"], unique=False
        )
        batch_op.create_index(
            "ux_sent_notices_without_session",
            ["kind", "registration_id", "sent_for"],
            unique=True,
            sqlite_where=sa.text("class_session_id IS NULL"),
            postgresql_where=sa.text("class_session_id IS NULL"),
        )


def downgrade() -> None:
    op.drop_table("sent_notices")
    with op.batch_alter_table("class_sessions") as batch_op:
        batch_op.drop_column("cancellation_reason")
    with op.batch_alter_table("courses") as batch_op:
        batch_op.drop_column("what_to_bring")
