"""The closed vocabularies of the domain; each is a CHECK constraint in the database."""

from __future__ import annotations

from enum import StrEnum


class CourseKind(StrEnum):
    WORKSHOP = "workshop"
    SERIES = "series"
    DROP_IN = "drop_in"
    CREW_PRACTICE = "crew_practice"


class StudentType(StrEnum):
    GENERAL = "general"
    CREW_MEMBER = "crew_member"


class DifficultyLevel(StrEnum):
    ALL_LEVELS = "all_levels"
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class PricingType(StrEnum):
    FULL_PACKAGE = "full_package"
    DROP_IN = "drop_in"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    NOT_REQUIRED = "not_required"
    EXPIRED = "expired"
    REFUNDED = "refunded"


#: Payment states in which a registration that is not cancelled may hold a seat.
SEAT_HOLDING_PAYMENT_STATUSES = (
    PaymentStatus.PENDING,
    PaymentStatus.COMPLETED,
    PaymentStatus.NOT_REQUIRED,
)


class PaymentMethod(StrEnum):
    VENMO = "venmo"
    ZELLE = "zelle"
    CASH = "cash"
    CARD = "card"
    CHECK = "check"
    OTHER = "other"


class RegistrationSource(StrEnum):
    PUBLIC = "public"
    SCHOOL_SIGNUP = "school_signup"
    STAFF = "staff"
    WAITLIST = "waitlist"
    IMPORT = "import"
    SCRIPT = "script"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    CLAIMED = "claimed"
    DECLINED = "declined"
    EXPIRED = "expired"
    REMOVED = "removed"


#: Waitlist states that keep a place in the line (and so a position).
IN_LINE_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class ActorKind(StrEnum):
    STAFF = "staff"
    PUBLIC = "public"
    SCRIPT = "script"
    SYSTEM = "system"


class LinkPurpose(StrEnum):
    VIEW_REGISTRATION = "view_registration"
    CANCEL_REGISTRATION = "cancel_registration"
    EDIT_PROFILE = "edit_profile"
    RESET_PASSWORD = "reset_password"
    #: Opens "my bookings" for the student the link was sent to.
    STUDENT_SIGN_IN = "student_sign_in"
    #: Opens "my school" for the school whose contact the link was sent to.
    SCHOOL_SIGN_IN = "school_sign_in"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored strings of an enum, in declaration order."""
    return tuple(member.value for member in enum)
