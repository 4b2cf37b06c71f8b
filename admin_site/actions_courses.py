"""Actions on a course and its waitlist: sessions, staff registration, offers, reordering."""

from __future__ import annotations

from sqladmin import action
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin_site.actions import ActionInput, ActionSpec, Field, open_action
from domain.db.database import Database
from domain.db.tables import students
from domain.enums import PricingType
from domain.errors import NotFound, ValidationError
from domain.model import Course, WaitlistEntry
from domain.services.registration import register_by_staff
from domain.services.sessions import generate_sessions
from domain.services.waitlist import move_waitlist_entry, offer_next_seat, remove_waitlist_entry

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
    with db.read() as session:
        if text.isdigit():
            query = select(students.c.id).where(students.c.id == int(text))
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
    if drop_in and not drop_in.isdigit():
        raise ValidationError("The drop-in session must be a session id.")
    outcome = register_by_staff(
        db,
        course_id=pk,
        student_id=find_student_id(db, values["student"]),
        pricing_type=values["pricing_type"],
        drop_in_session_id=int(drop_in) if drop_in else None,
        override_reason=values["override_reason"],
        actor=data.actor,
    )
    if not outcome.created:
        return f"The student already has registration #{outcome.registration_id}."
    return f"Registered: registration #{outcome.registration_id}, {outcome.amount_due} due."


def _move(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    raw = data.values["new_position"]
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationError("The new position must be a whole number from 1.")
    move_waitlist_entry(
        db, entry_id=pk, new_position=int(raw), reason=data.values["reason"], actor=data.actor
    )
    return f"Moved to position {int(raw)} on the waitlist."


def _remove(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    remove_waitlist_entry(db, entry_id=pk, reason=data.values["reason"], actor=data.actor)
    return "Removed from the waitlist; the students behind moved up."


_PRICING = tuple((p.value, p.value.replace("_", " ").capitalize()) for p in PricingType)

COURSE_ACTIONS = (
    ActionSpec(
        slug="generate-sessions",
        title="Generate sessions from slots",
        identity=COURSE,
        model=Course,
        run=_generate,
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
    ),
    ActionSpec(
        slug="register-student",
        title="Register a student",
        identity=COURSE,
        model=Course,
        run=_register,
        fields=(
            Field("student", "Student id or email"),
            Field(
                "pricing_type",
                "Pricing",
                kind="select",
                choices=_PRICING,
                default=PricingType.FULL_PACKAGE.value,
            ),
            Field(
                "drop_in_session_id",
                "Drop-in session id",
                kind="number",
                required=False,
                help="Only for a drop-in.",
            ),
            Field(
                "override_reason",
                "Reason",
                kind="textarea",
                help="Recorded with the registration; it may pass capacity and eligibility.",
            ),
        ),
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
    ),
    ActionSpec(
        slug="remove-waitlist-entry",
        title="Remove from the waitlist",
        identity=WAITLIST,
        model=WaitlistEntry,
        run=_remove,
        fields=(Field("reason", "Reason", kind="textarea"),),
        confirm="Remove the student from the line; they lose their place.",
    ),
)


class CourseActions:
    """Mixed into the course view: buttons on its detail page."""

    @action("rollcall", "Roll call", add_in_list=False)
    async def action_rollcall(self, request: Request) -> Response:
        pk = request.query_params.get("pks", "").split(",")[0]
        if not pk.isdigit():
            return RedirectResponse(request.url_for("admin:list", identity=COURSE), 302)
        return RedirectResponse(
            request.url_for("admin:view-rollcall-course", course_id=int(pk)), 302
        )

    @action("generate-sessions", "Generate sessions", add_in_list=False)
    async def action_generate_sessions(self, request: Request) -> Response:
        return open_action(request, "generate-sessions")

    @action("register-student", "Register a student", add_in_list=False)
    async def action_register_student(self, request: Request) -> Response:
        return open_action(request, "register-student")

    @action("offer-next-seat", "Offer next seat", add_in_list=False)
    async def action_offer_next_seat(self, request: Request) -> Response:
        return open_action(request, "offer-next-seat")


class WaitlistEntryActions:
    """Mixed into the waitlist entry view."""

    @action("move-waitlist-entry", "Move", add_in_list=False)
    async def action_move(self, request: Request) -> Response:
        return open_action(request, "move-waitlist-entry")

    @action("remove-waitlist-entry", "Remove", add_in_list=False)
    async def action_remove(self, request: Request) -> Response:
        return open_action(request, "remove-waitlist-entry")
