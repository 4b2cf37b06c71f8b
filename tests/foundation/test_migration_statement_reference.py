"""Migration 0005_match: a reference typed twice before the rule keeps its first use only."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, pool, text

from domain.db.migrate import alembic_config, upgrade_to_head

STAMP = "'2030-03-01 18:00:00.000000'"


def test_upgrading_keeps_the_first_use_of_a_reference_and_marks_the_others(
    empty_database_url: str,
) -> None:
    command.upgrade(alembic_config(empty_database_url), "0004_ics")
    engine = create_engine(empty_database_url, poolclass=pool.NullPool)
    payments = [
        ("venmo", "V-1"),
        ("venmo", "V-1"),
        ("cash", "desk"),
        ("cash", "desk"),
        ("zelle", "V-1"),
    ]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO courses (title, kind, description, instructor, location,"
                " starts_at, capacity, is_published, comment, created_at, updated_at,"
                " open_to_school_signup)"
                f" VALUES ('Salsa', 'series', '', '', '', {STAMP}, 10, true, '',"
                f" {STAMP}, {STAMP}, false)"
            )
        )
        for n, (method, reference) in enumerate(payments, start=1):
            conn.execute(
                text(
                    "INSERT INTO students (email, first_name, last_name, title, phone,"
                    " student_type, profile_complete, admin_classified, experience,"
                    " emergency_contact, notes, created_at, updated_at)"
                    f" VALUES ('s{n}@example.org', 'S{n}', '', '', '', 'general', false, false,"
                    f" '', '', '', {STAMP}, {STAMP})"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO registrations (student_id, course_id, pricing_type, amount_due,"
                    " payment_status, payment_method, payment_reference, special_requests,"
                    " source, from_waitlist, override_reason, cancellation_reason,"
                    " created_at, updated_at)"
                    f" VALUES ({n}, 1, 'full_package', 100, 'completed', '{method}',"
                    f" '{reference}', '', 'public', false, '', '', {STAMP}, {STAMP})"
                )
            )
    upgrade_to_head(empty_database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT payment_method, payment_reference FROM registrations ORDER BY id")
        )
        assert [tuple(row) for row in rows] == [
            ("venmo", "V-1"),
            ("venmo", "V-1 (again #2)"),
            ("cash", "desk"),
            ("cash", "desk"),
            ("zelle", "V-1"),
        ]
    engine.dispose()
