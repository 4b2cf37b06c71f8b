"""Fixtures for the fault tests: a PostgreSQL cluster of their own, which they may restart."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine

from bench.servers import PgCluster
from domain.db.tables import metadata

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def pg_cluster() -> Iterator[PgCluster]:
    """A running throwaway cluster (never the shared test server): restart it at will."""
    with PgCluster(max_connections=100) as cluster:
        yield cluster


@pytest.fixture
def cluster_database_url(pg_cluster: PgCluster) -> str:
    """A database with every Rollbook table on ``pg_cluster``."""
    url = pg_cluster.create_database("rollbook_fault")
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url
