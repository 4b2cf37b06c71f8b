"""A per-address limit on form submissions, counted in the database.

The count lives in ``rate_limit_buckets`` (a fixed window per key) so every app
process behind a load balancer shares it; a process restart forgets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import rate_limit_buckets
from domain.model import RateLimitBucket


class RateLimited(Exception):
    """Too many submissions from one address in the current window."""


@dataclass(frozen=True)
class Limits:
    #: Submissions one address may make per window (failed ones count too).
    submissions: int = 30
    window: timedelta = timedelta(minutes=10)


def allow_submission(
    db: Database, address: str, limits: Limits, *, now: datetime | None = None
) -> bool:
    """Count one submission from ``address``; False once it is over the limit."""
    now = now or utcnow()
    key = f"public-submit:{address}"[:300]
    insert = pg_insert if not db.is_sqlite else sqlite_insert
    with db.write() as session:
        # Insert-if-missing first, so two processes never both create the bucket.
        session.execute(
            insert(rate_limit_buckets)
            .values(key=key, window_start=now, count=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        bucket = session.scalars(
            select(RateLimitBucket).where(rate_limit_buckets.c.key == key).with_for_update()
        ).one()
        if bucket.window_start + limits.window <= now:
            bucket.window_start = now
            bucket.count = 0
        bucket.count += 1
        allowed = bucket.count <= limits.submissions
        session.commit()
    return allowed
