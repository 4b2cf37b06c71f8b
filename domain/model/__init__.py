"""Rollbook's entities: plain Python classes, mapped to tables in ``domain.db.mapping``."""

from domain.model.courses import ClassSession, Course, CourseSlot, Price
from domain.model.people import ContactLog, School, StaffUser, Student
from domain.model.registrations import Attendance, Registration, WaitlistEntry
from domain.model.system import (
    AuditEntry,
    LinkToken,
    LoginThrottle,
    OutgoingEmail,
    RateLimitBucket,
    Setting,
    StaffSession,
)

__all__ = [
    "Attendance",
    "AuditEntry",
    "ClassSession",
    "ContactLog",
    "Course",
    "CourseSlot",
    "LinkToken",
    "LoginThrottle",
    "OutgoingEmail",
    "Price",
    "RateLimitBucket",
    "Registration",
    "School",
    "Setting",
    "StaffSession",
    "StaffUser",
    "Student",
    "WaitlistEntry",
]
