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

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain import formatting
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.errors import DomainError, ValidationError
from domain.model import School
from domain.services.catalogue import school_signup_courses
from domain.services.course_listing import CatalogueEntry
from domain.services.school_signup import (
    NewSchool,
    Participant,
    SignedUp,
    sign_up_school,
    signed_up,
)
from domain.services.settings import load_settings
from public_site.endpoints import form_endpoint
from public_site.forms import MAX_PARTICIPANTS, SchoolSignupForm
from public_site.pages import redirect, render
from public_site.security import client_address, is_bot

MAX_MATCHES = 10
MIN_QUERY = 2
MAX_QUERY = 100
#: A signed cookie names the registrations just made, so the success page can repeat
#: them to the browser that made them, and to no one else.
SIGNED_UP_COOKIE = "rollbook_signed_up"
SIGNED_UP_SECONDS = 3600


def _course_label(entry: CatalogueEntry, zone: str) -> str:
    dates = formatting.course_dates(entry.starts_at, entry.ends_at, zone)
    left = entry.seats_left
    seats = "full" if entry.is_full else f"{left} seat{'' if left == 1 else 's'} left"
    return f"{entry.title} — {dates} ({seats})"


def _form(session: Session, formdata: FormData | None, now: datetime) -> SchoolSignupForm:
    form = SchoolSignupForm(formdata=formdata)
    settings = load_settings(session)
    entries = school_signup_courses(session, now=now, settings=settings)
    # A full course is shown but cannot be picked; nothing is chosen until the visitor does.
    form.course.choices = [
        ("", "Choose a course", {}),
        *(
            (e.course_id, _course_label(e, settings.timezone), {"disabled": e.is_full})
            for e in entries
        ),
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
                    "or choose “My school is not listed”."
                ]
                return _page(request, form, status_code=400)
        participants = [Participant(name=n, title=title) for n, title in form.participant_rows()]
    try:
        outcomes = sign_up_school(
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
    response = redirect(request, "signup_success")
    response.set_cookie(
        SIGNED_UP_COOKIE,
        str(_serializer(request).dumps([o.registration_id for o in outcomes])),
        max_age=SIGNED_UP_SECONDS,
        path="/signup/",
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.config.https),
    )
    return response


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.config.secret_key, salt="school-signed-up")


def _signed_up_ids(request: Request) -> list[int]:
    raw = request.cookies.get(SIGNED_UP_COOKIE, "")
    if not raw or len(raw) > 2000:
        return []
    try:
        value = _serializer(request).loads(raw, max_age=SIGNED_UP_SECONDS)
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [i for i in value if isinstance(i, int) and not isinstance(i, bool)]


def signup_success(request: Request) -> Response:
    """The sign-up just made: its course and participants, read from the signed cookie."""
    summary: SignedUp | None = None
    ids = _signed_up_ids(request)
    if ids:
        with request.app.state.db.read() as session:
            settings = load_settings(session)
            summary = signed_up(session, ids)
            dates = (
                formatting.course_dates(summary.starts_at, summary.ends_at, settings.timezone)
                if summary
                else ""
            )
    else:
        dates = ""
    context = {"summary": summary, "dates": dates}
    return render(request, "signup_success.html", context)


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
