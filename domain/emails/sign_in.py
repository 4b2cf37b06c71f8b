"""The message that carries a student's single-use link to "my bookings"."""

from __future__ import annotations

from datetime import timedelta

from domain import formatting
from domain.emails.compose import Body, greeting, student_email
from domain.model import Student
from domain.outbox import Email
from domain.rules.settings import Settings


def student_sign_in_link(
    *, student: Student, url: str, valid_for: timedelta, settings: Settings
) -> Email:
    """Open your bookings: the link, how long it works, and what to do if you did not ask."""
    body = Body(greeting(student.first_name))
    body.para("Someone (we hope you) asked to see your bookings with us.")
    body.link("Open my bookings", url)
    body.para(
        f"The link works once, for {formatting.duration(valid_for)}. If you did not ask for it, "
        "ignore this email: nobody can see your bookings without it."
    )
    return student_email(
        kind="student_sign_in_link",
        student=student,
        subject="Your bookings",
        body=body,
        settings=settings,
    )
