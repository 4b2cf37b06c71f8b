"""Certificates of attendance: issued, re-issued, checked and drawn.

A registration that reaches the completion threshold (``domain.rules.certificates``)
may have one current certificate: issuing again gives the same one; a re-issue
revokes the old code and gives a new one with the hours as they stand. Each
write is checked, written, audited and committed in one transaction, and the
participant's email (a link to the PDF) leaves through the outbox after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain import audit, formatting
from domain.actors import Actor
from domain.certificates_pdf import CertificateText, render_certificate
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import certificates, courses, registrations, students
from domain.emails.certificates import certificate_issued
from domain.errors import InvalidTransition, NotFound
from domain.model import Course, Registration, Student
from domain.outbox import queue_email
from domain.rules.certificates import new_code, shown_code, typed_code
from domain.rules.schedule import local_date
from domain.rules.settings import Settings
from domain.services.certificate_standing import Standing, course_registrations, standings
from domain.services.emailed_urls import CERTIFICATE_PATH, CERTIFICATE_PDF_PATH, emailed_url
from domain.services.settings import load_settings


@dataclass(frozen=True)
class Issued:
    """What issuing did for one registration."""

    registration_id: int
    participant: str
    #: The code as printed ("ABCD-EFGH-...").
    code: str
    #: False when the registration already had this certificate.
    created: bool
    emailed: bool


@dataclass(frozen=True)
class CertificateCheck:
    """What the public verification page says about a code that exists."""

    code: str
    genuine: bool
    organisation: str
    participant: str
    course: str
    dates: str
    hours: str
    sessions_attended: int
    issued_on: str
    revoked_on: str


def registration_standing(
    session: Session, registration_id: int, *, now: datetime, settings: Settings
) -> Standing:
    """The registration measured against the completion threshold today."""
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(f"There is no registration with id {registration_id}.")
    today = local_date(now, settings.timezone)
    return standings(session, [registration], today=today, settings=settings)[0]


def issue_refusal(db: Database, registration_id: int, *, now: datetime | None = None) -> str | None:
    """Why this registration may not have a certificate now; None when it qualifies."""
    with db.read() as session:
        settings = load_settings(session)
        standing = registration_standing(
            session, registration_id, now=now or utcnow(), settings=settings
        )
        return standing.refusal


def reissue_refusal(
    db: Database, registration_id: int, *, now: datetime | None = None
) -> str | None:
    """Why this registration's certificate may not be re-issued now; None when it may."""
    with db.read() as session:
        settings = load_settings(session)
        return reissue_refusal_in(session, registration_id, now=now or utcnow(), settings=settings)


def issue_certificate(
    db: Database, *, registration_id: int, actor: Actor, now: datetime | None = None
) -> Issued:
    """Issue the registration's certificate and email it; the same one if it has one already.

    Refused (``InvalidTransition``, nothing written) when it does not qualify.
    """
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        issued = _issue(session, registration_id, actor=actor, now=now, settings=settings)
        session.commit()
        return issued


