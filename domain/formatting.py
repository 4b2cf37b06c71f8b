"""Values put into words for a person: the one place both sites, the emails and exports use.

Labels for the closed vocabularies, money with its currency, moments in the
organisation's time zone. Pure functions over plain values; nothing here reads
the database or knows a web framework.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from domain.enums import (
    ActorKind,
    AttendanceStatus,
    CourseKind,
    DifficultyLevel,
    EmailStatus,
    LinkPurpose,
    PaymentMethod,
    PaymentStatus,
    PricingType,
    RegistrationSource,
    StudentType,
    WaitlistStatus,
)

#: The label of every stored enum value. A value two vocabularies share reads the same in both.
LABELS: Mapping[str, str] = {
    CourseKind.WORKSHOP: "Workshop",
    CourseKind.SERIES: "Series",
    CourseKind.DROP_IN: "Drop-in",
    CourseKind.CREW_PRACTICE: "Crew practice",
    StudentType.GENERAL: "General",
    StudentType.CREW_MEMBER: "Crew member",
    DifficultyLevel.ALL_LEVELS: "All levels",
    DifficultyLevel.BEGINNER: "Beginner",
    DifficultyLevel.INTERMEDIATE: "Intermediate",
    DifficultyLevel.ADVANCED: "Advanced",
    PricingType.FULL_PACKAGE: "Full course",
    PaymentStatus.PENDING: "Pending",
    PaymentStatus.COMPLETED: "Paid",
    PaymentStatus.NOT_REQUIRED: "Not required",
    PaymentStatus.EXPIRED: "Expired",
    PaymentStatus.REFUNDED: "Refunded",
    PaymentMethod.VENMO: "Venmo",
    PaymentMethod.ZELLE: "Zelle",
    PaymentMethod.CASH: "Cash",
    PaymentMethod.CARD: "Card",
    PaymentMethod.CHECK: "Check",
    PaymentMethod.OTHER: "Other",
    RegistrationSource.PUBLIC: "Public site",
    RegistrationSource.SCHOOL_SIGNUP: "School sign-up",
    RegistrationSource.STAFF: "Staff",
    RegistrationSource.WAITLIST: "Waitlist",
    RegistrationSource.IMPORT: "Import",
    RegistrationSource.SCRIPT: "Script",
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.ABSENT: "Absent",
    AttendanceStatus.LATE: "Late",
    WaitlistStatus.WAITING: "Waiting",
    WaitlistStatus.OFFERED: "Offered",
    WaitlistStatus.CLAIMED: "Claimed",
    WaitlistStatus.DECLINED: "Declined",
    WaitlistStatus.REMOVED: "Removed",
    EmailStatus.SENDING: "Sending",
    EmailStatus.SENT: "Sent",
    EmailStatus.FAILED: "Failed",
    ActorKind.PUBLIC: "Public",
    ActorKind.SYSTEM: "System",
    LinkPurpose.VIEW_REGISTRATION: "View registration",
    LinkPurpose.CANCEL_REGISTRATION: "Cancel registration",
    LinkPurpose.EDIT_PROFILE: "Edit profile",
    LinkPurpose.RESET_PASSWORD: "Reset password",
    LinkPurpose.STUDENT_SIGN_IN: "Student sign-in",
    LinkPurpose.SCHOOL_SIGN_IN: "School contact sign-in",
    # The kinds of email the outbox sends.
    "registration_received": "Registration received",
    "payment_confirmed": "Payment confirmed",
    "cancellation": "Cancellation",
    "school_signup_confirmation": "School sign-up confirmation",
    "waitlist_joined": "Joined the waitlist",
    "waitlist_offer": "Waitlist offer",
    "profile_link": "Profile link",
    "student_sign_in_link": "Sign-in link to my bookings",
    "school_sign_in_link": "School sign-in link",
    "school_participant_added": "School participant added",
    "school_participant_replaced": "School participant replaced",
    "school_teacher_confirmation": "Teacher's place confirmed",
    "class_reminder": "Class reminder",
    "class_changed": "Class changed (reminder)",
    "payment_nudge": "Payment reminder",
    "session_moved": "Class moved",
    "session_cancelled": "Class cancelled",
}

#: What each audit action did, as a verb phrase after the actor's name.
ACTIONS: Mapping[str, str] = {
    "import": "imported rows from a spreadsheet",
    "attendance.mark": "marked attendance",
    "attendance.unmark": "cleared an attendance mark",
    "certificate.issue": "issued a certificate of attendance",
    "certificate.reissue": "re-issued a certificate of attendance",
    "class_session.generate": "generated class sessions",
    "class_session.move": "moved a class session",
    "class_session.cancel": "cancelled a class session",
    "payment.confirm": "confirmed payment",
    "payment.refund": "refunded payment",
    "registration.cancel": "cancelled a registration",
    "registration.create": "registered a student",
    "registration.expire": "released an unpaid booking",
    "registration.replace": "replaced a school's participant",
    "registration.resend_confirmation": "resent a confirmation",
    "registration.uncancel": "restored a cancelled registration",
    "school.create": "signed up a school",
    "school.sign_in": "signed in to their school's page",
    "school.sign_in_link": "sent a school sign-in link",
    "setting.update": "changed a setting",
    "staff.change_password": "changed their password",
    "staff.create": "added a staff member",
    "staff.deactivate": "deactivated a staff member",
    "staff.reset_password": "reset a staff password",
    "staff.sign_in": "signed in",
    "staff.update": "changed a staff member",
    "student.classify": "classified a student",
    "student.create": "added a student",
    "student.erase_personal_data": "erased a student's personal data",
    "student.export_personal_data": "downloaded a student's personal data",
    "student.profile_link": "sent a profile link",
    "student.profile_update": "updated a profile",
    "student.sign_in_link": "sent a sign-in link to my bookings",
    "student.sign_in": "signed in to my bookings",
    "waitlist.claim": "claimed a waitlist offer",
    "waitlist.decline": "declined a waitlist offer",
    "waitlist.join": "joined a waitlist",
    "waitlist.move": "moved a waitlist entry",
    "waitlist.offer": "offered a seat from the waitlist",
    "waitlist.offer_expire": "let a waitlist offer expire",
    "waitlist.remove": "removed a waitlist entry",
    "demo.load": "loaded the demo data",
    "email.staff_message": "emailed students",
    "create": "created a record",
    "update": "changed a record",
    "delete": "deleted a record",
}

#: Symbols of the currencies the currency setting accepts.
CURRENCY_SYMBOLS: Mapping[str, str] = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "EUR": "€",
    "GBP": "£",
    "CHF": "CHF ",
    "JPY": "¥",
    "MXN": "MX$",
}

#: Badge colours (Tabler's names) of the payment states, and of a cancelled registration.
_PAYMENT_COLOURS: Mapping[str, str] = {
    PaymentStatus.PENDING: "yellow",
    PaymentStatus.COMPLETED: "green",
    PaymentStatus.NOT_REQUIRED: "azure",
    PaymentStatus.EXPIRED: "secondary",
    PaymentStatus.REFUNDED: "purple",
}
CANCELLED = ("Cancelled", "red")


class PaymentFacts(Protocol):
    """What a registration's payment badge is read from."""

    @property
    def payment_status(self) -> str: ...

    @property
    def cancelled_at(self) -> datetime | None: ...


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def label(value: str | None) -> str:
    """The label of an enum value; an unknown one in words ("crew_practice" -> "Crew practice")."""
    if value is None:
        return ""
    known = LABELS.get(str(value))
    if known is not None:
        return known
    words = _CAMEL.sub(" ", str(value)).replace("_", " ").replace(".", " ")
    return words.strip().capitalize()


