"""A known student changes their own profile through a link emailed to them.

Typing an email on the public site never shows or changes what is stored about
that student; asking for this link does nothing visible either way, and only the
owner of the mailbox can open it. The link is single use and short-lived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.emails.compose import Body, greeting, student_email
from domain.enums import LinkPurpose
from domain.errors import LinkInvalid, NotFound
from domain.link_tokens import UNKNOWN_MESSAGE, find_link, issue_link, use_link
from domain.model import Student
from domain.outbox import Email, queue_email
from domain.rules.contact_details import clean_student_field, normalise_email
from domain.rules.settings import Settings
from domain.services.emailed_urls import PROFILE_PATH, emailed_url
from domain.services.settings import load_settings

PROFILE_LINK_TTL = timedelta(hours=24)
_PROFILE_FIELDS = ("first_name", "last_name", "phone", "experience", "emergency_contact")


@dataclass
class ProfileDetails:
    first_name: str
    last_name: str = ""
    phone: str = ""
    experience: str = ""
    emergency_contact: str = ""

    def cleaned(self) -> ProfileDetails:
        """These details trimmed and checked; ``ValidationError`` names the bad field."""
        return ProfileDetails(
            first_name=clean_student_field("first_name", self.first_name),
            last_name=clean_student_field("last_name", self.last_name),
            phone=clean_student_field("phone", self.phone),
            experience=clean_student_field("experience", self.experience),
            emergency_contact=clean_student_field("emergency_contact", self.emergency_contact),
        )


def profile_link_email(*, student: Student, url: str, settings: Settings) -> Email:
    body = Body(greeting(student.first_name))
    body.para("Someone (we hope you) asked to change the details we keep about you.")
    body.link("Change your details", url)
    body.para(
        f"The link works once, for {int(PROFILE_LINK_TTL.total_seconds() // 3600)} hours. "
        "If you did not ask for it, ignore this email: nothing changes."
    )
    return student_email(
        kind="profile_link",
        student=student,
        subject="Change your details",
        body=body,
        settings=settings,
    )


def request_profile_link(
    db: Database, *, email: str, actor: Actor, now: datetime | None = None
) -> bool:
    """Email a profile link to the student with ``email``; False (nothing sent) if none.

    The caller must answer the same either way, so no one learns who is a student.
    """
    now = now or utcnow()
    address = normalise_email(email)
    with db.write() as session:
        student = session.scalars(
            select(Student).where(t.students.c.email == address)
        ).one_or_none()
        if student is None:
            return False
        token = issue_link(
            session,
            purpose=LinkPurpose.EDIT_PROFILE,
            student_id=student.id,
            ttl=PROFILE_LINK_TTL,
            now=now,
        )
        settings = load_settings(session)
        url = emailed_url(session, PROFILE_PATH, token)
        queue_email(
            session, profile_link_email(student=student, url=url, settings=settings), settings
        )
        audit.record(session, actor, "student.profile_link", student)
        session.commit()
        return True


def student_by_profile_link(session: Session, token: str, *, now: datetime) -> Student:
    """The student a live profile link belongs to; ``LinkInvalid`` says why there is none."""
    link = find_link(session, token, LinkPurpose.EDIT_PROFILE, now=now)
    student = session.get(Student, link.student_id) if link.student_id else None
    if student is None:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    return student


def update_profile(
    db: Database,
    *,
    token: str,
    details: ProfileDetails,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Store the student's new details and spend the link (single use)."""
    now = now or utcnow()
    clean = details.cleaned()
    with db.write() as session:
        link = use_link(session, token, LinkPurpose.EDIT_PROFILE, now=now)
        student = session.get(Student, link.student_id) if link.student_id else None
        if student is None:
            raise LinkInvalid(UNKNOWN_MESSAGE)
        _store_profile(session, student, clean, actor=actor, now=now)
        session.commit()


def update_student_profile(
    db: Database,
    *,
    student_id: int,
    details: ProfileDetails,
    actor: Actor,
    now: datetime | None = None,
) -> None:
    """Store the signed-in student's new details (the same checks as the emailed link's)."""
    now = now or utcnow()
    clean = details.cleaned()
    with db.write() as session:
        student = session.get(Student, student_id)
        if student is None:
            raise NotFound("There is no such student.")
        _store_profile(session, student, clean, actor=actor, now=now)
        session.commit()


def _store_profile(
    session: Session, student: Student, clean: ProfileDetails, *, actor: Actor, now: datetime
) -> None:
    before = audit.snapshot(student, _PROFILE_FIELDS)
    for name in _PROFILE_FIELDS:
        setattr(student, name, getattr(clean, name))
    student.profile_complete = all(
        (student.first_name, student.last_name, student.phone, student.experience)
    )
    student.updated_at = now
    audit.record(session, actor, "student.profile_update", student, audit.diff(before, student))
