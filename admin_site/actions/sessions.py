"""Move or cancel a class session: everyone booked on it is emailed
(``domain.services.session_changes``)."""

from __future__ import annotations

from admin_site.actions.framework import ActionInput, ActionSpec, Field
from domain.db.database import Database
from domain.errors import NotFound
from domain.formatting import clock_time
from domain.model import ClassSession
from domain.rules.session_moves import SessionMove
from domain.services.move_states import session_refusal
from domain.services.session_changes import change_session, meeting_place, parse_session_change

_WHAT = (("move", "Move it (new date, time or place)"), ("cancel", "Cancel it"))


def _change(db: Database, data: ActionInput) -> str:
    change = parse_session_change(data.values)
    told = change_session(db, session_id=data.pks[0], change=change, actor=data.actor)
    done = "cancelled" if change.cancel else "moved"
    return f"The session is {done}; {told} student{'' if told == 1 else 's'} will be emailed."


def _fields(db: Database, pks: list[int]) -> tuple[Field, ...]:
    """The form, filled with the session's date, times and own place."""
    with db.read() as session:
        held = session.get(ClassSession, pks[0])
        if held is None or held.course is None:
            raise NotFound(f"There is no class session with id {pks[0]}.")
        place = meeting_place(held, held.course)
        return (
            Field("what", "Move or cancel", kind="select", choices=_WHAT, default="move"),
            Field(
                "session_date",
                "Date",
                default=held.session_date.isoformat(),
                help="YYYY-MM-DD",
                half=True,
            ),
            Field(
                "location",
                "Place",
                required=False,
                default=held.location,
                help=f"Empty: where the course meets ({place})." if place else "",
                half=True,
            ),
            Field("start_time", "Starts", default=clock_time(held.start_time), half=True),
            Field(
                "end_time",
                "Ends",
                required=False,
                default=clock_time(held.end_time),
                half=True,
            ),
            Field(
                "reason",
                "Reason",
                kind="textarea",
                help="Given in the email to everyone booked, and kept in the audit log.",
            ),
        )


SESSION_CHANGE_ACTIONS = (
    ActionSpec(
        slug=SessionMove.CHANGE.value,
        title="Move or cancel this session",
        identity="class-session",
        model=ClassSession,
        run=_change,
        fields_for=_fields,
        intro="Everyone booked on this session is emailed the new date, time and place, "
        "or that it is cancelled. Their class reminder follows the new time.",
        confirm="Email everyone booked on this session about the change.",
        refusal=lambda db, pk: session_refusal(db, SessionMove.CHANGE, pk),
    ),
)
