"""Alembic migrations for Rollbook's schema (run them with ``rollbook migrate``)."""
