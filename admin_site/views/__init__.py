"""The admin panel's entity views, one module per area; ``create_admin_app`` registers them.

SQLAdmin inspects each view's model when its class is defined, so these modules
are imported once the entities are mapped (by opening a ``Database``), never before.
"""

from __future__ import annotations

from sqladmin import ModelView

from admin_site.views.audit import AuditEntryView
from admin_site.views.courses import CourseView
from admin_site.views.people import ContactLogView, SchoolView, StudentView
from admin_site.views.registrations import (
    AttendanceView,
    RegistrationView,
    WaitlistEntryView,
)
from admin_site.views.schedule import ClassSessionView, CourseSlotView, PriceView
from admin_site.views.system import OutgoingEmailView

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
