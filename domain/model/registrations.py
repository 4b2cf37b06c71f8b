"""A student's place on a course, their attendance at its sessions, and the waitlist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from domain import formatting
from domain.clock import utcnow
from domain.enums import PaymentStatus, PricingType, RegistrationSource, WaitlistStatus

if TYPE_CHECKING:
    from domain.model.courses import ClassSession, Course
    from domain.model.people import School, StaffUser, Student


@dataclass(eq=False, kw_only=True)
class Registration:
    id: int | None = None
    student_id: int | None = None
    student: Student | None = None
    course_id: int | None = None
    course: Course | None = None
    #: The school the student came from when they signed up (roll call groups by it).
    school_id: int | None = None
    school: School | None = None
    pricing_type: str = PricingType.FULL_PACKAGE
    #: For a drop-in: the one session it is for.
    drop_in_session_id: int | None = None
    drop_in_session: ClassSession | None = None
    #: Computed by the server from the course's prices, never taken from the public.
    amount_due: Decimal = Decimal("0.00")
    payment_status: str = PaymentStatus.PENDING
    payment_method: str | None = None
    payment_reference: str = ""
    payment_confirmed_at: datetime | None = None
    payment_confirmed_by_id: int | None = None
    payment_confirmed_by: StaffUser | None = None
    refunded_at: datetime | None = None
    #: A pending payment stops holding a seat at this moment; None holds forever.
    hold_expires_at: datetime | None = None
    special_requests: str = ""
    source: str = RegistrationSource.PUBLIC
    #: The visitor's internet address on a public booking or claimed offer, else None;
    #: it caps the unpaid bookings one address may hold.
    client_address: str | None = None
    from_waitlist: bool = False
    #: Why staff registered past capacity or eligibility; empty when no rule was bent.
    override_reason: str = ""
    created_by_id: int | None = None
    created_by: StaffUser | None = None
    cancelled_at: datetime | None = None
    cancelled_by_id: int | None = None
    cancelled_by: StaffUser | None = None
    cancellation_reason: str = ""
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    attendance: list[Attendance] = field(default_factory=list)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def __str__(self) -> str:
        student = self.student.full_name if self.student else "?"
        course = self.course.title if self.course else "?"
        return f"#{self.id} {student} - {course}"


@dataclass(eq=False, kw_only=True)
class Attendance:
    id: int | None = None
    session_id: int | None = None
    session: ClassSession | None = None
    registration_id: int | None = None
    registration: Registration | None = None
    status: str
    marked_at: datetime = field(default_factory=utcnow)
    marked_by_id: int | None = None
    marked_by: StaffUser | None = None


@dataclass(eq=False, kw_only=True)
class WaitlistEntry:
    id: int | None = None
    student_id: int | None = None
    student: Student | None = None
    course_id: int | None = None
    course: Course | None = None
    #: 1 = next in line; None once the entry has left the line.
    position: int | None = None
    status: str = WaitlistStatus.WAITING
    joined_at: datetime = field(default_factory=utcnow)
    offer_sent_at: datetime | None = None
    offer_expires_at: datetime | None = None
    #: SHA-256 of the single-use offer link token; the token itself is never stored.
    offer_token_hash: str | None = None
    registration_id: int | None = None
    registration: Registration | None = None
    left_at: datetime | None = None
    #: Why staff moved or removed the entry.
    reason: str = ""

    def __str__(self) -> str:
        student = self.student.full_name if self.student else "?"
        return f"{student} (#{self.position or '-'}, {formatting.label(self.status)})"
