"""Messages the worker sends on its own, and those a session change sends: a reminder
before class, a reminder to pay before the hold ends, a moved or cancelled class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from domain import formatting
from domain.emails.compose import Body, greeting, local_time, make_email, money
from domain.emails.registration import how_to_pay
from domain.model import Registration
from domain.outbox import Email
from domain.rules.payment import PaymentInstructions
from domain.rules.settings import Settings


@dataclass(frozen=True)
class Addressee:
    """Whom a notice goes to: a student with an email."""

    first_name: str
    full_name: str
    email: str


@dataclass(frozen=True)
class ClassMeeting:
    """One class session as a notice tells it: course, when, where, what to bring."""

    course_title: str
    session_date: date
    start_time: time | None
    end_time: time | None
    location: str
    what_to_bring: str = ""

    def when(self) -> str:
        when = formatting.day_and_time(self.session_date, self.start_time)
        if self.end_time is not None and self.start_time is not None:
            when += f"\u2013{formatting.clock_time(self.end_time)}"
        return when

    def facts(self) -> list[tuple[str, str]]:
        return [
            ("Course", self.course_title),
            ("When", self.when()),
            ("Where", self.location),
            ("What to bring", self.what_to_bring),
        ]


def _to(kind: str, to: Addressee, subject: str, body: Body, settings: Settings) -> Email:
    return make_email(
        kind=kind,
        to_address=to.email,
        to_name=to.full_name,
        subject=subject,
        body=body,
        settings=settings,
    )


def class_reminder(
    *,
    to: Addressee,
    meeting: ClassMeeting,
    cancel_url: str,
    settings: Settings,
    changed: bool = False,
) -> Email:
    """Your class is coming up (or, ``changed``, has moved since we reminded you)."""
    body = Body(greeting(to.first_name))
    if changed:
        body.para(f"Your {meeting.course_title} class has moved. This is its new time and place.")
        subject = f"Class changed: {meeting.course_title}, {meeting.when()}"
    else:
        body.para(f"A reminder that your {meeting.course_title} class is coming up.")
        subject = f"Reminder: {meeting.course_title}, {meeting.when()}"
    body.facts(meeting.facts())
    body.para("If you can no longer come, please cancel so that someone else can have the seat.")
    body.link("Cancel your registration", cancel_url)
    return _to("class_changed" if changed else "class_reminder", to, subject, body, settings)


def payment_nudge(
    *,
    to: Addressee,
    registration: Registration,
    course_title: str,
    instructions: PaymentInstructions | None,
    settings: Settings,
) -> Email:
    """Your seat is held until a time that is near: how to pay, and the reference to add."""
    body = Body(greeting(to.first_name))
    expiry = registration.hold_expires_at
    held = f" until {local_time(expiry, settings)}" if expiry is not None else ""
    body.para(
        f"We are holding your seat for {course_title}{held}. "
        "It is released if it is still unpaid then."
    )
    body.facts(
        [
            ("Registration number", str(registration.id or "")),
            ("Amount due", money(registration.amount_due, settings.currency)),
        ]
    )
    if instructions is not None:
        how_to_pay(body, instructions, settings)
    return _to("payment_nudge", to, f"Payment reminder: {course_title}", body, settings)


def session_changed(
    *,
    to: Addressee,
    before: ClassMeeting,
    after: ClassMeeting | None,
    reason: str,
    cancel_url: str,
    settings: Settings,
) -> Email:
    """A class was moved (``after`` says where and when now) or cancelled (``after`` None)."""
    body = Body(greeting(to.first_name))
    if after is None:
        body.para(f"Your {before.course_title} class on {before.when()} is cancelled.")
        body.facts([("Course", before.course_title), ("Reason", reason)])
        body.para("Your other classes of the course are not affected.")
        body.link("Cancel your registration", cancel_url)
        subject = f"Class cancelled: {before.course_title}, {before.when()}"
        return _to("session_cancelled", to, subject, body, settings)
    body.para(
        f"Your {before.course_title} class that was on {before.when()} "
        f"at {before.location} has moved."
    )
    body.facts([*after.facts(), ("Reason", reason)])
    body.para("If you can no longer come, please cancel so that someone else can have the seat.")
    body.link("Cancel your registration", cancel_url)
    subject = f"Class moved: {before.course_title}, now {after.when()}"
    return _to("session_moved", to, subject, body, settings)
