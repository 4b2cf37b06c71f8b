"""A school signs up its participants for a course: ``/signup/`` (seed 000 §4.3).

The school is picked with a search-as-you-type field backed by
``/signup/schools?q=``, which answers a few matches, never the whole list; or it
is registered on the spot. Without JavaScript the school's exact name still
finds it, and the "add another participant" button reloads the form with one
more row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.errors import DomainError, ValidationError
from domain.model import School
from domain.rules.payment import format_course_dates
from domain.services.catalogue import package_courses
from domain.services.school_signup import NewSchool, Participant, sign_up_school
from domain.services.settings import load_settings
from public_site.endpoints import form_endpoint
from public_site.forms import MAX_PARTICIPANTS, SchoolSignupForm
from public_site.pages import redirect, render
from public_site.security import client_address, is_bot

MAX_MATCHES = 10
MIN_QUERY = 2
MAX_QUERY = 100


def _form(session: Session, formdata: FormData | None, now: datetime) -> SchoolSignupForm:
    form = SchoolSignupForm(formdata=formdata)
    zone = load_settings(session).timezone
    form.course.choices = [
        (c.id, f"{c.title} — {format_course_dates(c.starts_at, c.ends_at, timezone=zone)}")
        for c in package_courses(session, now=now)
    ]
    return form


def _page(
    request: Request, form: SchoolSignupForm, *, message: str = "", status_code: int = 200
) -> Response:
    context: dict[str, Any] = {"form": form, "message": message, "max": MAX_PARTICIPANTS}
    return render(request, "signup.html", context, status_code=status_code)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _school_by_name(session: Session, name: str) -> int | None:
    """The one school called exactly ``name`` (any case), for browsers without JavaScript."""
    ids = session.scalars(
        select(t.schools.c.id).where(func.lower(t.schools.c.name) == name.lower()).limit(2)
    ).all()
    return ids[0] if len(ids) == 1 else None


def _existing_school(session: Session, form: SchoolSignupForm) -> int | None:
    chosen = form.chosen_school_id()
    if chosen is not None and session.get(School, chosen) is not None:
        return chosen
    return _school_by_name(session, form.school_name.data or "")


def signup_page(request: Request) -> Response:
    with request.app.state.db.read() as session:
        return _page(request, _form(session, None, utcnow()))


@form_endpoint
def signup(request: Request, formdata: FormData) -> Response:
    if is_bot(formdata):
        return redirect(request, "signup_success")
    db = request.app.state.db
    with db.read() as session:
        form = _form(session, formdata, utcnow())
        if formdata.get("action") == "add_row":
            if len(form.participants.entries) < MAX_PARTICIPANTS:
                form.participants.append_entry()
            return _page(request, form)
        if not form.validate():
            return _page(request, form, status_code=400)
        school_id = None
        new_school = None
        if form.school_choice.data == "new":
            new_school = NewSchool(
                name=form.school_name.data or "",
                location=form.location.data or "",
                contact_name=form.contact_name.data or "",
                contact_email=form.contact_email.data or "",
                contact_phone=form.contact_phone.data or "",
            )
        else:
            school_id = _existing_school(session, form)
            if school_id is None:
                form.school_name.errors = [
                    "We could not find this school. Pick it from the suggestions, "
                    "or choose “Register a new school”."
                ]
                return _page(request, form, status_code=400)
        participants = [Participant(name=n, title=title) for n, title in form.participant_rows()]
    try:
        sign_up_school(
            db,
            course_id=form.course.data,
            school_id=school_id,
            new_school=new_school,
            participants=participants,
            actor=Actor.public(client_address(request)),
        )
    except DomainError as exc:
        field = exc.field if isinstance(exc, ValidationError) else None
        with db.read() as session:
            form = _form(session, formdata, utcnow())
            form.validate()
            if field and hasattr(form, field):
                getattr(form, field).errors = [str(exc)]
                return _page(request, form, status_code=400)
            return _page(request, form, message=str(exc), status_code=400)
    return redirect(request, "signup_success")


def signup_success(request: Request) -> Response:
    return render(request, "signup_success.html")


def search_schools(request: Request) -> Response:
    """A few schools whose name contains ``q``; never the whole list."""
    query = " ".join(request.query_params.get("q", "").split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return JSONResponse([])
    s = t.schools.c
    with request.app.state.db.read() as session:
        rows = session.execute(
            select(s.id, s.name, s.location)
            .where(func.lower(s.name).like(_like_pattern(query), escape="\\"))
            .order_by(s.name, s.id)
            .limit(MAX_MATCHES)
        ).all()
    return JSONResponse([{"id": i, "name": n, "location": loc} for i, n, loc in rows])


routes = [
    Route("/signup/", signup_page, name="signup_page"),
    Route("/signup/", signup, methods=["POST"], name="signup"),
    Route("/signup/success/", signup_success, name="signup_success"),
    Route("/signup/schools", search_schools, name="search_schools"),
]
