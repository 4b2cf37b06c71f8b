"""Calendars: email attachments, session versions and cancellations, calendar feeds.

Revision ID: 0004_ics
Revises: 0003_cert
Create Date: 2026-11-29 17:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.db.types import UTCDateTime

revision: str = "0004_ics"
down_revision: str | None = "0003_cert"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_emails") as batch_op:
        batch_op.add_column(
            sa.Column("attachments", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("outgoing_emails") as batch_op:
        batch_op.alter_column("attachments", server_default=None)
    with op.batch_alter_table("class_sessions") as batch_op:
        batch_op.add_column(sa.Column("updated_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", UTCDateTime(), nullable=True))
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.id"],
            name=op.f("fk_calendar_feeds_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    op.create_index(
        op.f("ix_calendar_feeds_student_id"), "calendar_feeds", ["student_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feeds_student_id"), table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("class_sessions") as batch_op:
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("outgoing_emails") as batch_op:
        batch_op.drop_column("attachments")
