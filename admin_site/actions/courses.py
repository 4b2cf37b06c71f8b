"""Actions on a course and its waitlist: sessions, staff registration, offers, reordering."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqladmin import action
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from admin_site.actions.certificates import course_certificate_buttons
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
from domain.db.database import Database
from domain.db.tables import class_sessions, course_slots, prices, students
from domain.enums import PricingType
from domain.errors import NotFound, ValidationError
from domain.model import Course, WaitlistEntry
from domain.rules.course_moves import CourseMove
from domain.rules.course_moves import allowed_moves as allowed_course_moves
from domain.rules.identifiers import parse_id
from domain.rules.waitlist_moves import DESTRUCTIVE as WAITLIST_DESTRUCTIVE
from domain.rules.waitlist_moves import WaitlistMove
from domain.rules.waitlist_moves import allowed_moves as allowed_waitlist_moves
from domain.services.move_states import (
    course_refusal,
    course_state,
    waitlist_entry_state,
    waitlist_refusal,
)
from domain.services.registration import register_by_staff
from domain.services.sessions import generate_sessions
from domain.services.waitlist import move_waitlist_entry, remove_waitlist_entry
from domain.services.waitlist_offers import offer_next_seat, offer_seat

COURSE = "course"
WAITLIST = "waitlist-entry"


def _generate(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    created = generate_sessions(db, course_id=pk, actor=data.actor)
    if not created:
        return "Every session of this course already exists; nothing was added."
    return f"Created {created} session{'s' if created != 1 else ''}."


def _offer(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    token = offer_next_seat(db, course_id=pk, actor=data.actor)
    if token is None:
        return "No one is waiting for a seat, or no seat is free: no offer was sent."
    return "The next student on the waitlist has been offered the seat by email."


def find_student_id(db: Database, raw: str) -> int:
    """A student picked by id or by email address."""
    text = raw.strip()
    student_id = parse_id(text)
    with db.read() as session:
        if student_id is not None:
            query = select(students.c.id).where(students.c.id == student_id)
        else:
            query = select(students.c.id).where(func.lower(students.c.email) == text.lower())
        found = session.scalar(query)
    if found is None:
        raise NotFound(f"No student with id or email {text!r}.")
    return int(found)


def _register(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    values = data.values
    drop_in = values.get("drop_in_session_id", "")
    if drop_in and parse_id(drop_in) is None:
        raise ValidationError("Choose the drop-in session from the list.")
    outcome = register_by_staff(
        db,
        course_id=pk,
        student_id=find_student_id(db, values["student"]),
        pricing_type=values["pricing_type"],
        drop_in_session_id=int(drop_in) if drop_in else None,
        override_reason=values["override_reason"],
        actor=data.actor,
    )
    return registration_message(db, outcome)


def _move(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    raw = data.values["new_position"]
    # A position is counted like an id: 1 up to what an integer column holds.
    if parse_id(raw) is None:
        raise ValidationError("The new position must be a whole number from 1.")
    move_waitlist_entry(
        db, entry_id=pk, new_position=int(raw), reason=data.values["reason"], actor=data.actor
    )
    return f"Moved to position {int(raw)} on the waitlist."


def _offer_to_entry(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    offer_seat(db, entry_id=pk, actor=data.actor)
    return "The seat has been offered to this student by email."


def _remove(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    remove_waitlist_entry(db, entry_id=pk, reason=data.values["reason"], actor=data.actor)
    return "Removed from the waitlist; the students behind moved up."


_PRICING = tuple((p.value, p.value.replace("_", " ").capitalize()) for p in PricingType)
#: Sessions offered in the drop-in picker: a course's next ones, never an endless list.
_MAX_SESSION_CHOICES = 200

_STUDENT = Field(
    "student",
    "Student",
    kind="student",
    help="Type a name or email to search; or type the student's email or id.",
)
_PRICING_FIELD = Field(
    "pricing_type",
    "Pricing",
    kind="select",
    choices=_PRICING,
    default=PricingType.FULL_PACKAGE.value,
)
# Optional: the domain asks for it only when the booking bends a rule.
_REASON = Field(
    "override_reason",
    "Reason for overriding a rule",
    kind="textarea",
    required=False,
    help=(
        "Only needed when the course is full or the student's type may not book it: "
        "a reason lets the registration through and is kept with it."
    ),
)


def _register_fields(db: Database, pks: list[int]) -> tuple[Field, ...]:
    """The register form; a drop-in course also gets a picker of its coming sessions."""
    sessions = _drop_in_sessions(db, pks[0])
    if sessions is None:
        return (_STUDENT, _PRICING_FIELD, _REASON)
    drop_in = Field(
        "drop_in_session_id",
        "Drop-in session",
        kind="select",
        choices=sessions,
        required=False,
        help="Only for a drop-in.",
    )
    return (_STUDENT, _PRICING_FIELD, drop_in, _REASON)


def _drop_in_sessions(db: Database, course_id: int) -> tuple[tuple[str, str], ...] | None:
    """(id, label) of the coming sessions sold as drop-ins; None when the course sells none.

    A drop-in is priced by its session's slot, so only sessions of slots with a
    drop-in price are offered.
    """
    slots, c_sessions = course_slots.c, class_sessions.c
    drop_in_slots = (
        select(prices.c.slot_id)
        .join(course_slots, slots.id == prices.c.slot_id)
        .where(slots.course_id == course_id, prices.c.pricing_type == PricingType.DROP_IN)
    )
    with db.read() as session:
        if session.scalar(drop_in_slots.limit(1)) is None:
            return None
        rows = session.execute(
            select(c_sessions.id, c_sessions.session_date, c_sessions.start_time)
            .where(
                c_sessions.course_id == course_id,
                c_sessions.slot_id.in_(drop_in_slots),
                c_sessions.session_date >= utcnow().date(),
            )
            .order_by(c_sessions.session_date, c_sessions.start_time, c_sessions.id)
            .limit(_MAX_SESSION_CHOICES)
        ).all()
    return tuple((str(row.id), _session_label(row.session_date, row.start_time)) for row in rows)


def _session_label(day: date, start: time | None) -> str:
    return f"{day:%a %Y-%m-%d}" + (f" {start:%H:%M}" if start else "")


COURSE_ACTIONS = (
    ActionSpec(
        slug="generate-sessions",
        title="Generate sessions from slots",
        identity=COURSE,
        model=Course,
        run=_generate,
        refusal=lambda db, pk: course_refusal(db, CourseMove.GENERATE_SESSIONS, pk),
        intro="Creates a class session for each meeting of the course's slots; "
        "existing sessions are kept.",
    ),
    ActionSpec(
        slug="offer-next-seat",
        title="Offer the next waitlist seat",
        identity=COURSE,
        model=Course,
        run=_offer,
        confirm="Email an offer to the next student waiting.",
        refusal=lambda db, pk: course_refusal(db, CourseMove.OFFER_NEXT_SEAT, pk),
    ),
    ActionSpec(
        slug="register-student",
        title="Register a student",
        identity=COURSE,
        model=Course,
        run=_register,
        fields=(_STUDENT, _PRICING_FIELD, _REASON),
        fields_for=_register_fields,
        refusal=lambda db, pk: course_refusal(db, CourseMove.REGISTER_STUDENT, pk),
    ),
)

WAITLIST_ACTIONS = (
    ActionSpec(
        slug="move-waitlist-entry",
        title="Move on the waitlist",
        identity=WAITLIST,
        model=WaitlistEntry,
        run=_move,
        fields=(
            Field("new_position", "New position", kind="number"),
            Field("reason", "Reason", kind="textarea"),
        ),
        refusal=lambda db, pk: waitlist_refusal(db, WaitlistMove.MOVE, pk),
    ),
    ActionSpec(
        slug="remove-waitlist-entry",
        title="Remove from the waitlist",
        identity=WAITLIST,
        model=WaitlistEntry,
        run=_remove,
        fields=(Field("reason", "Reason", kind="textarea"),),
        confirm="Remove the student from the line; they lose their place.",
        refusal=lambda db, pk: waitlist_refusal(db, WaitlistMove.REMOVE, pk),
    ),
    ActionSpec(
        slug=WaitlistMove.OFFER_SEAT.value,
        title="Offer the seat",
        identity=WAITLIST,
        model=WaitlistEntry,
        run=_offer_to_entry,
        confirm="Email this student an offer of the free seat.",
        refusal=lambda db, pk: waitlist_refusal(db, WaitlistMove.OFFER_SEAT, pk),
    ),
)


#: A move's button label on a course's page.
COURSE_LABELS: dict[CourseMove, str] = {
    CourseMove.PUBLISH: "Publish",
    CourseMove.REGISTER_STUDENT: "Register a student",
    CourseMove.ROLL_CALL: "Roll call",
    CourseMove.EMAIL_BOOKED: "Email everyone booked",
    CourseMove.OFFER_NEXT_SEAT: "Offer the next seat",
    CourseMove.GENERATE_SESSIONS: "Generate sessions",
    CourseMove.UNPUBLISH: "Unpublish",
}

#: A move's button label on a waitlist entry's page.
WAITLIST_LABELS: dict[WaitlistMove, str] = {
    WaitlistMove.OFFER_SEAT: "Offer the seat",
    WaitlistMove.MOVE: "Move in line",
    WaitlistMove.REMOVE: "Remove from the waitlist",
}


class CourseActions:
    """Mixed into the course view: the buttons its state allows, at the top of its page.

    The moves come from ``domain.rules.course_moves``; each opens its action's
    form, which asks the rule again. The ``@action`` routes below stay for
    links made before, and are not listed by SQLAdmin (``add_in_detail``).
    """

    async def detail_actions(self, request: Request, model: Any) -> list[DetailAction]:
        """The buttons for the moves this course's state allows, in page order."""
        state = await run_in_threadpool(course_state, database(request), model.id)
        buttons = [_course_button(request, move, model.id) for move in allowed_course_moves(state)]
        return buttons + await course_certificate_buttons(request, model.id)

    @action("email-course", "Email everyone booked", add_in_list=False, add_in_detail=False)
    async def action_email_course(self, request: Request) -> Response:
        return open_action(request, "email-course")

    @action("offer-next-seat", "Offer next seat", add_in_list=False, add_in_detail=False)
    async def action_offer_next_seat(self, request: Request) -> Response:
        return open_action(request, "offer-next-seat")

    @action("register-student", "Register a student", add_in_list=False, add_in_detail=False)
    async def action_register_student(self, request: Request) -> Response:
        return open_action(request, "register-student")

    @action("generate-sessions", "Generate sessions", add_in_list=False, add_in_detail=False)
    async def action_generate_sessions(self, request: Request) -> Response:
        return open_action(request, "generate-sessions")

    @action("rollcall", "Roll call", add_in_list=False, add_in_detail=False)
    async def action_rollcall(self, request: Request) -> Response:
        return open_first(
            request, identity=COURSE, route="admin:view-rollcall-course", param="course_id"
        )


