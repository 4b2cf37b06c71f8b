"""Messages to a student about their registration: received, paid, cancelled."""

from __future__ import annotations

from domain.emails.compose import Body, course_dates, local_time, make_email, money
from domain.model import Course, Registration, Student
from domain.outbox import Email
from domain.rules.payment import PaymentInstructions
from domain.rules.settings import Settings


def _course_facts(course: Course, settings: Settings) -> list[tuple[str, str]]:
    return [
        ("Course", course.title),
        ("When", course_dates(course, settings)),
        ("Where", course.location),
    ]


def _greeting(student: Student) -> str:
    return f"Hello {student.first_name}," if student.first_name else "Hello,"


def registration_received(
    *,
    registration: Registration,
    course: Course,
    student: Student,
    instructions: PaymentInstructions | None,
    view_url: str,
    cancel_url: str,
    settings: Settings,
) -> Email:
    """Thanks for registering: what is due, how to pay it, and links to view or cancel."""
    body = Body(_greeting(student))
    body.para(f"Thank you for registering for {course.title}. Your place is reserved.")
    body.facts(
        [("Registration number", str(registration.id or "")), *_course_facts(course, settings)]
    )
    if instructions is None:
        if registration.amount_due > 0:
            body.para(
                f"Amount due: {money(registration.amount_due)}. "
                "We will contact you about how to pay."
            )
        else:
            body.para("No payment is needed for this course.")
    else:
        body.para(f"Amount due: {money(instructions.amount)}.")
        if instructions.venmo_app_url:
            body.link("Pay with the Venmo app", instructions.venmo_app_url)
        if instructions.venmo_web_url:
            body.link("Pay with Venmo on the web", instructions.venmo_web_url)
        if instructions.zelle_phone:
            recipient = instructions.zelle_recipient_name or "us"
            body.para(
                f"Pay with Zelle: send {money(instructions.amount)} to {recipient} "
                f"at {instructions.zelle_phone}."
            )
        body.para(f"Please add this note to your payment: {instructions.note}")
        if registration.hold_expires_at is not None:
            body.para(
                "We hold your seat until "
                f"{local_time(registration.hold_expires_at, settings)}; "
                "an unpaid registration is released after that."
            )
    body.link("View your registration", view_url)
    body.link("Cancel your registration", cancel_url)
    return make_email(
        kind="registration_received",
        to_address=student.email or "",
        to_name=student.full_name,
        subject=f"Registration received: {course.title}",
        body=body,
        settings=settings,
    )


def payment_confirmed(
    *,
    registration: Registration,
    course: Course,
    student: Student,
    view_url: str,
    settings: Settings,
) -> Email:
    """We received your payment: amount, method and reference as staff recorded them."""
    body = Body(_greeting(student))
    body.para(f"We received your payment for {course.title}. You are all set.")
    body.facts(
        [
            ("Registration number", str(registration.id or "")),
            ("Amount", money(registration.amount_due)),
            ("Paid by", (registration.payment_method or "").replace("_", " ").capitalize()),
            ("Reference", registration.payment_reference),
            *_course_facts(course, settings),
        ]
    )
    body.link("View your registration", view_url)
    return make_email(
        kind="payment_confirmed",
        to_address=student.email or "",
        to_name=student.full_name,
        subject=f"Payment confirmed: {course.title}",
        body=body,
        settings=settings,
    )


def cancellation(
    *,
    registration: Registration,
    course: Course,
    student: Student,
    settings: Settings,
    reason: str = "",
) -> Email:
    """Your registration is cancelled (and why, when staff gave a reason)."""
    body = Body(_greeting(student))
    body.para(f"Your registration for {course.title} is cancelled and your seat released.")
    body.facts(
        [
            ("Registration number", str(registration.id or "")),
            ("Reason", reason),
            *_course_facts(course, settings),
        ]
    )
    if registration.payment_confirmed_at is not None:
        body.para("You have already paid; we will contact you about a refund.")
    body.para("If this is a mistake, please contact us and we will help.")
    return make_email(
        kind="cancellation",
        to_address=student.email or "",
        to_name=student.full_name,
        subject=f"Registration cancelled: {course.title}",
        body=body,
        settings=settings,
    )
