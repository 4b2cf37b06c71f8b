"""Write one email to the chosen students, to a course's bookings or to a session's roster.

The form asks for a subject and a message, then shows a preview (who gets it,
who cannot, and the text as the first student reads it); only what was
previewed is sent, through ``domain.services.group_email``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from admin_site.actions.bulk import registration_label
from admin_site.actions.framework import ActionInput, ActionSpec, Field, Preview
from domain.db.database import Database
from domain.model import ClassSession, Course, Registration
from domain.rules.session_moves import SessionMove
from domain.services.group_email import Audience, preview_group_email, send_group_email
from domain.services.move_states import session_refusal

_FIELDS = (
    Field("subject", "Subject"),
    Field(
        "message",
        "Message",
        kind="textarea",
        help="Plain text. A blank line starts a new paragraph; the greeting and "
        "the organisation's name are added.",
    ),
)
_INTRO = "You will see a preview with every recipient before anything is sent."

AudienceOf = Callable[[list[int]], Audience]


def _chosen(pks: list[int]) -> Audience:
    return Audience(registration_ids=tuple(pks))


def _course(pks: list[int]) -> Audience:
    return Audience(course_id=pks[0])


def _session(pks: list[int]) -> Audience:
    return Audience(session_id=pks[0])


def _previewer(audience: AudienceOf) -> Callable[[Database, ActionInput], Preview]:
    def preview(db: Database, data: ActionInput) -> Preview:
        shown = preview_group_email(
            db,
            audience=audience(data.pks),
            subject=data.values["subject"],
            message=data.values["message"],
        )
        n = len(shown.recipients)
        lines = [
            f"To {n} student{'' if n == 1 else 's'}: " + ", ".join(shown.recipients),
            f"Subject: {shown.subject}",
        ]
        if shown.without_email:
            lines.append("Not sent to (no email address): " + ", ".join(shown.without_email))
        return Preview(lines=tuple(lines), text=shown.text)

    return preview


def _sender(audience: AudienceOf) -> Callable[[Database, ActionInput], str]:
    def send(db: Database, data: ActionInput) -> str:
        n = send_group_email(
            db,
            audience=audience(data.pks),
            subject=data.values["subject"],
            message=data.values["message"],
            actor=data.actor,
        )
        return f"The email is queued for {n} student{'' if n == 1 else 's'}."

    return send


def _spec(
    slug: str, title: str, identity: str, model: type, audience: AudienceOf, *, many: bool
) -> ActionSpec:
    return ActionSpec(
        slug=slug,
        title=title,
        identity=identity,
        model=model,
        run=_sender(audience),
        preview=_previewer(audience),
        fields=_FIELDS,
        many=many,
        intro=_INTRO,
    )


EMAIL_ACTIONS = (
    replace(
        _spec(
            "email-students",
            "Email the chosen students",
            "registration",
            Registration,
            _chosen,
            many=True,
        ),
        label=registration_label,
    ),
    _spec("email-course", "Email everyone booked", "course", Course, _course, many=False),
    replace(
        _spec(
            "email-session",
            "Email everyone on the roster",
            "class-session",
            ClassSession,
            _session,
            many=False,
        ),
        refusal=lambda db, pk: session_refusal(db, SessionMove.EMAIL_ROSTER, pk),
    ),
)
