"""A known student changes their details through a link emailed to them.

Asking for the link answers the same whether or not the address is known, so the
page tells no one who is a student; only the mailbox's owner sees the details.
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.actors import Actor
from domain.clock import utcnow
from domain.errors import DomainError, LinkInvalid, ValidationError
from domain.services.emailed_urls import PROFILE_PATH
from domain.services.profiles import (
    ProfileDetails,
    request_profile_link,
    student_by_profile_link,
    update_profile,
)
from public_site.endpoints import form_endpoint
from public_site.forms import EmailForm, ProfileForm
from public_site.pages import link_problem, redirect, render
from public_site.security import NO_REFERRER, client_address, is_bot


def request_page(request: Request) -> Response:
    return render(request, "profile_request.html", {"form": EmailForm()})


@form_endpoint
def request_link(request: Request, formdata: FormData) -> Response:
    if is_bot(formdata):
        return redirect(request, "profile_sent")
    form = EmailForm(formdata=formdata)
    if not form.validate():
        return render(request, "profile_request.html", {"form": form}, status_code=400)
    try:
        request_profile_link(
            request.app.state.db,
            email=form.email.data or "",
            actor=Actor.public(client_address(request)),
        )
    except ValidationError as exc:
        form.email.errors = [str(exc)]
        return render(request, "profile_request.html", {"form": form}, status_code=400)
    return redirect(request, "profile_sent")


def sent(request: Request) -> Response:
    return render(request, "profile_sent.html")


def updated(request: Request) -> Response:
    return render(request, "profile_updated.html")


def _edit_page(
    request: Request, form: ProfileForm, *, message: str = "", status: int = 200
) -> Response:
    context = {"form": form, "token": request.path_params["token"], "message": message}
    return render(request, "profile_edit.html", context, status_code=status, headers=NO_REFERRER)


def edit_page(request: Request) -> Response:
    with request.app.state.db.read() as session:
        try:
            student = student_by_profile_link(session, request.path_params["token"], now=utcnow())
        except LinkInvalid as exc:
            return link_problem(request, exc)
        return _edit_page(request, ProfileForm(obj=student))


@form_endpoint
def edit(request: Request, formdata: FormData) -> Response:
    form = ProfileForm(formdata=formdata)
    if not form.validate():
        return _edit_page(request, form, status=400)
    details = ProfileDetails(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        phone=form.phone.data or "",
        experience=form.experience.data or "",
        emergency_contact=form.emergency_contact.data or "",
    )
    try:
        update_profile(
            request.app.state.db,
            token=request.path_params["token"],
            details=details,
            actor=Actor.public(client_address(request)),
        )
    except LinkInvalid as exc:
        return link_problem(request, exc)
    except DomainError as exc:
        return _edit_page(request, form, message=str(exc), status=400)
    return redirect(request, "profile_updated")


routes = [
    Route("/profile/", request_page, name="profile_request_page"),
    Route("/profile/", request_link, methods=["POST"], name="profile_request"),
    Route("/profile/sent", sent, name="profile_sent"),
    Route("/profile/updated", updated, name="profile_updated"),
    Route(PROFILE_PATH, edit_page, name="profile_edit_page"),
    Route(PROFILE_PATH, edit, methods=["POST"], name="profile_edit"),
]
