"""Registrations, attendance marks and waitlist entries.

None of these is created or freely edited here: registering, paying, cancelling,
roll call and waitlist moves carry rules and go through the actions built on
the domain services. These views list, show, export, and edit only safe fields.
"""

from __future__ import annotations

from typing import Any

from sqladmin.filters import StaticValuesFilter
from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import joinedload, selectinload
from starlette.requests import Request

from admin_site.views.base import (
    FormValues,
    ReadOnlyView,
    RelatedTable,
    RollbookView,
    choices,
    mapped,
    related_table,
)
from admin_site.views.filters import ChoiceFilter, PickerFilter, date_range
from admin_site.views.registration_search import matching_registrations
from admin_site.views.related_cells import optional_related
from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.db.tables import waitlist_entries
from domain.enums import (
    AttendanceStatus,
    PaymentStatus,
    PricingType,
    StudentType,
    WaitlistStatus,
)
from domain.model import (
    Attendance,
    ClassSession,
    Course,
    Registration,
    School,
    WaitlistEntry,
)
from domain.services.special_requests import update_special_requests
from domain.services.waitlist_line import waitlist_order


def _student_type_is(student_type: str) -> Any:
    def apply(query: Select[Any]) -> Select[Any]:
        # A subquery, not a join: search may join the student table already.
        students = select(t.students.c.id).where(t.students.c.student_type == student_type)
        return query.where(t.registrations.c.student_id.in_(students))

    return apply


def _active(query: Select[Any]) -> Select[Any]:
    return query.where(t.registrations.c.cancelled_at.is_(None))


def _cancelled(query: Select[Any]) -> Select[Any]:
    return query.where(t.registrations.c.cancelled_at.is_not(None))


def _sessions_of_course(course_id: str) -> Any:
    sessions = t.class_sessions.c
    return select(sessions.id).where(sessions.course_id == int(course_id))


class CourseOfSessionFilter(PickerFilter):
    """Attendance marks of one course (an attendance row knows only its session)."""

    async def get_filtered_query(self, query: Select[Any], value: Any, model: Any) -> Select[Any]:
        if value in (None, "", "__all") or not str(value).isdigit():
            return query
        return query.where(t.attendance.c.session_id.in_(_sessions_of_course(str(value))))


class RegistrationView(RollbookView, model=Registration):
    name = "Registration"
    name_plural = "Registrations"
    icon = "fa-solid fa-clipboard-list"
    category = "Registrations"
    # Registering applies capacity, eligibility and pricing: staff use the
    # "register a student" action, never a free-form create.
    can_create = False
    # What a coordinator scans; the rest is on the detail page and in the export.
    column_list = [
        "student",
        "course",
        "pricing_type",
        "amount_due",
        "payment_status",
        "created_at",
    ]
    # The list names the student; the address is on the detail page, a click away.
    column_formatters = {"student": lambda model, _: model.student.full_name}
    column_labels = {
        "pricing_type": "Type",
        "amount_due": "Amount",
        "payment_status": "Payment",
        "created_at": "Signed up",
        "cancelled_at": "Cancelled",
        "drop_in_session": "Drop-in class",
        # Columns of the export only: the student's and the course's fields by name.
        "student.title": "Job title",
        "course.starts_at": "Course starts",
    }
    column_searchable_list = [
        "student.first_name",
        "student.last_name",
        "student.email",
        "payment_reference",
    ]
    column_sortable_list = ["id", "created_at", "amount_due", "payment_status", "cancelled_at"]

    def search_query(self, stmt: Select[Any], term: str) -> Select[Any]:
        # Each half of matching_registrations is served by an index; an OR of the two
        # scanned all 100,000 registrations, twice per page (count and rows).
        return stmt.where(t.registrations.c.id.in_(matching_registrations(term)))

    column_default_sort = ("created_at", True)
    column_filters = [
        PickerFilter("course_id", "title", foreign_model=Course, title="Course"),
        PickerFilter("school_id", "name", foreign_model=School, title="School"),
        StaticValuesFilter("payment_status", choices(PaymentStatus), title="Payment"),
        StaticValuesFilter("pricing_type", choices(PricingType), title="Type"),
        ChoiceFilter(
            title="Student type",
            parameter_name="student_type",
            choices={
                value: (label, _student_type_is(value)) for value, label in choices(StudentType)
            },
        ),
        ChoiceFilter(
            title="State",
            parameter_name="state",
            choices={"active": ("Active", _active), "cancelled": ("Cancelled", _cancelled)},
        ),
        *date_range(
            "created_at",
            since="Signed up since",
            until="Signed up until",
            prefix="signed_up",
        ),
    ]
    column_details_list = [
        "id",
        "student",
        "course",
        "school",
        "pricing_type",
        "drop_in_session",
        "amount_due",
        "payment_status",
        "payment_method",
        "payment_reference",
        "payment_confirmed_at",
        "payment_confirmed_by",
        "refunded_at",
        "hold_expires_at",
        "special_requests",
        "source",
        "from_waitlist",
        "override_reason",
        "created_by",
        "created_at",
        "cancelled_at",
        "cancelled_by",
        "cancellation_reason",
        "updated_at",
    ]
    # Payment and cancellation change through their actions only.
    form_columns = ["special_requests"]
    export_columns = [
        "id",
        "student.first_name",
        "student.last_name",
        "student.email",
        "student.phone",
        "student.title",
        "school.name",
        "course.title",
        "course.starts_at",
        "pricing_type",
        "amount_due",
        "payment_status",
        "payment_method",
        "payment_reference",
        "payment_confirmed_at",
        "special_requests",
        "created_at",
        "cancelled_at",
        "cancellation_reason",
    ]

    def update_record(
        self, db: Database, pk: int, values: FormValues, actor: Actor
    ) -> Registration:
        return update_special_requests(db, pk, values.get("special_requests") or "", actor=actor)

    def detail_title(self, model: Any) -> str:
        # "Jamie Newcomer — Contemporary Technique": who, on what. Only what the page
        # loaded is used (an edit page's row has no student or course loaded, and the
        # row is detached by now: a lazy load would fail).
        unloaded = inspect(model).unloaded
        student = None if "student" in unloaded else model.student
        course = None if "course" in unloaded else model.course
        who = student.full_name if student else ""
        what = course.title if course else ""
        return " — ".join(part for part in (who, what) if part)

    def menu_links(self, request: Request) -> list[tuple[str, str]]:
        # Staff register from a course's page, where "Register a student" applies the rules.
        return [("Register a student", str(request.url_for("admin:list", identity="course")))]

    def details_query(self, request: Request) -> Select[Any]:
        # The drop-in session names its course; load it with the row, not per cell.
        return (
            super()
            .details_query(request)
            .options(
                selectinload(mapped(Registration, "drop_in_session")).selectinload(
                    mapped(ClassSession, "course")
                )
            )
        )

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        marks = await self.query(
            select(Attendance)
            .join(mapped(Attendance, "session"))
            .where(t.attendance.c.registration_id == model.id)
            .options(
                joinedload(mapped(Attendance, "session")).joinedload(mapped(ClassSession, "course"))
            )
            .order_by(t.class_sessions.c.session_date)
        )
        return [
            related_table(
                "Attendance",
                "attendance",
                [("Session", "session"), ("Status", "status"), ("Marked", "marked_at")],
                marks,
            )
        ]


