"""A Venmo or Zelle transaction id confirms one payment only.

Revision ID: 0005_match
Revises: 0004_ics
Create Date: 2026-11-29 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_match"
down_revision: str | None = "0004_ics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = "payment_method IN ('venmo', 'zelle') AND payment_reference <> ''"


def upgrade() -> None:
    # References typed twice before the rule: all but the first confirmation keep
    # their reference with a suffix, so that nothing is lost and the index can be built.
    op.execute(
        f"""
        UPDATE registrations SET payment_reference =
            substr(payment_reference, 1, 240) || ' (again #' || id || ')'
        WHERE {_WHERE} AND EXISTS (
            SELECT 1 FROM registrations AS first
            WHERE first.payment_method = registrations.payment_method
              AND first.payment_reference = registrations.payment_reference
              AND first.id < registrations.id
        )
        """
    )
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.create_index(
            "ux_registrations_statement_reference",
            ["payment_method", "payment_reference"],
            unique=True,
            sqlite_where=sa.text(_WHERE),
            postgresql_where=sa.text(_WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.drop_index("ux_registrations_statement_reference")
