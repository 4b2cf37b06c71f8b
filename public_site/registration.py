"""A student books a course, or joins its waitlist when it is full (seed 003 flow).

The email comes first and decides who the student is, but nothing stored about a
known student is shown or changed here: the service keeps their profile and
the form's other fields only describe a student we have not met.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from domain.actors import Actor
from domain.clock import utcnow
from domain.enums import PricingType
from domain.errors import (
    AlreadyRegistered,
    CourseFull,
    DomainError,
    NotFound,
    TooManyUnpaid,
    ValidationError,
)
from domain.services.registration import StudentDetails, register_student
from domain.services.waitlist import join_waitlist
from public_site.booking_form import registration_form
from public_site.catalogue import course_view
from public_site.endpoints import form_endpoint
from public_site.forms import BookingSubmission, StudentForm
from public_site.pages import not_found, redirect, render, too_many_unpaid
from public_site.security import client_address, is_bot


def _details(form: StudentForm) -> StudentDetails:
    return StudentDetails(
        email=form.email.data or "",
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        phone=form.phone.data or "",
        experience=form.experience.data or "",
        emergency_contact=form.emergency_contact.data or "",
    )


def _course_page_again(
    request: Request,
    formdata: FormData,
    *,
    message: str = "",
    field: str | None = None,
    waitlist: bool = False,
) -> Response:
    """The course page with the visitor's form, its errors and what they typed."""
    with request.app.state.db.read() as session:
        card = course_view(session, request.path_params["course_id"], now=utcnow())
        if card is None:
            return not_found(request, "This course is not open for booking.")
        form = registration_form(card.entry, card.currency, formdata)
        form.validate()
        if field and hasattr(form, field):
            getattr(form, field).errors = [*getattr(form, field).errors, message]
            message = ""
        context: dict[str, Any] = {
            "card": card,
            "form": form,
            "message": message,
            "waitlist": waitlist or card.entry.is_full,
        }
        return render(request, "course.html", context, status_code=400)


@form_endpoint
def register(request: Request, formdata: FormData) -> Response:
    if is_bot(formdata):
        return redirect(request, "registration_received")
    form = BookingSubmission(formdata=formdata)
    if not form.validate():
        return _course_page_again(request, formdata)
    drop_in = form.pricing_type.data == PricingType.DROP_IN
    try:
        outcome = register_student(
            request.app.state.db,
            course_id=request.path_params["course_id"],
            student=_details(form),
            pricing_type=PricingType(form.pricing_type.data or PricingType.FULL_PACKAGE),
            drop_in_session_id=form.drop_in_session.data if drop_in else None,
            special_requests=form.special_requests.data or "",
            actor=Actor.public(client_address(request)),
        )
    except CourseFull as exc:
        return _course_page_again(request, formdata, message=str(exc), waitlist=True)
    except TooManyUnpaid as exc:
        return too_many_unpaid(request, exc)
    except ValidationError as exc:
        return _course_page_again(request, formdata, message=str(exc), field=exc.field)
    except DomainError as exc:
        # Also NotFound: a class not in the course is said on the page; a course
        # the public may not book gets the "not open for booking" page from it.
        return _course_page_again(request, formdata, message=str(exc))
    if outcome.link_token:
        path = request.url_for("registration_view", token=outcome.link_token).path
        return RedirectResponse(path, status_code=303)
    return redirect(request, "registration_received")


@form_endpoint
def join(request: Request, formdata: FormData) -> Response:
    course_id = request.path_params["course_id"]
    if is_bot(formdata):
        return redirect(request, "waitlist_joined", course_id=course_id)
    form = StudentForm(formdata=formdata)
    # The waitlist form has no pricing fields; only the student's details count.
    form.pricing_type.choices = [(PricingType.FULL_PACKAGE.value, "")]
    form.pricing_type.data = PricingType.FULL_PACKAGE.value
    if not form.validate():
        return _course_page_again(request, formdata, waitlist=True)
    try:
        join_waitlist(
            request.app.state.db,
            course_id=course_id,
            student=_details(form),
            actor=Actor.public(client_address(request)),
        )
    except NotFound:
        return not_found(request, "This course is not open for booking.")
    except AlreadyRegistered:
        # Saying so would tell a stranger that this address is booked on the course.
        return redirect(request, "registration_received")
    except ValidationError as exc:
        return _course_page_again(request, formdata, message=str(exc), field=exc.field)
    except DomainError as exc:
        return _course_page_again(request, formdata, message=str(exc), waitlist=True)
    return redirect(request, "waitlist_joined", course_id=course_id)


def waitlist_joined(request: Request) -> Response:
    return render(request, "waitlist_joined.html")


def registration_received(request: Request) -> Response:
    return render(request, "registration_received.html")


routes = [
    Route("/courses/{course_id:id}/register", register, methods=["POST"], name="register"),
    Route("/courses/{course_id:id}/waitlist", join, methods=["POST"], name="join_waitlist"),
    Route("/courses/{course_id:id}/waitlist/joined", waitlist_joined, name="waitlist_joined"),
    Route("/registrations/received", registration_received, name="registration_received"),
]
