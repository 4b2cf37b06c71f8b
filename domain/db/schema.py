"""Shared metadata and helpers for the table definitions."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, MetaData

from domain.enums import values

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def one_of(column: str, enum: type[StrEnum], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK that ``column`` holds one of the enum's stored strings."""
    allowed = ", ".join(f"'{v}'" for v in values(enum))
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_valid")


def not_negative(column: str, *, nullable: bool = False) -> CheckConstraint:
    condition = f"{column} >= 0"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_not_negative")
