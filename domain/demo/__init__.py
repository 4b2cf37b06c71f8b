"""Realistic demo data for both kinds of programme, loaded once.

A teacher-training programme (schools, contact history, a workshop series) and
a dance studio (a two-slot weekly series with full-package and drop-in prices,
a drop-in class, a full course with a waitlist, a crew-only practice), with
registrations in every payment state and attendance on past sessions.

``load_demo`` is deterministic for a given ``now`` and does nothing when the
demo has been loaded before, so running it twice leaves the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.demo.courses import build_courses
from domain.demo.people import build_people
from domain.demo.registrations import build_registrations
from domain.enums import ActorKind
from domain.model import AuditEntry, Setting
from domain.rules.settings import DEFAULTS, DESCRIPTIONS, KEYS, format_setting

DEMO_ACTION = "demo.load"
DEMO_SEED = 20240901

#: Payment details the demo shows on registration pages, unless already set.
DEMO_SETTINGS = {
    "organisation_name": "Riverside Dance & Teaching",
    "venmo_handle": "riverside-dance-demo",
    "zelle_recipient_name": "Riverside Dance Studio",
    "zelle_phone": "(555) 010-0199",
}


@dataclass(frozen=True)
class DemoSummary:
    #: False when the demo data was there already and nothing was written.
    loaded: bool
    #: Rows per table after the call.
    counts: dict[str, int]

    def describe(self) -> str:
        head = "Demo data loaded:" if self.loaded else "Demo data was already loaded:"
        shown = ("schools", "students", "courses", "registrations", "attendance")
        return head + " " + ", ".join(f"{self.counts[name]} {name}" for name in shown) + "."


def load_demo(db: Database, *, now: datetime | None = None, seed: int = DEMO_SEED) -> DemoSummary:
    """Load the demo data unless it is there already."""
    now = now or utcnow()
    with db.write() as session:
        if _already_loaded(session):
            return DemoSummary(loaded=False, counts=row_counts(session))
        rng = random.Random(seed)
        _add_settings(session, now)
        people = build_people(session, rng, now)
        courses = build_courses(session, rng, now)
        build_registrations(session, rng, now, people, courses)
        session.add(
            AuditEntry(
                occurred_at=now,
                actor_kind=ActorKind.SCRIPT,
                actor_label="rollbook demo",
                action=DEMO_ACTION,
                entity_type="Demo",
                changes={},
            )
        )
        session.flush()
        counts = row_counts(session)
        session.commit()
    return DemoSummary(loaded=True, counts=counts)


def row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in t.metadata.sorted_tables
    }


def _already_loaded(session: Session) -> bool:
    marker = select(func.count()).where(t.audit_entries.c.action == DEMO_ACTION)
    return bool(session.scalar(marker))


def _add_settings(session: Session, now: datetime) -> None:
    # Settings someone has stored already are theirs; only missing ones are added.
    stored = set(session.scalars(select(t.settings.c.key)))
    for key in KEYS:
        if key in stored:
            continue
        value = DEMO_SETTINGS.get(key, format_setting(getattr(DEFAULTS, key)))
        session.add(Setting(key=key, value=value, description=DESCRIPTIONS[key], updated_at=now))
