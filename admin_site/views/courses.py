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
from admin_site.export import export_filename, xlsx_response
from admin_site.export_attendance import write_attendance_workbook
from admin_site.staff_context import current_actor, database
from admin_site.views.base import RelatedTable, RollbookView, choices, related_table
from admin_site.views.filters import date_range
from admin_site.views.schedule import SLOT_COLUMNS
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
from domain.rules.records import check_course_fields
from domain.services.waitlist_capacity import capacity_changed

COURSE_KINDS = choices(CourseKind)
ATTENDANCE_ROUTE = "admin:view-course-attendance_export"


class CourseView(RollbookView, model=Course):
    name = "Course"
    name_plural = "Courses"
    icon = "fa-solid fa-calendar"
    category = "Courses"
    column_list = [
        "id",
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "location",
        "instructor",
        "capacity",
        "is_published",
    ]
    column_labels = {"starts_at": "Starts", "ends_at": "Ends", "is_published": "Published"}
    column_searchable_list = ["title", "instructor", "location", "description"]
    column_sortable_list = ["id", "title", "kind", "starts_at", "capacity", "is_published"]
    column_default_sort = ("starts_at", True)
    column_filters = [
        StaticValuesFilter(Course.kind, COURSE_KINDS, title="Kind"),
        BooleanFilter(Course.is_published, title="Published"),
        *date_range(
            Course.starts_at,
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
        ("ID", "id"),
        ("Title", "title"),
        ("Kind", "kind"),
        ("Starts", "starts_at"),
        ("Ends", "ends_at"),
        ("Location", "location"),
        ("Instructor", "instructor"),
        ("Capacity", "capacity"),
        ("Only for", "required_student_type"),
        ("Published", "is_published"),
    ]

    def check_values(self, db: Database, data: dict[str, Any], pk: int | None) -> None:
        check_course_fields(
            title=data.get("title"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            capacity=data.get("capacity"),
        )

    async def save_changes(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        # Capacity goes through the domain: raised capacity offers seats to the waitlist.
        if "capacity" in data:
            await run_in_threadpool(
                capacity_changed,
                database(request),
                course_id=int(pk),
                new_capacity=data.pop("capacity"),
                actor=current_actor(request),
            )
        return await super().save_changes(request, pk, data)

    def detail_links(self, request: Request, model: Any) -> list[tuple[str, str]]:
        base = request.url_for("admin:export", identity="registration", export_type="xlsx")
        waitlist = request.url_for("admin:export", identity="waitlist-entry", export_type="xlsx")
        return [
            ("Attendance sheet (Excel)", str(request.url_for(ATTENDANCE_ROUTE, pk=model.id))),
            ("Registrations (Excel)", f"{base}?course_id={model.id}"),
            ("Waitlist (Excel)", f"{waitlist}?course_id={model.id}"),
        ]

    @expose("/attendance-export/{pk:id}")
    async def attendance_export(self, request: Request) -> Response:
        """Sessions x students of one course, each cell present / absent / late."""
        if not (self.can_export and await self.check_can_export(request)):
            raise HTTPException(status_code=403)
        try:
            path, title = await run_in_threadpool(
                write_attendance_workbook, database(request), request.path_params["pk"]
            )
        except NotFound as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
        return xlsx_response(path, export_filename(title))

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        slots = await self.query(
            select(CourseSlot).where(CourseSlot.course_id == model.id).order_by(CourseSlot.id)
        )
        prices = await self.query(
            select(Price)
            .join(Price.slot)
            .where(CourseSlot.course_id == model.id)
            .options(joinedload(Price.slot))
            .order_by(CourseSlot.id, Price.pricing_type)
        )
        sessions = await self.query(
            select(ClassSession)
            .where(ClassSession.course_id == model.id)
            .order_by(ClassSession.session_date, ClassSession.start_time)
        )
        registrations = await self.query(
            select(Registration)
            .where(Registration.course_id == model.id)
            .options(joinedload(Registration.student), joinedload(Registration.school))
            .order_by(Registration.created_at.desc(), Registration.id.desc())
        )
        waitlist = await self.query(
            select(WaitlistEntry)
            .where(WaitlistEntry.course_id == model.id)
            .options(joinedload(WaitlistEntry.student))
            .order_by(WaitlistEntry.position, WaitlistEntry.joined_at)
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
