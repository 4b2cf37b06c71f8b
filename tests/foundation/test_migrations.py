"""The migrations build exactly the mapped schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool, text
from sqlalchemy.exc import IntegrityError

from domain.db.database import Database
from domain.db.migrate import (
    alembic_config,
    downgrade_to_base,
    head_revisions,
    is_at_head,
    upgrade_to_head,
)
from domain.db.tables import metadata
from domain.model import Course, Registration, Student

WHEN = datetime(2030, 3, 1, 18, 0, tzinfo=UTC)


def _differences(url: str) -> list[object]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _table_names(url: str) -> set[str]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_there_is_a_single_migration_head() -> None:
    assert len(head_revisions()) == 1


def test_upgrade_downgrade_upgrade_builds_every_table(empty_database_url: str) -> None:
    url = empty_database_url
    assert not is_at_head(url)
    upgrade_to_head(url)
    assert _table_names(url) == set(metadata.tables)
    assert is_at_head(url)
    downgrade_to_base(url)
    assert _table_names(url) == set()
    assert not is_at_head(url)
    upgrade_to_head(url)
    assert _table_names(url) == set(metadata.tables)
    assert is_at_head(url)


def test_migrated_schema_matches_the_mapped_tables(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    assert _differences(empty_database_url) == []


def test_autogenerate_notices_a_missing_table(empty_database_url: str) -> None:
    # Proves the comparison above can fail: drop one table and it is reported.
    upgrade_to_head(empty_database_url)
    engine = create_engine(empty_database_url, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE rate_limit_buckets"))
    engine.dispose()
    differences = _differences(empty_database_url)
    assert any(d[0] == "add_table" for d in differences)  # type: ignore[index]


@pytest.fixture
def migrated(empty_database_url: str) -> Iterator[Database]:
    upgrade_to_head(empty_database_url)
    database = Database(empty_database_url)
    yield database
    database.dispose()


def test_migrated_database_refuses_a_second_student_with_the_same_email(
    migrated: Database,
) -> None:
    with migrated.write() as s:
        s.add(Student(first_name="Ana", email="ana@example.org"))
        s.commit()
    with migrated.write() as s, pytest.raises(IntegrityError):
        s.add(Student(first_name="Ana B", email="ana@example.org"))
        s.commit()


def test_migrated_database_refuses_an_unknown_payment_status(migrated: Database) -> None:
    with migrated.write() as s, pytest.raises(IntegrityError):
        course = Course(title="Salsa", starts_at=WHEN)
        s.add(
            Registration(
                student=Student(first_name="Bo"),
                course=course,
                amount_due=Decimal("10"),
                payment_status="paid-ish",
            )
        )
        s.commit()


def test_migrated_database_allows_one_active_registration_per_course(
    migrated: Database,
) -> None:
    with migrated.write() as s:
        student = Student(first_name="Cy", email="cy@example.org")
        course = Course(title="Tango", starts_at=WHEN)
        s.add(Registration(student=student, course=course, amount_due=Decimal(0)))
        s.add(
            Registration(
                student=student,
                course=course,
                amount_due=Decimal(0),
                cancelled_at=WHEN,
            )
        )
        s.commit()
    with migrated.write() as s, pytest.raises(IntegrityError):
        s.add(Registration(student_id=1, course_id=1, amount_due=Decimal(0)))
        s.commit()


def test_migrated_database_keeps_money_exact(migrated: Database) -> None:
    with migrated.write() as s:
        s.add(
            Registration(
                student=Student(first_name="Di"),
                course=Course(title="Waltz", starts_at=WHEN),
                amount_due=Decimal("0.1") * 3,
            )
        )
        s.commit()
    with migrated.read() as s:
        registration = s.get(Registration, 1)
        assert registration is not None
        assert registration.amount_due == Decimal("0.30")
        assert registration.created_at.tzinfo is not None


def test_upgrading_opens_existing_workshops_to_school_signup(empty_database_url: str) -> None:
    # A database made before 0002 keeps offering its teacher workshops on /signup/.
    command.upgrade(alembic_config(empty_database_url), "0001")
    engine = create_engine(empty_database_url, poolclass=pool.NullPool)
    stamp = "'2030-03-01 18:00:00.000000'"
    with engine.begin() as conn:
        for title, kind in (("Reading Workshop", "workshop"), ("Salsa Series", "series")):
            conn.execute(
                text(
                    "INSERT INTO courses (title, kind, description, instructor, location,"
                    " starts_at, capacity, is_published, comment, created_at, updated_at)"
                    f" VALUES ('{title}', '{kind}', '', '', '', {stamp}, 10, true, '',"
                    f" {stamp}, {stamp})"
                )
            )
    upgrade_to_head(empty_database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT title, open_to_school_signup FROM courses ORDER BY id"))
        assert [(title, bool(flag)) for title, flag in rows] == [
            ("Reading Workshop", True),
            ("Salsa Series", False),
        ]
    engine.dispose()
