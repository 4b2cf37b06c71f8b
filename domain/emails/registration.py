"""Messages to a student about their registration: received, paid, cancelled."""

from __future__ import annotations

from domain.emails.compose import Body, course_facts, greeting, local_time, money, student_email
from domain.model import Course, Registration, Student
from domain.outbox import Email
from domain.rules.payment import PaymentInstructions
from domain.rules.settings import Settings


def registration_received(
    *,
    registration: Registration,
    course: Course,
    student: Student,
    instructions: PaymentInstructions | None,
    view_url: str,
    cancel_url: str,
    settings: Settings,
    bookings_url: str = "",
) -> Email:
    """Thanks for registering: what is due, how to pay it, and links to view or cancel."""
    body = Body(greeting(student.first_name))
    body.para(f"Thank you for registering for {course.title}. Your place is reserved.")
    body.facts(
        [("Registration number", str(registration.id or "")), *course_facts(course, settings)]
    )
    if instructions is None:
        if registration.amount_due > 0:
            body.para(
                f"Amount due: {money(registration.amount_due, settings.currency)}. "
                "We will contact you about how to pay."
            )
        else:
            body.para("No payment is needed for this course.")
    else:
        body.para(f"Amount due: {money(instructions.amount, settings.currency)}.")
        how_to_pay(body, instructions, settings)
        if registration.hold_expires_at is not None:
            body.para(
                "We hold your seat until "
                f"{local_time(registration.hold_expires_at, settings)}; "
                "an unpaid registration is released after that."
            )
    body.link("View your registration", view_url)
    body.link("Cancel your registration", cancel_url)
    if bookings_url:
        body.link("See all your bookings", bookings_url)
    return student_email(
        kind="registration_received",
        student=student,
        subject=f"Registration received: {course.title}",
        body=body,
        settings=settings,
    )


def how_to_pay(body: Body, instructions: PaymentInstructions, settings: Settings) -> None:
    """The ways to pay and the note (the reference) to add to the payment."""
    if instructions.venmo_app_url:
        body.link("Pay with the Venmo app", instructions.venmo_app_url)
    if instructions.venmo_web_url:
        body.link("Pay with Venmo on the web", instructions.venmo_web_url)
    if instructions.zelle_phone:
        recipient = instructions.zelle_recipient_name or "us"
        body.para(
            f"Pay with Zelle: send {money(instructions.amount, settings.currency)} "
            f"to {recipient} at {instructions.zelle_phone}."
        )
    body.para(f"Please add this note to your payment: {instructions.note}")


def payment_confirmed(
    *,
    registration: Registration,
    course: Course,
    student: Student,
    view_url: str,
    settings: Settings,
) -> Email:
    """We received your payment: amount, method and reference as staff recorded them."""
    body = Body(greeting(student.first_name))
    body.para(f"We received your payment for {course.title}. You are all set.")
    body.facts(
        [
            ("Registration number", str(registration.id or "")),
            ("Amount", money(registration.amount_due, settings.currency)),
            ("Paid by", (registration.payment_method or "").replace("_", " ").capitalize()),
            ("Reference", registration.payment_reference),
            *course_facts(course, settings),
        ]
    )
    body.link("View your registration", view_url)
    return student_email(
        kind="payment_confirmed",
        student=student,
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
    body = Body(greeting(student.first_name))
    body.para(f"Your registration for {course.title} is cancelled and your seat released.")
    body.facts(
        [
            ("Registration number", str(registration.id or "")),
            ("Reason", reason),
            *course_facts(course, settings),
        ]
    )
    if registration.payment_confirmed_at is not None:
        body.para("You have already paid; we will contact you about a refund.")
    body.para("If this is a mistake, please contact us and we will help.")
    return student_email(
        kind="cancellation",
        student=student,
        subject=f"Registration cancelled: {course.title}",
        body=body,
        settings=settings,
    )
