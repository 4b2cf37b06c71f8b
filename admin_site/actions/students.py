"""Actions on students and class sessions: classify students, open a session's roll call."""

from __future__ import annotations

from sqladmin import action
from starlette.requests import Request
from starlette.responses import Response

from admin_site.actions.framework import ActionInput, ActionSpec, Field, open_action, open_first
from domain.db.database import Database
from domain.enums import StudentType
from domain.model import Student
from domain.services.students import classify_students

_TYPES = tuple((t.value, t.value.replace("_", " ").capitalize()) for t in StudentType)


def _classify(db: Database, data: ActionInput) -> str:
    kind = data.values["student_type"]
    changed = classify_students(db, student_ids=data.pks, student_type=kind, actor=data.actor)
    label = dict(_TYPES)[kind]
    return f"{changed} student{'s' if changed != 1 else ''} classified as {label}."


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
)


class StudentActions:
    """Mixed into the student view: works on the rows chosen in the list, or one student."""

    @action("classify-students", "Classify", add_in_list=True)
    async def action_classify(self, request: Request) -> Response:
        return open_action(request, "classify-students")


class ClassSessionActions:
    """Mixed into the class session view."""

    @action("email-session", "Email the roster", add_in_list=False)
    async def action_email_session(self, request: Request) -> Response:
        return open_action(request, "email-session")

    @action("rollcall", "Roll call", add_in_list=False)
    async def action_rollcall(self, request: Request) -> Response:
        return open_first(
            request, identity="class-session", route="admin:view-rollcall", param="session_id"
        )
