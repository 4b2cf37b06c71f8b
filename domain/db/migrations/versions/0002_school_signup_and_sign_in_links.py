"""Courses open to school sign-up; sign-in links for students and school contacts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_PURPOSES = "'view_registration', 'cancel_registration', 'edit_profile', 'reset_password'"
_NEW_PURPOSES = _OLD_PURPOSES + ", 'student_sign_in', 'school_sign_in'"


def upgrade() -> None:
    with op.batch_alter_table("courses") as batch_op:
        batch_op.add_column(
            sa.Column(
                "open_to_school_signup", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    # Teacher workshops are what schools signed up for before the field existed.
    op.execute("UPDATE courses SET open_to_school_signup = true WHERE kind = 'workshop'")
    with op.batch_alter_table("courses") as batch_op:
        batch_op.alter_column("open_to_school_signup", server_default=None)

    with op.batch_alter_table("link_tokens") as batch_op:
        batch_op.add_column(sa.Column("school_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_link_tokens_school_id_schools"),
            "schools",
            ["school_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint(op.f("ck_link_tokens_purpose_valid"), type_="check")
        batch_op.create_check_constraint("purpose_valid", f"purpose IN ({_NEW_PURPOSES})")


def downgrade() -> None:
    op.execute("DELETE FROM link_tokens WHERE purpose IN ('student_sign_in', 'school_sign_in')")
    with op.batch_alter_table("link_tokens") as batch_op:
        batch_op.drop_constraint(op.f("ck_link_tokens_purpose_valid"), type_="check")
        batch_op.create_check_constraint("purpose_valid", f"purpose IN ({_OLD_PURPOSES})")
        batch_op.drop_constraint(op.f("fk_link_tokens_school_id_schools"), type_="foreignkey")
        batch_op.drop_column("school_id")
    with op.batch_alter_table("courses") as batch_op:
        batch_op.drop_column("open_to_school_signup")
