"""Actions on students and class sessions: register, classify, email a profile link,
open a session's roll call or sign-in sheet."""

from __future__ import annotations

from typing import Any

from sqladmin import action
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from admin_site.actions.framework import (
    ActionInput,
    ActionSpec,
    DetailAction,
    Field,
    action_button,
    open_action,
    open_first,
    registration_message,
)
from admin_site.request_context import database
from domain.clock import utcnow
from domain.db import tables
from domain.db.database import Database
from domain.enums import PricingType, StudentType
from domain.errors import ValidationError
from domain.formatting import label, local_datetime
from domain.model import Student
from domain.rules.identifiers import parse_id
from domain.rules.personal_data import erased_name
from domain.rules.session_moves import SessionMove
from domain.rules.session_moves import allowed_moves as allowed_session_moves
from domain.rules.student_moves import DESTRUCTIVE as STUDENT_DESTRUCTIVE
from domain.rules.student_moves import StudentMove
from domain.rules.student_moves import allowed_moves as allowed_student_moves
from domain.services.move_states import (
    not_ended_clause,
    session_state,
    student_refusal,
    student_state_of,
)
from domain.services.personal_data import erase_student, erasure_refusal_for
from domain.services.profiles import request_profile_link
from domain.services.registration import register_by_staff
from domain.services.settings import load_settings
from domain.services.students import classify_students

_TYPES = tuple((t.value, t.value.replace("_", " ").capitalize()) for t in StudentType)
_PRICING = tuple((p.value, label(p.value)) for p in PricingType)
#: Courses offered in the register form's picker: those not yet over, soonest first.
_MAX_COURSE_CHOICES = 200


def _classify(db: Database, data: ActionInput) -> str:
    kind = data.values["student_type"]
    changed = classify_students(db, student_ids=data.pks, student_type=kind, actor=data.actor)
    label = dict(_TYPES)[kind]
    return f"{changed} student{'s' if changed != 1 else ''} classified as {label}."