def _course_button(request: Request, move: CourseMove, pk: int) -> DetailAction:
    label = COURSE_LABELS[move]
    if move is CourseMove.ROLL_CALL:
        return DetailAction(label, str(request.url_for("admin:view-rollcall-course", course_id=pk)))
    return action_button(request, move.value, pk, label)


class WaitlistEntryActions:
    """Mixed into the waitlist entry view: the buttons its state allows
    (``domain.rules.waitlist_moves``); removing stands apart, in red."""

    async def detail_actions(self, request: Request, model: Any) -> list[DetailAction]:
        """The buttons for the moves this entry's state allows, in page order."""
        state = await run_in_threadpool(waitlist_entry_state, database(request), model.id)
        return [
            action_button(
                request,
                move.value,
                model.id,
                WAITLIST_LABELS[move],
                destructive=move in WAITLIST_DESTRUCTIVE,
            )
            for move in allowed_waitlist_moves(state)
        ]

    @action("remove-waitlist-entry", "Remove", add_in_list=False, add_in_detail=False)
    async def action_remove(self, request: Request) -> Response:
        return open_action(request, "remove-waitlist-entry")

    @action("move-waitlist-entry", "Move", add_in_list=False, add_in_detail=False)
    async def action_move(self, request: Request) -> Response:
        return open_action(request, "move-waitlist-entry")