def reissue_certificate(
    db: Database, *, registration_id: int, reason: str, actor: Actor, now: datetime | None = None
) -> Issued:
    """Revoke the registration's certificate and issue a new one, with today's hours."""
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        _lock(session, registration_id)
        refusal = reissue_refusal_in(session, registration_id, now=now, settings=settings)
        if refusal:
            raise InvalidTransition(refusal)
        c = certificates.c
        session.execute(
            update(certificates)
            .where(c.registration_id == registration_id, c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        issued = _issue(
            session, registration_id, actor=actor, now=now, settings=settings, reissue=reason
        )
        session.commit()
        return issued


def reissue_refusal_in(
    session: Session, registration_id: int, *, now: datetime, settings: Settings
) -> str | None:
    standing = registration_standing(session, registration_id, now=now, settings=settings)
    if standing.code is None:
        return "This registration has no certificate yet: issue one first."
    return standing.refusal


def course_standings(
    db: Database, *, course_id: int, now: datetime | None = None
) -> list[Standing]:
    """Every participant of the course (not cancelled) against the threshold, by name."""
    with db.read() as session:
        settings = load_settings(session)
        if session.get(Course, course_id) is None:
            raise NotFound(f"There is no course with id {course_id}.")
        today = local_date(now or utcnow(), settings.timezone)
        return standings(
            session, course_registrations(session, course_id), today=today, settings=settings
        )


def issue_course_certificates(
    db: Database, *, course_id: int, actor: Actor, now: datetime | None = None
) -> list[Issued]:
    """Issue a certificate to every qualifying participant of the course who has none yet.

    Those who do not qualify are left out; those who have one keep it (not emailed again).
    """
    now = now or utcnow()
    with db.write() as session:
        settings = load_settings(session)
        today = local_date(now, settings.timezone)
        found = standings(
            session, course_registrations(session, course_id), today=today, settings=settings
        )
        issued = [
            _issue(session, s.registration_id, actor=actor, now=now, settings=settings)
            for s in found
            if s.qualifies and s.code is None
        ]
        session.commit()
        return issued


def check_certificate(db: Database, raw_code: str) -> CertificateCheck | None:
    """What the verification page says about ``raw_code``; None when no certificate has it.

    One lookup by the unique code whatever was typed, so a made-up code costs the same.
    """
    code = typed_code(raw_code)
    c, r, st, co = certificates.c, registrations.c, students.c, courses.c
    with db.read() as session:
        settings = load_settings(session)
        row = session.execute(
            select(
                c.code,
                c.hours,
                c.sessions_attended,
                c.issued_at,
                c.revoked_at,
                st.first_name,
                st.last_name,
                co.title,
                co.starts_at,
                co.ends_at,
            )
            .join(registrations, r.id == c.registration_id)
            .join(students, st.id == r.student_id)
            .join(courses, co.id == r.course_id)
            .where(c.code == code)
        ).one_or_none()
    if row is None:
        return None
    zone = settings.timezone
    return CertificateCheck(
        code=shown_code(row.code),
        genuine=row.revoked_at is None,
        organisation=settings.organisation_name,
        participant=f"{row.first_name} {row.last_name}".strip(),
        course=row.title,
        dates=formatting.course_dates(row.starts_at, row.ends_at, zone),
        hours=formatting.hours(Decimal(row.hours)),
        sessions_attended=int(row.sessions_attended),
        issued_on=formatting.local_date(local_date(row.issued_at, zone)),
        revoked_on=formatting.local_date(local_date(row.revoked_at, zone))
        if row.revoked_at
        else "",
    )


def certificate_pdf(db: Database, raw_code: str) -> bytes | None:
    """The PDF of the genuine certificate with ``raw_code``; None for a revoked or unknown one."""
    found = check_certificate(db, raw_code)
    if found is None or not found.genuine:
        return None
    with db.read() as session:
        verify_url = emailed_url(session, CERTIFICATE_PATH, found.code)
    n = found.sessions_attended
    return render_certificate(
        CertificateText(
            organisation=found.organisation,
            participant=found.participant,
            course=found.course,
            dates=found.dates,
            hours=found.hours,
            sessions=f"{n} session{'' if n == 1 else 's'} attended",
            issued_on=found.issued_on,
            code=found.code,
            verify_url=verify_url,
        )
    )


def _lock(session: Session, registration_id: int) -> Registration:
    # Two staff issuing at once: the second waits here, then finds the first's certificate.
    registration = session.get(Registration, registration_id, with_for_update=True)
    if registration is None:
        raise NotFound(f"There is no registration with id {registration_id}.")
    return registration


def _issue(
    session: Session,
    registration_id: int,
    *,
    actor: Actor,
    now: datetime,
    settings: Settings,
    reissue: str | None = None,
) -> Issued:
    """Issue one certificate in the caller's transaction; ``reissue`` is the reason for one."""
    registration = _lock(session, registration_id)
    standing = registration_standing(session, registration_id, now=now, settings=settings)
    student = session.get(Student, registration.student_id)
    course = session.get(Course, registration.course_id)
    if student is None or course is None:
        raise NotFound(f"Registration {registration_id} has no student or course.")
    if standing.code is not None:
        return Issued(registration_id, student.full_name, shown_code(standing.code), False, False)
    if standing.refusal:
        raise InvalidTransition(standing.refusal)
    code = new_code()
    session.execute(
        certificates.insert().values(
            code=code,
            registration_id=registration_id,
            hours=standing.hours,
            sessions_attended=standing.attended,
            issued_at=now,
            issued_by_id=actor.staff_user_id,
        )
    )
    audit.record(
        session,
        actor,
        "certificate.issue" if reissue is None else "certificate.reissue",
        registration,
        {"hours": [None, str(standing.hours)]},
        reason=reissue or "",
        now=now,
    )
    shown = shown_code(code)
    email = certificate_issued(
        student=student,
        course_title=course.title,
        hours=formatting.hours(standing.hours),
        code=shown,
        pdf_url=emailed_url(session, CERTIFICATE_PDF_PATH, shown),
        verify_url=emailed_url(session, CERTIFICATE_PATH, shown),
        settings=settings,
    )
    emailed = queue_email(session, email, settings) is not None
    return Issued(registration_id, student.full_name, shown, True, emailed)