def _send_profile_link(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    with db.read() as session:
        student = session.get(Student, pk)
        email = student.email if student else ""
    if not email or not request_profile_link(db, email=email, actor=data.actor):
        raise ValidationError("This student has no email address to send the link to.")
    return f"A link to edit their profile is queued to be sent to {email}."


def _erase(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    erase_student(db, pk, actor=data.actor)
    return f"The personal data of student #{pk} is erased; they are now {erased_name(pk)}."


def _register(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    course_id = parse_id(data.values["course_id"])
    if course_id is None:
        raise ValidationError("Choose the course from the list.", field="course_id")
    outcome = register_by_staff(
        db,
        course_id=course_id,
        student_id=pk,
        pricing_type=data.values["pricing_type"],
        override_reason=data.values["override_reason"],
        actor=data.actor,
    )
    return registration_message(db, outcome)


def _register_fields(db: Database, pks: list[int]) -> tuple[Field, ...]:
    """The register form, with a picker of the courses not yet over.

    Read again when the form is posted, so a course that ended since is refused.
    """
    c = tables.courses.c
    now = utcnow()
    with db.read() as session:
        zone = load_settings(session).timezone
        rows = session.execute(
            select(c.id, c.title, c.starts_at)
            .where(not_ended_clause(now))
            .order_by(c.starts_at, c.id)
            .limit(_MAX_COURSE_CHOICES)
        ).all()
    courses = tuple(
        (str(row.id), f"{row.title} — {local_datetime(row.starts_at, zone)}") for row in rows
    )
    return (
        Field("course_id", "Course", kind="select", choices=courses),
        Field(
            "pricing_type",
            "Pricing",
            kind="select",
            choices=_PRICING,
            default=PricingType.FULL_PACKAGE.value,
            help="For a drop-in, register the student from the course's page.",
        ),
        Field(
            "override_reason",
            "Reason for overriding a rule",
            kind="textarea",
            required=False,
            help="Only needed when the course is full or the student's type may not book it.",
        ),
    )


STUDENT_ACTIONS = (
    ActionSpec(
        slug="classify-students",
        title="Classify students",
        identity="student",
        model=Student,
        run=_classify,
        fields=(Field("student_type", "Student type", kind="select", choices=_TYPES),),
        many=True,
        intro="Staff-confirmed types decide who may see and book restricted courses.",
    ),
    ActionSpec(
        slug=StudentMove.REGISTER.value,
        title="Register for a course",
        identity="student",
        model=Student,
        run=_register,
        fields_for=_register_fields,
        refusal=lambda db, pk: student_refusal(db, StudentMove.REGISTER, pk),
    ),
    ActionSpec(
        slug=StudentMove.ERASE.value,
        title="Erase personal data",
        identity="student",
        model=Student,
        run=_erase,
        question="Erase the personal data of {target}?",
        label=lambda student: student.full_name,
        intro="Their name, email, phone, notes and everything they wrote are replaced or "
        "blanked, the emails sent to them are wiped and their links stop working. Their "
        "registrations, payments and attendance stay, without their name, so course figures "
        "stay true. This cannot be undone.",
        confirm="I understand that this student's personal data will be erased for good.",
        refusal=erasure_refusal_for,
    ),
    ActionSpec(
        slug=StudentMove.SEND_PROFILE_LINK.value,
        title="Send a profile link",
        identity="student",
        model=Student,
        run=_send_profile_link,
        intro="The student gets an email with a link to check and edit their details. "
        "The link works once, for a day.",
        refusal=lambda db, pk: student_refusal(db, StudentMove.SEND_PROFILE_LINK, pk),
    ),
)

#: A move's button label on a student's page.
STUDENT_LABELS: dict[StudentMove, str] = {
    StudentMove.REGISTER: "Register for a course",
    StudentMove.CLASSIFY: "Classify",
    StudentMove.SEND_PROFILE_LINK: "Send a profile link",
    StudentMove.ERASE: "Erase personal data",
}

#: A move's button label on a class session's page.
SESSION_LABELS: dict[SessionMove, str] = {
    SessionMove.ROLL_CALL: "Roll call",
    SessionMove.SIGN_IN_SHEET: "Print sign-in sheet",
    SessionMove.EMAIL_ROSTER: "Email the roster",
    SessionMove.CHANGE: "Move or cancel",
}


class StudentActions:
    """Mixed into the student view: classify the rows chosen in the list; on a student's
    page, the moves ``domain.rules.student_moves`` allows."""

    def detail_actions(self, request: Request, model: Any) -> list[DetailAction]:
        """The buttons for the moves this student's state allows, in page order."""
        return [
            action_button(
                request,
                move.value,
                model.id,
                STUDENT_LABELS[move],
                destructive=move in STUDENT_DESTRUCTIVE,
            )
            for move in allowed_student_moves(student_state_of(model))
        ]

    @action("classify-students", "Classify", add_in_list=True, add_in_detail=False)
    async def action_classify(self, request: Request) -> Response:
        return open_action(request, "classify-students")


class ClassSessionActions:
    """Mixed into the class session view: roll call, sign-in sheet, an email to the roster."""

    async def detail_actions(self, request: Request, model: Any) -> list[DetailAction]:
        """The buttons for the moves this session's state allows, in page order."""
        state = await run_in_threadpool(session_state, database(request), model.id)
        return [_session_button(request, move, model.id) for move in allowed_session_moves(state)]

    @action("email-session", "Email the roster", add_in_list=False, add_in_detail=False)
    async def action_email_session(self, request: Request) -> Response:
        return open_action(request, "email-session")

    @action("change-session", "Move or cancel", add_in_list=False, add_in_detail=False)
    async def action_change_session(self, request: Request) -> Response:
        return open_action(request, "change-session")

    @action("rollcall", "Roll call", add_in_list=False, add_in_detail=False)
    async def action_rollcall(self, request: Request) -> Response:
        return open_first(
            request, identity="class-session", route="admin:view-rollcall", param="session_id"
        )


def _session_button(request: Request, move: SessionMove, pk: int) -> DetailAction:
    label = SESSION_LABELS[move]
    if move is SessionMove.ROLL_CALL:
        return DetailAction(label, str(request.url_for("admin:view-rollcall", session_id=pk)))
    if move is SessionMove.SIGN_IN_SHEET:
        url = request.url_for("admin:view-rollcall-sheet", session_id=pk)
        return DetailAction(label, str(url))
    return action_button(request, move.value, pk, label)
