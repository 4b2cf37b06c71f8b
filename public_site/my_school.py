"""My school: a school's contact signs in by an emailed link and looks after its participants.

Asking for the link answers the same whether or not the address is a contact's.
Opening the link shows a "Continue" button (a mail scanner that follows links
spends nothing); pressing it spends the link and sets the visitor cookie for
the school (``visitor_session``). Every page after that reads the school from
the cookie only, so a contact sees and changes their own school's participants.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from domain.actors import Actor
from domain.clock import utcnow
from domain.errors import DomainError, LinkInvalid, NotFound, ValidationError
from domain.services.emailed_urls import SCHOOL_SIGN_IN_PATH
from domain.services.school_participants import package_price, replacement_target, school_page
from domain.services.school_portal import (
    NewParticipant,
    add_participant,
    replace_participant,
    school_contact,
)
from domain.services.school_sign_in import (
    request_school_links,
    school_by_sign_in_link,
    sign_in_school,
)
from domain.services.settings import load_settings
from public_site.endpoints import form_endpoint
from public_site.forms import EmailForm, email_address, plain_text, single_line
from public_site.pages import link_problem, not_found, redirect, render
from public_site.security import NO_REFERRER, client_address, is_bot
from public_site.visitor_session import Visitor, current_visitor, sign_in, sign_out

#: What the participants page says after a change (``?done=``); nothing else is shown.
DONE = {
    "added": "The teacher is signed up. We have emailed you a confirmation.",
    "replaced": "The place has passed to the new teacher. We have emailed you a confirmation.",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


class TeacherForm(Form):
    name = StringField(
        "Teacher's name",
        validators=[
            DataRequired("Please enter the teacher's name."),
            Length(max=200, message="Please use at most 200 characters."),
            single_line,
        ],
        filters=[_strip],
    )
    title = StringField(
        "Job title or role",
        validators=[
            Optional(),
            Length(max=255, message="Please use at most 255 characters."),
            single_line,
        ],
        filters=[_strip],
    )
    email = StringField(
        "Teacher's email (optional)",
        validators=[Optional(), Length(max=254), single_line, email_address],
        filters=[_lower],
    )

    def person(self) -> NewParticipant:
        return NewParticipant(
            name=self.name.data or "", title=self.title.data or "", email=self.email.data or ""
        )


class ReplaceForm(TeacherForm):
    name = StringField(
        "New teacher's name",
        validators=[
            DataRequired("Please enter the new teacher's name."),
            Length(max=200, message="Please use at most 200 characters."),
            single_line,
        ],
        filters=[_strip],
    )
    reason = TextAreaField(
        "Why is the place passing to someone else?",
        validators=[
            DataRequired("Please say why this participant is replaced."),
            Length(max=2000, message="Please use at most 2000 characters."),
            plain_text,
        ],
        filters=[_strip],
    )


def _school_id(request: Request) -> int | None:
    visitor = current_visitor(request, "school")
    return visitor.subject_id if visitor else None


def _to_start(request: Request) -> RedirectResponse:
    return redirect(request, "my_school")


def _done(request: Request, what: str) -> RedirectResponse:
    return RedirectResponse(f"{request.url_for('my_school').path}?done={what}", status_code=303)


def home(request: Request) -> Response:
    school_id = _school_id(request)
    if school_id is None:
        return render(request, "my_school_request.html", {"form": EmailForm()})
    with request.app.state.db.read() as session:
        settings = load_settings(session)
        try:
            page = school_page(session, school_id, now=utcnow(), settings=settings)
        except NotFound:
            # The school was removed since the contact signed in.
            return sign_out(request, _to_start(request))
    done = DONE.get(request.query_params.get("done", ""), "")
    return render(request, "my_school.html", {"page": page, "done": done})


@form_endpoint
def request_link(request: Request, formdata: FormData) -> Response:
    if is_bot(formdata):
        return redirect(request, "my_school_sent")
    form = EmailForm(formdata=formdata)
    if not form.validate():
        return render(request, "my_school_request.html", {"form": form}, status_code=400)
    try:
        request_school_links(
            request.app.state.db,
            email=form.email.data or "",
            actor=Actor.public(client_address(request)),
        )
    except ValidationError as exc:
        form.email.errors = [str(exc)]
        return render(request, "my_school_request.html", {"form": form}, status_code=400)
    return redirect(request, "my_school_sent")


def sent(request: Request) -> Response:
    return render(request, "my_school_sent.html")


def sign_in_page(request: Request) -> Response:
    token = request.path_params["token"]
    with request.app.state.db.read() as session:
        try:
            school = school_by_sign_in_link(session, token, now=utcnow())
        except LinkInvalid as exc:
            return link_problem(request, exc)
        context = {"token": token, "school_name": school.name}
    return render(request, "my_school_sign_in.html", context, headers=NO_REFERRER)


@form_endpoint
def sign_in_with_link(request: Request, _form: FormData) -> Response:
    try:
        school_id = sign_in_school(
            request.app.state.db,
            token=request.path_params["token"],
            actor=Actor.public(client_address(request)),
        )
    except LinkInvalid as exc:
        return link_problem(request, exc)
    return sign_in(request, _to_start(request), Visitor(audience="school", subject_id=school_id))


@form_endpoint
def sign_out_school(request: Request, _form: FormData) -> Response:
    return sign_out(request, _to_start(request))


def _add_page(
    request: Request, school_id: int, form: TeacherForm, *, message: str = "", status: int = 200
) -> Response:
    course_id = request.path_params["course_id"]
    with request.app.state.db.read() as session:
        settings = load_settings(session)
        page = school_page(session, school_id, now=utcnow(), settings=settings)
        price = package_price(session, course_id)
    course = next((c for c in page.courses if c.course_id == course_id), None)
    if course is None:
        return not_found(request, "Your school has no participants on this course.")
    context = {
        "form": form,
        "course": course,
        "price": price,
        "message": message or course.change_refusal or "",
    }
    return render(request, "my_school_add.html", context, status_code=status)


def add_page(request: Request) -> Response:
    school_id = _school_id(request)
    if school_id is None:
        return _to_start(request)
    return _add_page(request, school_id, TeacherForm())


@form_endpoint
def add(request: Request, formdata: FormData) -> Response:
    school_id = _school_id(request)
    if school_id is None:
        return _to_start(request)
    form = TeacherForm(formdata=formdata)
    if not form.validate():
        return _add_page(request, school_id, form, status=400)
    try:
        add_participant(
            request.app.state.db,
            school_id=school_id,
            course_id=request.path_params["course_id"],
            person=form.person(),
            actor=school_contact(school_id, client_address(request)),
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except DomainError as exc:
        return _refused(request, school_id, form, exc, _add_page)
    return _done(request, "added")


def _replace_page(
    request: Request, school_id: int, form: TeacherForm, *, message: str = "", status: int = 200
) -> Response:
    with request.app.state.db.read() as session:
        settings = load_settings(session)
        try:
            target = replacement_target(
                session,
                school_id,
                request.path_params["registration_id"],
                now=utcnow(),
                settings=settings,
            )
        except NotFound as exc:
            return not_found(request, str(exc))
    context = {"form": form, "target": target, "message": message or target.refusal or ""}
    return render(request, "my_school_replace.html", context, status_code=status)


def replace_page(request: Request) -> Response:
    school_id = _school_id(request)
    if school_id is None:
        return _to_start(request)
    return _replace_page(request, school_id, ReplaceForm())


@form_endpoint
def replace(request: Request, formdata: FormData) -> Response:
    school_id = _school_id(request)
    if school_id is None:
        return _to_start(request)
    form = ReplaceForm(formdata=formdata)
    if not form.validate():
        return _replace_page(request, school_id, form, status=400)
    try:
        replace_participant(
            request.app.state.db,
            school_id=school_id,
            registration_id=request.path_params["registration_id"],
            person=form.person(),
            reason=form.reason.data or "",
            actor=school_contact(school_id, client_address(request)),
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except DomainError as exc:
        return _refused(request, school_id, form, exc, _replace_page)
    return _done(request, "replaced")


FormPage = Callable[..., Response]


def _refused(
    request: Request, school_id: int, form: TeacherForm, exc: DomainError, page: FormPage
) -> Response:
    """Show the form again with the refusal next to its field, or above the form."""
    field = exc.field if isinstance(exc, ValidationError) else None
    if field and hasattr(form, field):
        getattr(form, field).errors = [str(exc)]
        return page(request, school_id, form, status=400)
    return page(request, school_id, form, message=str(exc), status=400)


routes = [
    Route("/my-school/", home, name="my_school"),
    Route("/my-school/", request_link, methods=["POST"], name="my_school_request"),
    Route("/my-school/sent", sent, name="my_school_sent"),
    Route("/my-school/sign-out", sign_out_school, methods=["POST"], name="my_school_sign_out"),
    Route(SCHOOL_SIGN_IN_PATH, sign_in_page, name="my_school_sign_in_page"),
    Route(SCHOOL_SIGN_IN_PATH, sign_in_with_link, methods=["POST"], name="my_school_sign_in"),
    Route("/my-school/courses/{course_id:id}/add", add_page, name="my_school_add_page"),
    Route("/my-school/courses/{course_id:id}/add", add, methods=["POST"], name="my_school_add"),
    Route(
        "/my-school/participants/{registration_id:id}/replace",
        replace_page,
        name="my_school_replace_page",
    ),
    Route(
        "/my-school/participants/{registration_id:id}/replace",
        replace,
        methods=["POST"],
        name="my_school_replace",
    ),
]