class AttendanceView(ReadOnlyView, model=Attendance):
    # Marks are taken in the roll call, which records who marked and when.
    name = "Attendance mark"
    name_plural = "Attendance"
    icon = "fa-solid fa-user-check"
    category = "Registrations"
    column_list = ["id", "session", "registration", "status", "marked_at", "marked_by"]
    column_labels = {
        "registration": "Student",
        "registration.student.full_name": "Student",
        "marked_by": "Marked by",
    }
    non_link_related_fields = ["marked_by"]
    column_formatters = optional_related("marked_by")
    column_sortable_list = ["id", "status", "marked_at"]
    column_default_sort = ("marked_at", True)
    column_searchable_list = ["registration.student.first_name", "registration.student.last_name"]
    column_filters = [
        CourseOfSessionFilter(
            "session_id",
            "title",
            foreign_model=Course,
            title="Course",
            parameter_name="course_id",
        ),
        StaticValuesFilter("status", choices(AttendanceStatus), title="Status"),
        *date_range("marked_at", since="Marked since", until="Marked until"),
    ]
    column_details_list = column_list
    export_columns = [
        "id",
        "session.course.title",
        "session.session_date",
        "registration.student.full_name",
        "status",
        "marked_at",
        "marked_by",
    ]

    def list_query(self, request: Request) -> Select[Any]:
        return select(Attendance).options(*_ATTENDANCE_LOADS)

    def details_query(self, request: Request) -> Select[Any]:
        return super().details_query(request).options(*_ATTENDANCE_LOADS)


_ATTENDANCE_LOADS = (
    selectinload(mapped(Attendance, "session")).selectinload(mapped(ClassSession, "course")),
    selectinload(mapped(Attendance, "registration")).selectinload(mapped(Registration, "student")),
    selectinload(mapped(Attendance, "registration")).selectinload(mapped(Registration, "course")),
)


class WaitlistEntryView(ReadOnlyView, model=WaitlistEntry):
    # The line's order and offers change only through the waitlist actions.
    name = "Waitlist entry"
    name_plural = "Waitlists"
    icon = "fa-solid fa-hourglass-half"
    category = "Registrations"
    column_list = ["course", "position", "student", "status", "joined_at"]
    column_labels = {"offer_expires_at": "Offer expires"}
    column_searchable_list = ["student.first_name", "student.last_name", "student.email"]
    column_sortable_list = ["id", "position", "status", "joined_at"]
    column_filters = [
        PickerFilter("course_id", "title", foreign_model=Course, title="Course"),
        StaticValuesFilter("status", choices(WaitlistStatus), title="Status"),
    ]
    column_details_list = [
        "id",
        "course",
        "student",
        "position",
        "status",
        "joined_at",
        "offer_sent_at",
        "offer_expires_at",
        "registration",
        "left_at",
        "reason",
    ]
    export_columns = [
        "course.title",
        "position",
        "student.first_name",
        "student.last_name",
        "student.email",
        "student.phone",
        "status",
        "joined_at",
        "offer_sent_at",
        "offer_expires_at",
        "left_at",
        "reason",
    ]

    def sort_query(self, stmt: Select[Any], request: Request) -> Select[Any]:
        if request.query_params.get("sortBy"):
            return super().sort_query(stmt, request)
        # Unsorted, the list (and its export) shows each course's entries in waitlist order.
        return stmt.order_by(waitlist_entries.c.course_id, *waitlist_order())

    def details_query(self, request: Request) -> Select[Any]:
        return (
            super()
            .details_query(request)
            .options(
                selectinload(mapped(WaitlistEntry, "registration")).selectinload(
                    mapped(Registration, "student")
                ),
                selectinload(mapped(WaitlistEntry, "registration")).selectinload(
                    mapped(Registration, "course")
                ),
            )
        )
