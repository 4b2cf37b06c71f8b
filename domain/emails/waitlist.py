"""Messages to a student on a course's waitlist: joined, and a seat offered."""

from __future__ import annotations

from datetime import datetime

from domain.emails.compose import Body, course_facts, greeting, local_time, student_email
from domain.model import Course, Student, WaitlistEntry
from domain.outbox import Email
from domain.rules.settings import Settings


def waitlist_joined(
    *, entry: WaitlistEntry, course: Course, student: Student, settings: Settings
) -> Email:
    """You are on the waitlist, at this position; what happens when a seat frees."""
    body = Body(greeting(student.first_name))
    body.para(f"{course.title} is full, so we put you on its waitlist.")
    body.facts(
        [
            ("Your place in line", str(entry.position or "")),
            *course_facts(course, settings),
        ]
    )
    body.para(
        "When a seat frees up and you are next in line, we will email you a link to "
        f"claim it. The offer stays open for {settings.offer_hours} hours."
    )
    return student_email(
        kind="waitlist_joined",
        student=student,
        subject=f"You are on the waitlist: {course.title}",
        body=body,
        settings=settings,
    )


def waitlist_offer(
    *,
    course: Course,
    student: Student,
    claim_url: str,
    decline_url: str,
    expires_at: datetime,
    settings: Settings,
) -> Email:
    """A seat is yours if you claim it before ``expires_at`` (shown in local time)."""
    deadline = local_time(expires_at, settings)
    body = Body(greeting(student.first_name))
    body.para(f"Good news: a seat is free in {course.title} and it is offered to you.")
    body.facts(
        [
            *course_facts(course, settings),
            ("Claim before", deadline),
        ]
    )
    body.link("Claim your seat", claim_url)
    body.para(
        "If you cannot come, please decline so the seat goes to the next person in line. "
        f"If you do nothing, the offer passes on at {deadline}."
    )
    body.link("Decline the offer", decline_url)
    return student_email(
        kind="waitlist_offer",
        student=student,
        subject=f"A seat is free for you: {course.title}",
        body=body,
        settings=settings,
    )
