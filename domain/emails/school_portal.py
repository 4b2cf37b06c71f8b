"""Messages of "my school": the contact's sign-in link, and confirmations of their changes."""

from __future__ import annotations

from datetime import timedelta

from domain.emails.compose import Body, course_facts, greeting, make_email, student_email
from domain.model import Course, School, Student
from domain.outbox import Email
from domain.rules.settings import Settings


def _named(student: Student) -> str:
    return f"{student.full_name} ({student.title})" if student.title else student.full_name


def school_sign_in_link(*, school: School, url: str, ttl: timedelta, settings: Settings) -> Email:
    """To a school's contact: the single-use link that opens the school's participants."""
    body = Body(greeting(school.contact_name))
    body.para(f"Someone (we hope you) asked to see the participants of {school.name}.")
    body.link(f"Open {school.name}'s participants", url)
    body.para(
        f"The link works once, for {int(ttl.total_seconds() // 3600)} hours. "
        "If you did not ask for it, ignore this email: nothing changes."
    )
    return make_email(
        kind="school_sign_in_link",
        to_address=school.contact_email,
        to_name=school.contact_name,
        subject=f"Your sign-in link for {school.name}",
        body=body,
        settings=settings,
    )


def participant_added(
    *, school: School, course: Course, participant: Student, settings: Settings
) -> Email:
    """To the contact: a teacher was added to a course."""
    body = Body(greeting(school.contact_name))
    body.para(f"We have added {_named(participant)} from {school.name} to {course.title}.")
    body.facts(course_facts(course, settings))
    body.para("If you did not make this change, please contact us.")
    return make_email(
        kind="school_participant_added",
        to_address=school.contact_email,
        to_name=school.contact_name,
        subject=f"Participant added: {course.title}",
        body=body,
        settings=settings,
    )


def participant_replaced(
    *,
    school: School,
    course: Course,
    replaced: Student,
    replacement: Student,
    reason: str,
    settings: Settings,
) -> Email:
    """To the contact: one participant's place passed to another."""
    body = Body(greeting(school.contact_name))
    body.para(
        f"{_named(replacement)} has taken the place of {_named(replaced)} "
        f"from {school.name} on {course.title}."
    )
    body.facts([*course_facts(course, settings), ("Reason", reason)])
    body.para("The place keeps its payment. If you did not make this change, please contact us.")
    return make_email(
        kind="school_participant_replaced",
        to_address=school.contact_email,
        to_name=school.contact_name,
        subject=f"Participant replaced: {course.title}",
        body=body,
        settings=settings,
    )


def teacher_place_confirmed(
    *, school: School, course: Course, teacher: Student, settings: Settings
) -> Email:
    """To a teacher with an email: their school has given them a place on a course."""
    body = Body(greeting(teacher.first_name))
    body.para(f"{school.name} has signed you up for {course.title}. Your place is reserved.")
    body.facts(course_facts(course, settings))
    body.para(f"Questions about this place? Please ask {school.contact_name or school.name}.")
    return student_email(
        kind="school_teacher_confirmation",
        student=teacher,
        subject=f"You are signed up: {course.title}",
        body=body,
        settings=settings,
    )
