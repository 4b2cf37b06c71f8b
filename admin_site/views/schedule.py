"""When courses meet: slots and their prices, and the class sessions held."""

from __future__ import annotations

from typing import Any

from sqladmin.filters import StaticValuesFilter
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from starlette.requests import Request
from wtforms import SelectField

from admin_site.export.workbook import ExportColumn
from admin_site.views.base import (
    FormValues,
    RelatedTable,
    RollbookView,
    as_fields,
    choices,
    mapped,
    related_table,
)
from admin_site.views.filters import PickerFilter, date_range
from admin_site.views.formats import course_text
from admin_site.views.related_cells import optional_related, whole_words
from admin_site.views.session_list import SessionListing, marked_cell, when_cell
from domain import formatting
from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import DifficultyLevel, PricingType
from domain.model import Attendance, ClassSession, Course, CourseSlot, Price, Registration
from domain.services.courses import (
    PriceFields,
    SessionFields,
    SlotFields,
    create_class_session,
    create_price,
    create_slot,
    update_class_session,
    update_price,
    update_slot,
)

LEVELS = choices(DifficultyLevel)
PRICING_TYPES = choices(PricingType)
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
COURSE_PICKER = {"fields": ("title",), "order_by": "title"}
SLOT_PICKER = {"fields": ("name",), "order_by": "id"}


def slot_day(slot: CourseSlot) -> str:
    """'Monday' for a weekly slot, the date for a one-off one (the date wins, as in planning)."""
    if slot.practice_date is not None:
        return formatting.local_date(slot.practice_date)
    return formatting.weekday(slot.day_of_week)


SLOT_COLUMNS: list[ExportColumn] = [
    ("Name", "name"),
    ("Level", "difficulty_level"),
    ("Day", lambda slot: DAYS[slot.day_of_week] if slot.day_of_week is not None else None),
    ("Date", "practice_date"),
    ("From", "start_time"),
    ("To", "end_time"),
    ("Capacity", "capacity"),
]


