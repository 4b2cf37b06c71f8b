"""Schools, their contact history, students and staff users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from domain.clock import utcnow
from domain.enums import StudentType

if TYPE_CHECKING:
    from domain.model.registrations import Registration, WaitlistEntry


@dataclass(eq=False, kw_only=True)
class School:
    id: int | None = None
    #: The school's name as people know it; the sign-up autocomplete searches it.
    name: str
    location: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    comments: str = ""
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    contact_history: list[ContactLog] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)

    def __str__(self) -> str:
        return self.name


@dataclass(eq=False, kw_only=True)
class ContactLog:
    """One conversation a staff member had with a school (seed 000 ContactTime)."""

    id: int | None = None
    school_id: int | None = None
    school: School | None = None
    staff_user_id: int | None = None
    staff_user: StaffUser | None = None
    contacted_at: datetime
    comment: str
    created_at: datetime = field(default_factory=utcnow)

    def __str__(self) -> str:
        school = self.school.name if self.school else "?"
        return f"{school} - {self.contacted_at:%Y-%m-%d}"


@dataclass(eq=False, kw_only=True)
class Student:
    """A person who takes courses: a school's participant or a studio's dancer."""

    id: int | None = None
    #: Lower-cased; unique when present. School participants may have none.
    email: str | None = None
    first_name: str
    last_name: str = ""
    #: Job title or role (seed 000 participant_title).
    title: str = ""
    phone: str = ""
    school_id: int | None = None
    school: School | None = None
    student_type: str = StudentType.GENERAL
    #: The student has filled in every profile field the studio asks for.
    profile_complete: bool = False
    #: Staff have confirmed the student type; until then it does not count.
    admin_classified: bool = False
    experience: str = ""
    emergency_contact: str = ""
    notes: str = ""
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    registrations: list[Registration] = field(default_factory=list)
    waitlist_entries: list[WaitlistEntry] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __str__(self) -> str:
        return self.full_name + (f" <{self.email}>" if self.email else "")


@dataclass(eq=False, kw_only=True)
class StaffUser:
    """Someone who signs in to the admin panel (seed 000 User + Employee, seed 003 AdminUser)."""

    id: int | None = None
    #: Lower-cased, unique.
    username: str
    email: str = ""
    full_name: str = ""
    password_hash: str = ""
    is_active: bool = True
    is_superuser: bool = False
    #: Set by a password reset: the temporary password must be replaced before
    #: anything else in the admin can be used.
    must_change_password: bool = False
    last_login_at: datetime | None = None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __str__(self) -> str:
        return self.full_name or self.username
