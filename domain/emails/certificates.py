"""The message that brings a participant their certificate of attendance."""

from __future__ import annotations

from domain.emails.compose import Body, greeting, student_email
from domain.model import Student
from domain.outbox import Email
from domain.rules.settings import Settings


def certificate_issued(
    *,
    student: Student,
    course_title: str,
    hours: str,
    code: str,
    pdf_url: str,
    verify_url: str,
    settings: Settings,
) -> Email:
    """Your certificate: what it states, the link to download it, and how others can check it."""
    body = Body(greeting(student.first_name))
    body.para(f"Your certificate of attendance for {course_title} is ready.")
    body.facts([("Course", course_title), ("Hours attended", hours), ("Verification code", code)])
    body.link("Download your certificate (PDF)", pdf_url)
    body.para(f"Anyone you show it to can check that it is genuine with its code, at {verify_url}")
    return student_email(
        kind="certificate_issued",
        student=student,
        subject=f"Your certificate of attendance: {course_title}",
        body=body,
        settings=settings,
    )
