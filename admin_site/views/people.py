"""Schools, their contact history, and students."""

from __future__ import annotations

from typing import Any

from sqladmin.filters import StaticValuesFilter
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload
from starlette.requests import Request
from wtforms import SelectField

from admin_site.views.base import (
    FormValues,
    RelatedTable,
    RollbookView,
    as_fields,
    choices,
    mapped,
    related_table,
)
from admin_site.views.filters import ChoiceFilter, PickerFilter, date_range
from admin_site.views.related_cells import optional_related
from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import StudentType
from domain.model import (
    Attendance,
    ClassSession,
    ContactLog,
    Registration,
    School,
    Student,
    WaitlistEntry,
)
from domain.services.people import (
    ContactEntryFields,
    SchoolFields,
    StudentFields,
    add_contact_entry,
    create_school,
    create_student,
    update_contact_entry,
    update_school,
    update_student,
)

STUDENT_TYPES = choices(StudentType)
SCHOOL_PICKER = {"fields": ("name", "location"), "order_by": "name"}

SIGNUP_COLUMNS = [
    ("Student", "student.full_name"),
    ("Course", "course"),
    ("Payment", "payment_status"),
    ("Amount", "amount_due"),
    ("Signed up", "created_at"),
    ("Cancelled", "cancelled_at"),
]


def _unclassified(query: Select[Any]) -> Select[Any]:
    return query.where(t.students.c.admin_classified.is_(False))


def _classified(query: Select[Any]) -> Select[Any]:
    return query.where(t.students.c.admin_classified.is_(True))


