"""Courses, their slots and prices, and the class sessions held."""

from __future__ import annotations

from typing import Any

from sqladmin import expose
from sqladmin.filters import BooleanFilter, StaticValuesFilter
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from wtforms import SelectField

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from admin_site.export.attendance import write_attendance_workbook
from admin_site.export.workbook import xlsx_response
from admin_site.request_context import database
from admin_site.views.base import (
    FormValues,
    RelatedTable,
    RollbookView,
    as_fields,
    choices,
    mapped,
    related_table,
)
from admin_site.views.filters import date_range
from admin_site.views.schedule import SLOT_COLUMNS
from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import CourseKind, StudentType
from domain.errors import NotFound
from domain.model import (
    ClassSession,
    Course,
    CourseSlot,
    Price,
    Registration,
    WaitlistEntry,
)
from domain.services.courses import CourseFields, create_course, update_course
from domain.services.waitlist_line import waitlist_order

COURSE_KINDS = choices(CourseKind)
ATTENDANCE_ROUTE = "admin:view-course-attendance_export"


class CourseView(RollbookView, model=Course):
    name = "Course"
    name_plural = "Courses"
    icon = "fa-solid fa-calendar"
    category = "Courses"
    # What a coordinator scans; the rest is on the detail page and in the export.
    column_list = ["title", "kind", "starts_at", "capacity", "is_published"]
    column_labels = {
        "starts_at": "Starts",
        "ends_at": "Ends",
        "is_published": "Published",
        "required_student_type": "Only for",
        "open_to_school_signup": "Open to school sign-up",
        "what_to_bring": "What to bring",
    }
    column_searchable_list = ["title", "instructor", "location", "description"]
    column_sortable_list = ["id", "title", "kind", "starts_at", "capacity", "is_published"]
    column_default_sort = ("starts_at", True)
    column_filters = [
        StaticValuesFilter("kind", COURSE_KINDS, title="Kind"),
        BooleanFilter("is_published", title="Published"),
        *date_range(
            "starts_at",
            since="Starts on or after",
            until="Starts on or before",
            prefix="starts",
        ),
    ]
    form_columns = [
        "title",
        "kind",
        "description",
        "instructor",
        "location",
        "starts_at",
        "ends_at",
        "capacity",
        "required_student_type",
        "is_published",
        "open_to_school_signup",
        "what_to_bring",
        "comment",
    ]
    # The detail page shows what the form edits, between the id and the timestamps.
    column_details_list = ["id", *form_columns, "created_at", "updated_at"]
    form_overrides = {"kind": SelectField, "required_student_type": SelectField}
    form_args = {
        "kind": {"choices": COURSE_KINDS},
        "required_student_type": {
            "choices": [("", "anyone"), *choices(StudentType)],
            "coerce": lambda value: value or None,
        },
    }
    export_columns = [
        "id",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "location",
        "instructor",
        "capacity",
        "required_student_type",
        "is_published",
        "open_to_school_signup",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> Course:
        return create_course(db, as_fields(CourseFields, values), actor=actor)

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> Course:
        # Publication, start, audience and capacity drive booking: one checked,
        # audited write, which also offers raised capacity to the waitlist.
        return update_course(db, pk, as_fields(CourseFields, values), actor=actor)

    def detail_links(self, request: Request, model: Any) -> list[tuple[str, str]]:
        base = request.url_for("admin:export", identity="registration", export_type="xlsx")
        waitlist = request.url_for("admin:export", identity="waitlist-entry", export_type="xlsx")
        return [
            (
                "Export the attendance sheet to Excel",
                str(request.url_for(ATTENDANCE_ROUTE, pk=model.id)),
            ),
            ("Export registrations to Excel", f"{base}?course_id={model.id}"),
            ("Export the waitlist to Excel", f"{waitlist}?course_id={model.id}"),
        ]

    @expose("/attendance-export/{pk:id}")
    async def attendance_export(self, request: Request) -> Response:
        """Sessions x students of one course, each cell present / absent / late."""
        if not (self.can_export and await self.check_can_export(request)):
            raise HTTPException(status_code=403)
        try:
            path, filename = await run_in_threadpool(
                write_attendance_workbook, database(request), request.path_params["pk"]
            )
        except NotFound as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
        return xlsx_response(path, filename)

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        slots_c, prices_c, sessions_c = t.course_slots.c, t.prices.c, t.class_sessions.c
        registrations_c, waitlist_c = t.registrations.c, t.waitlist_entries.c
        slots = await self.query(
            select(CourseSlot).where(slots_c.course_id == model.id).order_by(slots_c.id)
        )
        prices = await self.query(
            select(Price)
            .join(mapped(Price, "slot"))
            .where(slots_c.course_id == model.id)
            .options(joinedload(mapped(Price, "slot")))
            .order_by(slots_c.id, prices_c.pricing_type)
        )
        sessions = await self.query(
            select(ClassSession)
            .where(sessions_c.course_id == model.id)
            .order_by(sessions_c.session_date, sessions_c.start_time)
        )
        registrations = await self.query(
            select(Registration)
            .where(registrations_c.course_id == model.id)
            .options(
                joinedload(mapped(Registration, "student")),
                joinedload(mapped(Registration, "school")),
            )
            .order_by(registrations_c.created_at.desc(), registrations_c.id.desc())
        )
        waitlist = await self.query(
            select(WaitlistEntry)
            .where(waitlist_c.course_id == model.id)
            .options(joinedload(mapped(WaitlistEntry, "student")))
            .order_by(*waitlist_order())
        )
        return [
            related_table(
                "Slots",
                "course-slot",
                SLOT_COLUMNS,
                slots,
                list_url=f"course-slot/list?course_id={model.id}",
            ),
            related_table(
                "Prices",
                "price",
                [("Slot", "slot"), ("Type", "pricing_type"), ("Amount", "amount")],
                prices,
            ),
            related_table(
                "Sessions",
                "class-session",
                [("Date", "session_date"), ("From", "start_time"), ("To", "end_time")],
                sessions,
                list_url=f"class-session/list?course_id={model.id}",
            ),
            related_table(
                "Registrations",
                "registration",
                [
                    ("Student", "student.full_name"),
                    ("School", "school"),
                    ("Type", "pricing_type"),
                    ("Payment", "payment_status"),
                    ("Amount", "amount_due"),
                    ("Cancelled", "cancelled_at"),
                ],
                registrations,
                list_url=f"registration/list?course_id={model.id}",
            ),
            related_table(
                "Waitlist",
                "waitlist-entry",
                [("Position", "position"), ("Student", "student.full_name"), ("Status", "status")],
                waitlist,
                list_url=f"waitlist-entry/list?course_id={model.id}",
            ),
        ]
