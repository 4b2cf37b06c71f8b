"""The admin panel's entity views, one module per area; ``create_admin_app`` registers them."""

from __future__ import annotations

from sqladmin import ModelView

from domain.db.mapping import start_mappers

# SQLAdmin inspects each view's model when its class is defined, so the entities
# must be mapped first (idempotent; it creates no engine or connection).
start_mappers()

from admin_site.views.courses import CourseView  # noqa: E402
from admin_site.views.people import ContactLogView, SchoolView, StudentView  # noqa: E402
from admin_site.views.registrations import (  # noqa: E402
    AttendanceView,
    RegistrationView,
    WaitlistEntryView,
)
from admin_site.views.schedule import ClassSessionView, CourseSlotView, PriceView  # noqa: E402
from admin_site.views.system import AuditEntryView, OutgoingEmailView  # noqa: E402

ALL_VIEWS: list[type[ModelView]] = [
    SchoolView,
    ContactLogView,
    StudentView,
    CourseView,
    CourseSlotView,
    PriceView,
    ClassSessionView,
    RegistrationView,
    AttendanceView,
    WaitlistEntryView,
    OutgoingEmailView,
    AuditEntryView,
]

__all__ = [
    "ALL_VIEWS",
    "AttendanceView",
    "AuditEntryView",
    "ClassSessionView",
    "ContactLogView",
    "CourseSlotView",
    "CourseView",
    "OutgoingEmailView",
    "PriceView",
    "RegistrationView",
    "SchoolView",
    "StudentView",
    "WaitlistEntryView",
]
