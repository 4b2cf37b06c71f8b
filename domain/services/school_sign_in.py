"""A school's contact signs in to "my school" by a link emailed to the contact address.

One link per school whose contact the address is, and nothing written for an
unknown address, so the answer tells no one who is a contact. The link is single
use and short-lived; spending it is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails import school_portal as messages
from domain.enums import LinkPurpose
from domain.errors import LinkInvalid
from domain.link_tokens import UNKNOWN_MESSAGE, find_link, issue_link, use_link
from domain.model import School
from domain.outbox import queue_email
from domain.rules.contact_details import normalise_email
from domain.services.emailed_urls import SCHOOL_SIGN_IN_PATH, emailed_url
from domain.services.settings import load_settings

SCHOOL_LINK_TTL = timedelta(hours=24)


def request_school_links(
    db: Database, *, email: str, actor: Actor, now: datetime | None = None
) -> int:
    """Email a sign-in link for each school whose contact ``email`` is; how many were sent.

    The caller answers the same whatever the count, so no one learns who is a contact.
    """
    now = now or utcnow()
    address = normalise_email(email)
    with db.write() as session:
        schools = session.scalars(
            select(School)
            .where(func.lower(t.schools.c.contact_email) == address)
            .order_by(t.schools.c.id)
        ).all()
        if not schools:
            return 0
        settings = load_settings(session)
        for school in schools:
            token = issue_link(
                session,
                purpose=LinkPurpose.SCHOOL_SIGN_IN,
                school_id=school.id,
                ttl=SCHOOL_LINK_TTL,
                now=now,
            )
            url = emailed_url(session, SCHOOL_SIGN_IN_PATH, token)
            email_message = messages.school_sign_in_link(
                school=school, url=url, ttl=SCHOOL_LINK_TTL, settings=settings
            )
            queue_email(session, email_message, settings)
            audit.record(session, actor, "school.sign_in_link", school)
        session.commit()
        return len(schools)


def school_by_sign_in_link(session: Session, token: str, *, now: datetime) -> School:
    """The school a live sign-in link belongs to; ``LinkInvalid`` says why there is none."""
    link = find_link(session, token, LinkPurpose.SCHOOL_SIGN_IN, now=now)
    school = session.get(School, link.school_id) if link.school_id else None
    if school is None:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    return school


def sign_in_school(db: Database, *, token: str, actor: Actor, now: datetime | None = None) -> int:
    """Spend a sign-in link (single use) and return the id of the school it opens."""
    now = now or utcnow()
    with db.write() as session:
        link = use_link(session, token, LinkPurpose.SCHOOL_SIGN_IN, now=now)
        school = session.get(School, link.school_id) if link.school_id else None
        if school is None or school.id is None:
            raise LinkInvalid(UNKNOWN_MESSAGE)
        audit.record(session, actor, "school.sign_in", school)
        session.commit()
        return school.id