class CourseSlotView(RollbookView, model=CourseSlot):
    name = "Slot"
    name_plural = "Slots"
    icon = "fa-solid fa-clock"
    category = "Courses"
    column_list = ["course", "name", "difficulty_level", "day_of_week", "start_time", "capacity"]
    column_labels = {"day_of_week": "Day", "difficulty_level": "Level", "practice_date": "Date"}
    column_formatters = {
        "course": lambda slot, name: whole_words(course_text(slot.course)),
        "name": lambda slot, name: whole_words(slot.name),
        # The weekday's name, or the date of a one-off slot: never a number.
        "day_of_week": lambda slot, name: slot_day(slot),
    }
    column_searchable_list = ["name", "course.title"]
    column_sortable_list = ["id", "name", "day_of_week", "practice_date", "start_time"]
    column_filters = [
        PickerFilter("course_id", "title", foreign_model=Course, title="Course"),
        StaticValuesFilter("difficulty_level", LEVELS, title="Level"),
    ]
    column_details_list = [
        "id",
        "course",
        "name",
        "difficulty_level",
        "day_of_week",
        "practice_date",
        "start_time",
        "end_time",
        "capacity",
        "location",
    ]
    form_columns = [
        "course",
        "name",
        "difficulty_level",
        "day_of_week",
        "practice_date",
        "start_time",
        "end_time",
        "location",
        "capacity",
    ]
    form_overrides = {"difficulty_level": SelectField}
    form_args = {
        "difficulty_level": {"choices": LEVELS},
        "day_of_week": {"label": "Day of a weekly slot (0 = Monday … 6 = Sunday)"},
        "practice_date": {"label": "Date of a one-off slot"},
    }
    form_ajax_refs = {"course": COURSE_PICKER}
    export_columns = [
        "id",
        "course.title",
        "name",
        "difficulty_level",
        "day_of_week",
        "practice_date",
        "start_time",
        "end_time",
        "capacity",
        "location",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> CourseSlot:
        return create_slot(db, as_fields(SlotFields, values), actor=actor)

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> CourseSlot:
        # A raised slot limit offers the freed seats to the waitlist, in the same write.
        return update_slot(db, pk, as_fields(SlotFields, values), actor=actor)

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        prices = await self.query(select(Price).where(t.prices.c.slot_id == model.id))
        return [
            related_table(
                "Prices", "price", [("Type", "pricing_type"), ("Amount", "amount")], prices
            )
        ]


class PriceView(RollbookView, model=Price):
    name = "Price"
    name_plural = "Prices"
    icon = "fa-solid fa-tag"
    category = "Courses"
    column_list = ["id", "slot.course", "slot", "pricing_type", "amount"]
    column_labels = {"slot.course": "Course", "pricing_type": "Type"}
    column_searchable_list = ["slot.name"]
    column_sortable_list = ["id", "pricing_type", "amount"]
    column_filters = [StaticValuesFilter("pricing_type", PRICING_TYPES, title="Type")]
    column_details_list = ["id", "slot", "pricing_type", "amount"]
    form_columns = ["slot", "pricing_type", "amount"]
    form_overrides = {"pricing_type": SelectField}
    form_args = {"pricing_type": {"choices": PRICING_TYPES}}
    form_ajax_refs = {"slot": SLOT_PICKER}
    export_columns = [
        "id",
        "slot.course.title",
        "slot.name",
        "pricing_type",
        "amount",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> Price:
        return create_price(db, as_fields(PriceFields, values), actor=actor)

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> Price:
        return update_price(db, pk, as_fields(PriceFields, values), actor=actor)

    def list_query(self, request: Request) -> Select[Any]:
        return select(Price).options(
            selectinload(mapped(Price, "slot")).selectinload(mapped(CourseSlot, "course"))
        )


class ClassSessionView(SessionListing, RollbookView, model=ClassSession):
    name = "Session"
    name_plural = "Sessions"
    icon = "fa-solid fa-chalkboard-user"
    category = "Courses"
    column_list = ["session_date", "course", "slot", "location", "marked"]
    column_labels = {
        "session_date": "Date",
        "marked": "Marked",
        "cancelled_at": "Cancelled",
        "cancellation_reason": "Why cancelled",
    }
    non_link_related_fields = ["slot"]
    column_formatters = {
        "session_date": when_cell,
        # The title alone: the row's own date says when (a course's cell elsewhere adds its start).
        "course": lambda row, name: whole_words(row.course.title),
        "location": lambda row, name: whole_words(row.location or ""),
        "marked": marked_cell,
        **optional_related("slot"),
    }
    column_searchable_list = ["course.title", "location", "notes"]
    column_sortable_list = ["id", "session_date", "start_time"]
    # No column_default_sort: without a chosen sort, upcoming first (SessionListing).
    column_filters = [
        PickerFilter("course_id", "title", foreign_model=Course, title="Course"),
        *date_range("session_date", since="On or after", until="On or before"),
    ]
    column_details_list = [
        "id",
        "course",
        "slot",
        "session_date",
        "start_time",
        "end_time",
        "location",
        "notes",
        # Shown once staff cancel it (admin_site/actions/sessions.py); empty otherwise.
        "cancelled_at",
        "cancellation_reason",
    ]
    form_columns = ["course", "slot", "session_date", "start_time", "end_time", "location", "notes"]
    form_ajax_refs = {"course": COURSE_PICKER, "slot": SLOT_PICKER}
    export_columns = [
        "id",
        "course.title",
        "session_date",
        "start_time",
        "end_time",
        "location",
        "notes",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> ClassSession:
        return create_class_session(db, as_fields(SessionFields, values), actor=actor)

    def update_record(
        self, db: Database, pk: int, values: FormValues, actor: Actor
    ) -> ClassSession:
        return update_class_session(db, pk, as_fields(SessionFields, values), actor=actor)

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        marks = await self.query(
            select(Attendance)
            .where(t.attendance.c.session_id == model.id)
            .options(
                joinedload(mapped(Attendance, "registration")).joinedload(
                    mapped(Registration, "student")
                ),
                joinedload(mapped(Attendance, "marked_by")),
            )
        )
        return [
            related_table(
                "Attendance",
                "attendance",
                [
                    ("Student", "registration.student.full_name"),
                    ("Status", "status"),
                    ("Marked", "marked_at"),
                    ("By", "marked_by"),
                ],
                marks,
            )
        ]
