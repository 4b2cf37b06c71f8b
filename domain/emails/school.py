"""The confirmation a school's contact receives after signing participants up."""

from __future__ import annotations

from collections.abc import Sequence

from domain.emails.compose import Body, course_facts, greeting, make_email
from domain.model import Course, School, Student
from domain.outbox import Email
from domain.rules.settings import Settings


def school_signup_confirmation(
    *, school: School, course: Course, participants: Sequence[Student], settings: Settings
) -> Email:
    """To the school contact: who is signed up, for which course, when and where."""
    body = Body(greeting(school.contact_name))
    count = len(participants)
    noun = "participant" if count == 1 else "participants"
    body.para(f"We have signed up {count} {noun} from {school.name} for {course.title}.")
    body.facts(course_facts(course, settings))
    body.items([f"{p.full_name} ({p.title})" if p.title else p.full_name for p in participants])
    body.para("To change the list, please contact us.")
    return make_email(
        kind="school_signup_confirmation",
        to_address=school.contact_email,
        to_name=school.contact_name,
        subject=f"Sign-up confirmed: {course.title}",
        body=body,
        settings=settings,
    )
