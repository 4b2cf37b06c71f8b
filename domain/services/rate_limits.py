"""A per-address limit on submissions, counted in the database.

The count lives in ``rate_limit_buckets`` (a fixed window per key) so every
process behind a load balancer shares it, and a restart forgets nothing. The
public site refuses a form over the limit (``RateLimited``, a 429 page); a
script or the admin site may count against the same buckets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case

from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import rate_limit_buckets
from domain.db.upsert import upsert_insert


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
    key = f"public-submit:{address}"[:300]
    return count_in_window(db, key, limits.window, now=now or utcnow()) <= limits.submissions


def count_in_window(db: Database, key: str, window: timedelta, *, now: datetime) -> int:
    """Count one more under ``key`` in its current window; the count so far, this one included.

    One statement: insert the bucket, or count into it (starting a new window
    when the old one has passed). The row lock the upsert takes makes two
    processes counting the same key at once add up, never overwrite.
    """
    bucket = rate_limit_buckets.c
    window_over = bucket.window_start <= now - window
    with db.write() as session:
        count = session.execute(
            upsert_insert(session, rate_limit_buckets)
            .values(key=key, window_start=now, count=1)
            .on_conflict_do_update(
                index_elements=[bucket.key],
                set_={
                    "window_start": case((window_over, now), else_=bucket.window_start),
                    "count": case((window_over, 1), else_=bucket.count + 1),
                },
            )
            .returning(bucket.count)
        ).scalar_one()
        session.commit()
    return int(count)
