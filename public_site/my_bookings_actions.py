"""What a signed-in student does from "my bookings": cancel, change details, add to a calendar.

Whose bookings these are comes from the signed visitor cookie only. The one id
a visitor sends, a registration's in the address, chooses among their own: any
other is answered as a booking that does not exist (404) and nothing changes.
Without a sign-in every page here sends the visitor to the sign-in form.
"""

from __future__ import annotations

from functools import partial

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from domain import formatting
from domain.actors import Actor
from domain.clock import utcnow
from domain.errors import DomainError, NotFound
from domain.model import Student
from domain.services.booking_calendar import booking_calendar
from domain.services.calendar_feeds import renew_student_feed
from domain.services.my_bookings import cancel_my_registration, my_booking
from domain.services.profiles import ProfileDetails, update_student_profile
from domain.services.settings import load_settings
from public_site.endpoints import form_endpoint
from public_site.forms import ProfileForm
from public_site.my_bookings import PRIVATE, back_to_bookings, signed_in_student
from public_site.pages import not_found, render
from public_site.security import client_address


def _cancel_page(request: Request, student_id: int, *, message: str = "") -> Response:
    registration_id = request.path_params["registration_id"]
    with request.app.state.db.read() as session:
        try:
            booking = my_booking(session, student_id, registration_id, now=utcnow())
        except NotFound as exc:
            return not_found(request, str(exc))
        settings = load_settings(session)
    context = {
        "booking": booking,
        "message": message,
        "when": partial(formatting.local_datetime, zone=settings.timezone),
        "day": formatting.local_date,
    }
    status = 400 if message else 200
    return render(request, "my_bookings_cancel.html", context, status_code=status, headers=PRIVATE)


def cancel_page(request: Request) -> Response:
    student_id = signed_in_student(request)
    if student_id is None:
        return back_to_bookings(request)
    return _cancel_page(request, student_id)


@form_endpoint
def cancel(request: Request, _form: FormData) -> Response:
    student_id = signed_in_student(request)
    if student_id is None:
        return back_to_bookings(request)
    try:
        cancel_my_registration(
            request.app.state.db,
            student_id=student_id,
            registration_id=request.path_params["registration_id"],
            actor=Actor.public(client_address(request)),
        )
    except NotFound as exc:
        return not_found(request, str(exc))
    except DomainError as exc:
        return _cancel_page(request, student_id, message=str(exc))
    return back_to_bookings(request, "cancelled")


def _profile_page(
    request: Request, form: ProfileForm, *, message: str = "", status: int = 200
) -> Response:
    context = {"form": form, "message": message}
    return render(request, "my_bookings_profile.html", context, status_code=status, headers=PRIVATE)


def profile_page(request: Request) -> Response:
    student_id = signed_in_student(request)
    if student_id is None:
        return back_to_bookings(request)
    with request.app.state.db.read() as session:
        student = session.get(Student, student_id)
        if student is None:
            return back_to_bookings(request)
        return _profile_page(request, ProfileForm(obj=student))


@form_endpoint
def profile(request: Request, formdata: FormData) -> Response:
    student_id = signed_in_student(request)
    if student_id is None:
        return back_to_bookings(request)
    form = ProfileForm(formdata=formdata)
    if not form.validate():
        return _profile_page(request, form, status=400)
    details = ProfileDetails(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        phone=form.phone.data or "",
        experience=form.experience.data or "",
        emergency_contact=form.emergency_contact.data or "",
    )
    try:
        update_student_profile(
            request.app.state.db,
            student_id=student_id,
            details=details,
            actor=Actor.public(client_address(request)),
        )
    except DomainError as exc:
        return _profile_page(request, form, message=str(exc), status=400)
    return back_to_bookings(request, "profile")


def calendar(request: Request) -> Response:
    student_id = signed_in_student(request)
    if student_id is None:
        return back_to_bookings(request)
    with request.app.state.db.read() as session:
        try:
            file = booking_calendar(
                session,
                student_id=student_id,
                registration_id=request.path_params["registration_id"],
            )
        except NotFound as exc:
            return not_found(request, str(exc))
    return Response(
        file.content,
        media_type="text/calendar",
        headers={
            **PRIVATE,
            "Content-Disposition": f'attachment; filename="{file.filename}"',
        },
    )


@form_endpoint
def renew_feed(request: Request, _form: FormData) -> Response:
    """Stop the student's calendar link and make a new one (a link shared by mistake)."""
    student_id = signed_in_student(request)
    if student_id is None:
        return back_to_bookings(request)
    renew_student_feed(
        request.app.state.db,
        student_id,
        actor=Actor.public(client_address(request)),
        secret_key=request.app.state.config.secret_key,
    )
    return back_to_bookings(request, "feed")


routes = [
    Route("/my-bookings/cancel/{registration_id:id}", cancel_page, name="my_bookings_cancel_page"),
    Route(
        "/my-bookings/cancel/{registration_id:id}",
        cancel,
        methods=["POST"],
        name="my_bookings_cancel",
    ),
    Route("/my-bookings/profile", profile_page, name="my_bookings_profile_page"),
    Route("/my-bookings/profile", profile, methods=["POST"], name="my_bookings_profile"),
    Route("/my-bookings/calendar/{registration_id:id}.ics", calendar, name="my_bookings_calendar"),
    Route("/my-bookings/calendar-feed", renew_feed, methods=["POST"], name="my_bookings_feed"),
]
