"""My bookings: a student signs in with a link emailed to them and sees their bookings.

Asking for the link answers at once with the same page, whether or not the
address is known: the lookup, and the email for a known address, run after the
answer has gone (a background task), so neither the page nor its timing says
who is a student. Opening the link shows a button; pressing it spends the link
and sets the visitor cookie (``public_site.visitor_session``), so a mail scanner
that fetches the link does not use it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from domain import formatting
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.errors import LinkInvalid, NotFound, ValidationError
from domain.rules.contact_details import normalise_email
from domain.services.calendar_feeds import STUDENT_FEED_PATH, student_feed_token
from domain.services.emailed_urls import SIGN_IN_PATH
from domain.services.my_bookings import MyBookings, my_bookings
from domain.services.student_sign_in import (
    SIGN_IN_LINK_TTL,
    request_sign_in_link,
    sign_in_student,
    student_by_sign_in_link,
)
from public_site.endpoints import form_endpoint
from public_site.forms import EmailForm
from public_site.pages import link_problem, redirect, render
from public_site.security import NO_REFERRER, client_address, is_bot
from public_site.visitor_session import (
    VISITOR_SESSION_SECONDS,
    Visitor,
    current_visitor,
    sign_in,
    sign_out,
)

#: Pages about one person are not kept by browsers or proxies (a shared computer's
#: back button), and their address leaks nowhere.
PRIVATE = {"Cache-Control": "no-store", **NO_REFERRER}
#: What the page says after an action sent the visitor back to it.
DONE: Mapping[str, str] = {
    "cancelled": "Your booking is cancelled. We have emailed you a confirmation.",
    "profile": "Your details are saved.",
    "signed-out": "You are signed out.",
    "feed": "Your old calendar link no longer works. Here is your new one.",
}


def signed_in_student(request: Request) -> int | None:
    """The id of the student this browser is signed in as, or None."""
    visitor = current_visitor(request, "student")
    return visitor.subject_id if visitor else None


def back_to_bookings(request: Request, done: str = "") -> RedirectResponse:
    """303 to the bookings page, which then says ``DONE[done]``."""
    path = request.url_for("my_bookings").path
    return RedirectResponse(f"{path}?done={done}" if done else path, status_code=303)


def words(view: MyBookings) -> dict[str, Any]:
    """The helpers the templates put values into words with, in the organisation's zone."""
    return {
        "money": partial(formatting.money, currency=view.currency),
        "when": partial(formatting.local_datetime, zone=view.timezone),
        "day": formatting.local_date,
        "clock": formatting.clock_time,
        "badge": formatting.payment_badge,
        "label": formatting.label,
    }


def _request_page(request: Request, form: EmailForm, *, status: int = 200) -> Response:
    done = DONE.get(request.query_params.get("done", ""), "")
    return render(
        request,
        "my_bookings_request.html",
        {"form": form, "done": done},
        status_code=status,
        headers=PRIVATE,
    )


def bookings_page(request: Request) -> Response:
    student_id = signed_in_student(request)
    if student_id is None:
        return _request_page(request, EmailForm())
    with request.app.state.db.read() as session:
        try:
            view = my_bookings(session, student_id, now=utcnow())
        except NotFound:
            # The student was removed since signing in: forget them.
            return sign_out(request, _request_page(request, EmailForm()))
    context = {
        "view": view,
        "done": DONE.get(request.query_params.get("done", ""), ""),
        "feed_url": _feed_url(request, student_id),
        **words(view),
    }
    return render(request, "my_bookings.html", context, headers=PRIVATE)


def _feed_url(request: Request, student_id: int) -> str:
    """The address of the student's private calendar feed (made if they have none yet)."""
    db: Database = request.app.state.db
    token = student_feed_token(db, student_id, secret_key=request.app.state.config.secret_key)
    return db.public_base_url + STUDENT_FEED_PATH.format(token=token)


def _send_link(db: Database, email: str, actor: Actor) -> None:
    request_sign_in_link(db, email=email, actor=actor)


@form_endpoint
def request_link(request: Request, formdata: FormData) -> Response:
    if is_bot(formdata):
        return redirect(request, "my_bookings_sent")
    form = EmailForm(formdata=formdata)
    if not form.validate():
        return _request_page(request, form, status=400)
    try:
        # The address's form alone is checked now: the answer is the same for anyone's.
        address = normalise_email(form.email.data or "")
    except ValidationError as exc:
        form.email.errors = [str(exc)]
        return _request_page(request, form, status=400)
    response = redirect(request, "my_bookings_sent")
    # After the answer is sent: a known address must not take longer to answer.
    response.background = BackgroundTask(
        _send_link, request.app.state.db, address, Actor.public(client_address(request))
    )
    return response


def sent(request: Request) -> Response:
    context = {"link_lasts": formatting.duration(SIGN_IN_LINK_TTL)}
    return render(request, "my_bookings_sent.html", context)


def continue_page(request: Request) -> Response:
    with request.app.state.db.read() as session:
        try:
            student_by_sign_in_link(session, request.path_params["token"], now=utcnow())
        except LinkInvalid as exc:
            return link_problem(request, exc)
    context = {
        "token": request.path_params["token"],
        "sign_in_lasts": formatting.duration(timedelta(seconds=VISITOR_SESSION_SECONDS)),
    }
    return render(request, "my_bookings_continue.html", context, headers=PRIVATE)


@form_endpoint
def continue_sign_in(request: Request, _form: FormData) -> Response:
    try:
        student_id = sign_in_student(
            request.app.state.db,
            token=request.path_params["token"],
            actor=Actor.public(client_address(request)),
        )
    except LinkInvalid as exc:
        return link_problem(request, exc)
    # The calendar link is made now, so that showing the page never writes.
    _feed_url(request, student_id)
    return sign_in(request, back_to_bookings(request), Visitor("student", student_id))


@form_endpoint
def sign_out_student(request: Request, _form: FormData) -> Response:
    return sign_out(request, back_to_bookings(request, "signed-out"))


routes = [
    Route("/my-bookings/", bookings_page, name="my_bookings"),
    Route("/my-bookings/", request_link, methods=["POST"], name="my_bookings_request"),
    Route("/my-bookings/sent", sent, name="my_bookings_sent"),
    Route("/my-bookings/sign-out", sign_out_student, methods=["POST"], name="my_bookings_out"),
    # The path the emailed link opens is the domain's (domain.services.emailed_urls).
    Route(SIGN_IN_PATH, continue_page, name="my_bookings_continue_page"),
    Route(SIGN_IN_PATH, continue_sign_in, methods=["POST"], name="my_bookings_continue"),
]