def action_text(action: str) -> str:
    """What an audit action did, as a phrase ("payment.confirm" -> "confirmed payment")."""
    return ACTIONS.get(action) or label(action).lower()


def action_label(action: str) -> str:
    """An audit action as a label of its own ("Confirmed payment")."""
    return action_text(action).capitalize()


def currency_symbol(currency: str) -> str:
    return CURRENCY_SYMBOLS.get(currency, f"{currency} ")


def money(amount: Decimal | int | None, currency: str = "USD") -> str:
    """'$1,234.50': the currency's symbol, thousands separators, two places ('-$5.00' below 0)."""
    if amount is None:
        return ""
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    places = 0 if currency == "JPY" else 2
    return f"{sign}{currency_symbol(currency)}{abs(value):,.{places}f}"


def local_datetime(moment: datetime | None, zone: str) -> str:
    """'Sun 29 Nov 2026, 12:19': the wall-clock time in ``zone``, to the minute, no zone name."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone)) if moment.tzinfo else moment
    return f"{local_date(local.date())}, {clock_time(local.time())}"


def local_date(day: date | None) -> str:
    """'Sun 29 Nov 2026'."""
    if day is None:
        return ""
    return f"{day:%a} {day.day} {day:%b %Y}"


def clock_time(moment: time | None) -> str:
    """'19:00': a time of day to the minute."""
    if moment is None:
        return ""
    return f"{moment:%H:%M}"


def duration(span: timedelta) -> str:
    """'1 hour', '2 hours', '30 minutes': how long something lasts, in whole minutes."""
    minutes = int(span.total_seconds() // 60)
    if minutes % 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = minutes // 60
    return "1 hour" if hours == 1 else f"{hours} hours"


def day_and_time(day: date, at: time | None) -> str:
    """'Tue 3 Dec 2026, 19:00' for a class on ``day`` at ``at`` (wall clock); the day alone
    when no time is set. The same words as ``local_datetime``."""
    return f"{local_date(day)}, {clock_time(at)}" if at is not None else local_date(day)


def time_span(start: time | None, end: time | None) -> str:
    """'19:00-20:15' (an en dash); the start alone when there is no end."""
    if start is None:
        return ""
    return f"{clock_time(start)}\u2013{clock_time(end)}" if end is not None else clock_time(start)


def date_span(first: date, last: date | None) -> str:
    """'3 Nov - 24 Dec 2026'; '3-24 Nov 2026' within a month; '28 Dec 2026 - 4 Jan
    2027' across a year; '3 Nov 2026' for one day (each dash an en dash)."""
    if last is None or last == first:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}\u2013{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} \u2013 {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} \u2013 {last.day} {last:%b %Y}"


