"""Publish a course on the public site, or take it off: one audited change of the course."""

from __future__ import annotations

from admin_site.actions.framework import ActionInput, ActionSpec
from domain.db.database import Database
from domain.model import Course
from domain.rules.course_moves import CourseMove
from domain.services.courses import update_course
from domain.services.move_states import course_refusal


def _publish(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    course = update_course(db, pk, {"is_published": True}, actor=data.actor)
    return f"{course.title} is published: the public can see and book it."


def _unpublish(db: Database, data: ActionInput) -> str:
    (pk,) = data.pks
    course = update_course(db, pk, {"is_published": False}, actor=data.actor)
    return f"{course.title} is no longer on the public site; its registrations are kept."


def _title(course: Course) -> str:
    return course.title


PUBLISHING_ACTIONS = (
    ActionSpec(
        slug=CourseMove.PUBLISH.value,
        title="Publish",
        identity="course",
        model=Course,
        run=_publish,
        label=_title,
        question="Publish {target}?",
        intro="The course appears in the public catalogue and can be booked.",
        refusal=lambda db, pk: course_refusal(db, CourseMove.PUBLISH, pk),
        back_to_row=True,
    ),
    ActionSpec(
        slug=CourseMove.UNPUBLISH.value,
        title="Unpublish",
        identity="course",
        model=Course,
        run=_unpublish,
        label=_title,
        question="Take {target} off the public site?",
        intro="The public can no longer see or book it. Registrations already made are kept.",
        refusal=lambda db, pk: course_refusal(db, CourseMove.UNPUBLISH, pk),
        back_to_row=True,
    ),
)
