"""The registrations list's search, written so that PostgreSQL can use indexes.

docs/benchmarks.md ("Admin at scale"): at 100,000 registrations the search was
the one admin page over its 150 ms target.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, String, func, literal, or_, select, union

from domain.db import tables as t


def _like_literal(term: str) -> str:
    """``term`` for a LIKE pattern, its wildcards taken literally (escaped with "/")."""
    return term.replace("/", "//").replace("%", "/%").replace("_", "/_")


def matching_registrations(term: str) -> CompoundSelect[Any]:
    """Ids of the registrations the list's search finds for ``term``.

    A student's first name, last name or email containing the term, in any case (a
    scan of the students table, small next to the registrations), or a payment
    reference starting with it (see _reference_starts_with). The two are a UNION so
    that each uses its index: ``student_id IN (...) OR reference ...`` had
    PostgreSQL test every registration, twice per page (count and rows).
    """
    literal_term = _like_literal(term)
    # lower() on both sides rather than ILIKE: the same matches (SQLAlchemy renders
    # ILIKE this way on SQLite), and PostgreSQL's ILIKE on UTF-8 is 2-3 times slower.
    anywhere = func.lower(literal(f"%{literal_term}%", String))
    students = (
        select(t.students.c.id)
        .where(
            or_(
                func.lower(t.students.c.first_name).like(anywhere, escape="/"),
                func.lower(t.students.c.last_name).like(anywhere, escape="/"),
                # Stored in lower case (a CHECK constraint says so).
                t.students.c.email.like(anywhere, escape="/"),
            )
        )
        .correlate(None)
    )
    by_student = t.registrations.alias("by_student")
    by_reference = t.registrations.alias("by_reference")
    return union(
        select(by_student.c.id).where(by_student.c.student_id.in_(students)),
        select(by_reference.c.id).where(
            _reference_starts_with(by_reference.c.payment_reference, term)
        ),
    )


def _reference_starts_with(reference: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """The reference starts with ``term`` as typed, in capitals or in small letters.

    References are codes staff paste from the payment app or type the start of;
    apps print them in one case, which staff may not bother to match. Each spelling
    is a LIKE 'prefix%' that the payment_reference index (text_pattern_ops) serves;
    lower(payment_reference) would need an expression index, which the migrations,
    generated on SQLite, cannot carry. (SQLite's LIKE ignores ASCII case anyway.)
    """
    spellings = dict.fromkeys((term, term.upper(), term.lower()))
    return or_(*(reference.like(f"{_like_literal(s)}%", escape="/") for s in spellings))
