"""Certificates of attendance: issue or re-issue one registration's, or a whole course's.

The buttons appear only when the rules allow (``domain.rules.certificates``); each
form asks them again when it opens and when it is posted (``ActionSpec.refusal``).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from admin_site.actions.framework import (
    ActionInput,
    ActionSpec,
    DetailAction,
    Field,
    Preview,
    action_button,
)
from admin_site.request_context import database
from domain import formatting
from domain.db.database import Database
from domain.model import Course, Registration
from domain.services.certificate_standing import Standing
from domain.services.certificates import (
    course_standings,
    issue_certificate,
    issue_course_certificates,
    issue_refusal,
    reissue_certificate,
    reissue_refusal,
)

ISSUE = "issue-certificate"
REISSUE = "reissue-certificate"
ISSUE_COURSE = "issue-course-certificates"
NOBODY_TO_CERTIFY = (
    "Nobody on this course is due a certificate: everyone who reaches the completion "
    "threshold has one already, or nobody reaches it yet."
)


def _sent(emailed: bool) -> str:
    return "emailed to the participant" if emailed else "not emailed (no address, or emails off)"


def _issue(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    issued = issue_certificate(db, registration_id=pk, actor=data.actor)
    if not issued.created:
        return (
            f"{issued.participant} already has certificate {issued.code}; nothing changed. "
            "Re-issue it to replace it."
        )
    return f"Certificate {issued.code} issued to {issued.participant}, {_sent(issued.emailed)}."


def _reissue(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    issued = reissue_certificate(
        db, registration_id=pk, reason=data.values["reason"], actor=data.actor
    )
    return (
        f"The old certificate is withdrawn. New certificate {issued.code} issued to "
        f"{issued.participant}, {_sent(issued.emailed)}."
    )


def _issue_course(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    issued = issue_course_certificates(db, course_id=pk, actor=data.actor)
    n, emailed = len(issued), sum(1 for i in issued if i.emailed)
    if not n:
        return "Nobody was due a certificate: nothing was issued."
    return f"Issued {n} certificate{'' if n == 1 else 's'}; {emailed} emailed to the participants."


def _due(found: list[Standing]) -> list[Standing]:
    return [s for s in found if s.qualifies and s.code is None]


def _course_preview(db: Database, data: ActionInput) -> Preview:
    found = course_standings(db, course_id=data.pks[0])
    due = _due(found)
    have = [s.participant for s in found if s.code is not None]
    short = [s for s in found if not s.qualifies and s.code is None]
    lines = [f"Certificates for {len(due)} participant{'' if len(due) == 1 else 's'}:"]
    if have:
        lines.append("Already have one (kept, not emailed again): " + ", ".join(have))
    if short:
        lines.append(
            "Not reaching the threshold: "
            + ", ".join(f"{s.participant} ({s.attended} of {s.held})" for s in short)
        )
    text = "\n".join(
        f"{s.participant}: {formatting.hours(s.hours)}, {s.attended} of {s.held} sessions"
        for s in due
    )
    return Preview(lines=tuple(lines), text=text or "Nobody.")


def course_certificates_refusal(db: Database, course_id: int) -> str | None:
    """Why the course's certificates may not be issued now; None when someone is due one."""
    return None if _due(course_standings(db, course_id=course_id)) else NOBODY_TO_CERTIFY


CERTIFICATE_ACTIONS = (
    ActionSpec(
        slug=ISSUE,
        title="Issue a certificate of attendance",
        identity="registration",
        model=Registration,
        run=_issue,
        refusal=lambda db, pk: issue_refusal(db, pk),
        intro="The participant gets an email with a link to their certificate (a PDF). "
        "Issuing again gives the same certificate.",
    ),
    ActionSpec(
        slug=REISSUE,
        title="Re-issue the certificate of attendance",
        identity="registration",
        model=Registration,
        run=_reissue,
        fields=(Field("reason", "Reason", kind="textarea"),),
        confirm="The old certificate's code stops being genuine; a new one is emailed.",
        refusal=lambda db, pk: reissue_refusal(db, pk),
        intro="For a certificate with a mistake, or hours that changed since it was issued.",
    ),
    ActionSpec(
        slug=ISSUE_COURSE,
        title="Issue certificates of attendance",
        identity="course",
        model=Course,
        run=_issue_course,
        preview=_course_preview,
        refusal=course_certificates_refusal,
        intro="Every participant who reaches the completion threshold and has no certificate "
        "yet gets one by email. You will see who before anything is issued.",
    ),
)


async def registration_certificate_buttons(request: Request, pk: int) -> list[DetailAction]:
    """Issue (when it qualifies and has none) or re-issue (when it has one and still does)."""
    db = database(request)
    if await run_in_threadpool(issue_refusal, db, pk) is not None:
        return []
    if await run_in_threadpool(reissue_refusal, db, pk) is None:
        return [action_button(request, REISSUE, pk, "Re-issue certificate")]
    return [action_button(request, ISSUE, pk, "Issue certificate")]


async def course_certificate_buttons(request: Request, pk: int) -> list[DetailAction]:
    """Issue certificates, when someone on the course is due one."""
    why_not = await run_in_threadpool(course_certificates_refusal, database(request), pk)
    return [] if why_not else [action_button(request, ISSUE_COURSE, pk, "Issue certificates")]