class SchoolView(RollbookView, model=School):
    name = "School"
    name_plural = "Schools"
    icon = "fa-solid fa-school"
    category = "People"
    column_list = ["name", "location", "contact_name"]
    column_searchable_list = ["name", "location", "contact_name", "contact_email"]
    column_sortable_list = ["id", "name", "location", "contact_name", "created_at"]
    column_default_sort = "name"
    column_labels = {"created_at": "Added"}
    column_filters = [
        *date_range("created_at", since="Added since", until="Added until", prefix="added"),
    ]
    column_details_list = [
        "id",
        "name",
        "location",
        "contact_name",
        "contact_email",
        "contact_phone",
        "comments",
        "created_at",
        "updated_at",
    ]
    form_columns = [
        "name",
        "location",
        "contact_name",
        "contact_email",
        "contact_phone",
        "comments",
    ]
    export_columns = [
        "id",
        "name",
        "location",
        "contact_name",
        "contact_email",
        "contact_phone",
        "comments",
        "created_at",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> School:
        return create_school(db, as_fields(SchoolFields, values), actor=actor)

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> School:
        return update_school(db, pk, as_fields(SchoolFields, values), actor=actor)

    def detail_links(self, request: Request, model: Any) -> list[tuple[str, str]]:
        export = request.url_for("admin:export", identity="registration", export_type="xlsx")
        return [("Export sign-ups to Excel", f"{export}?school_id={model.id}")]

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        contacts_c, registrations_c, students_c = t.contact_logs.c, t.registrations.c, t.students.c
        contacts = await self.query(
            select(ContactLog)
            .where(contacts_c.school_id == model.id)
            .options(joinedload(mapped(ContactLog, "staff_user")))
            .order_by(contacts_c.contacted_at.desc())
        )
        signups = await self.query(
            select(Registration)
            .where(registrations_c.school_id == model.id)
            .options(
                joinedload(mapped(Registration, "student")),
                joinedload(mapped(Registration, "course")),
            )
            .order_by(registrations_c.created_at.desc())
        )
        students = await self.query(
            select(Student).where(students_c.school_id == model.id).order_by(students_c.last_name)
        )
        return [
            related_table(
                "Contact history",
                "contact-log",
                [("When", "contacted_at"), ("By", "staff_user"), ("Comment", "comment")],
                contacts,
                list_url=f"contact-log/list?school_id={model.id}",
            ),
            related_table(
                "Sign-ups",
                "registration",
                SIGNUP_COLUMNS,
                signups,
                list_url=f"registration/list?school_id={model.id}",
            ),
            related_table(
                "Students",
                "student",
                [("Name", "full_name"), ("Email", "email"), ("Title", "title")],
                students,
                list_url=f"student/list?school_id={model.id}",
            ),
        ]


class ContactLogView(RollbookView, model=ContactLog):
    name = "Contact entry"
    name_plural = "Contact history"
    icon = "fa-solid fa-phone"
    category = "People"
    column_list = ["id", "school", "contacted_at", "staff_user", "comment"]
    column_labels = {"staff_user": "By", "contacted_at": "Contacted"}
    non_link_related_fields = ["staff_user"]
    column_formatters = optional_related("staff_user")
    column_searchable_list = ["comment", "school.name"]
    column_sortable_list = ["id", "contacted_at"]
    column_default_sort = ("contacted_at", True)
    column_filters = [
        PickerFilter("school_id", "name", foreign_model=School, title="School"),
        *date_range(
            "contacted_at",
            since="Contacted since",
            until="Contacted until",
            prefix="contacted",
        ),
    ]
    column_details_list = ["id", "school", "contacted_at", "staff_user", "comment", "created_at"]
    form_columns = ["school", "contacted_at", "comment"]
    form_ajax_refs = {"school": SCHOOL_PICKER}
    export_columns = [
        "id",
        "school.name",
        "contacted_at",
        "staff_user",
        "comment",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> ContactLog:
        # The entry is signed by whoever wrote it, never chosen on the form.
        return add_contact_entry(db, as_fields(ContactEntryFields, values), actor=actor)

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> ContactLog:
        return update_contact_entry(db, pk, as_fields(ContactEntryFields, values), actor=actor)


class StudentView(RollbookView, model=Student):
    name = "Student"
    name_plural = "Students"
    icon = "fa-solid fa-user-graduate"
    category = "People"
    column_list = ["first_name", "last_name", "email", "student_type", "school"]
    column_labels = {
        "admin_classified": "Type confirmed",
        "created_at": "Added",
        "title": "Job title",
    }
    non_link_related_fields = ["school"]
    column_formatters = optional_related("school")
    column_searchable_list = ["first_name", "last_name", "email", "phone"]
    column_sortable_list = ["id", "first_name", "last_name", "email", "student_type", "created_at"]
    column_default_sort = "last_name"
    column_filters = [
        PickerFilter("school_id", "name", foreign_model=School, title="School"),
        StaticValuesFilter("student_type", STUDENT_TYPES, title="Student type"),
        ChoiceFilter(
            title="Classification",
            parameter_name="classification",
            choices={
                "unclassified": ("Not yet classified", _unclassified),
                "classified": ("Classified by staff", _classified),
            },
        ),
        *date_range("created_at", since="Added since", until="Added until", prefix="added"),
    ]
    column_details_list = [
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "title",
        "school",
        "student_type",
        "admin_classified",
        "profile_complete",
        "experience",
        "emergency_contact",
        "notes",
        "created_at",
        "updated_at",
    ]
    form_columns = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "title",
        "school",
        "student_type",
        "admin_classified",
        "experience",
        "emergency_contact",
        "notes",
    ]
    form_overrides = {"student_type": SelectField}
    form_args = {"student_type": {"choices": STUDENT_TYPES}}
    form_ajax_refs = {"school": SCHOOL_PICKER}
    export_columns = [
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "title",
        "school.name",
        "student_type",
        "admin_classified",
        "created_at",
    ]

    def create_record(self, db: Database, values: FormValues, actor: Actor) -> Student:
        return create_student(db, as_fields(StudentFields, values), actor=actor)

    def update_record(self, db: Database, pk: int, values: FormValues, actor: Actor) -> Student:
        # The student type decides what they may book: checked and audited with the rest.
        return update_student(db, pk, as_fields(StudentFields, values), actor=actor)

    def detail_links(self, request: Request, model: Any) -> list[tuple[str, str]]:
        # Everything stored about them, on request (issue 16): the page offering the download.
        return [("Personal data", str(request.url_for("admin:view-personal-data", pk=model.id)))]

    async def related_tables(self, request: Request, model: Any) -> list[RelatedTable]:
        registrations_c = t.registrations.c
        registrations = await self.query(
            select(Registration)
            .where(registrations_c.student_id == model.id)
            .options(
                joinedload(mapped(Registration, "course")),
                joinedload(mapped(Registration, "student")),
            )
            .order_by(registrations_c.created_at.desc())
        )
        attendance = await self.query(
            select(Attendance)
            .join(mapped(Attendance, "registration"))
            .join(mapped(Attendance, "session"))
            .where(registrations_c.student_id == model.id)
            .options(
                joinedload(mapped(Attendance, "session")).joinedload(mapped(ClassSession, "course"))
            )
            .order_by(t.class_sessions.c.session_date.desc())
        )
        waitlist = await self.query(
            select(WaitlistEntry)
            .where(t.waitlist_entries.c.student_id == model.id)
            .options(joinedload(mapped(WaitlistEntry, "course")))
        )
        return [
            related_table(
                "Registrations",
                "registration",
                SIGNUP_COLUMNS[1:],
                registrations,
                list_url=f"registration/list?search={model.email or ''}",
            ),
            related_table(
                "Attendance",
                "attendance",
                [
                    ("Course", "session.course.title"),
                    ("Date", "session.session_date"),
                    ("Status", "status"),
                    ("Marked", "marked_at"),
                ],
                attendance,
            ),
            related_table(
                "Waitlists",
                "waitlist-entry",
                [("Course", "course"), ("Position", "position"), ("Status", "status")],
                waitlist,
            ),
        ]