def course_dates(starts_at: datetime, ends_at: datetime | None, zone: str) -> str:
    """The days a course runs, read in the organisation's ``zone``: '3 Nov - 24 Dec 2026'."""
    tz = ZoneInfo(zone)
    first = starts_at.astimezone(tz).date()
    return date_span(first, ends_at.astimezone(tz).date() if ends_at is not None else None)


def weekday(number: int | None) -> str:
    """'Monday' for 0, as ``date.weekday()`` numbers the days."""
    if number is None:
        return ""
    return _WEEKDAYS[number % 7]


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def payment_badge(registration: PaymentFacts) -> tuple[str, str]:
    """(label, colour) of a registration's state: Cancelled whatever its payment status."""
    if registration.cancelled_at is not None:
        return CANCELLED
    status = str(registration.payment_status)
    return label(status), _PAYMENT_COLOURS.get(status, "secondary")


def state_colour(value: str) -> str:
    """The badge colour of a state that is not a payment (waitlist, attendance, email)."""
    return _STATE_COLOURS.get(str(value), "secondary")


_STATE_COLOURS: Mapping[str, str] = {
    **_PAYMENT_COLOURS,
    WaitlistStatus.WAITING: "yellow",
    WaitlistStatus.OFFERED: "azure",
    WaitlistStatus.CLAIMED: "green",
    WaitlistStatus.DECLINED: "secondary",
    WaitlistStatus.REMOVED: "secondary",
    AttendanceStatus.PRESENT: "green",
    AttendanceStatus.ABSENT: "red",
    AttendanceStatus.LATE: "orange",
    EmailStatus.SENDING: "azure",
    EmailStatus.SENT: "green",
    EmailStatus.FAILED: "red",
}


def hours(value: Decimal) -> str:
    """'7.5 hours', '1 hour', '6 hours': hours attended, without trailing zeros."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return "1 hour" if text == "1" else f"{text} hours"
