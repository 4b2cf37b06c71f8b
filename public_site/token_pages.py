"""Pages reached by a link in an email: view or cancel a registration, claim or decline an offer.

Every page here has a secret token in its address, so each answer carries
``Referrer-Policy: no-referrer``. A used, expired or mistyped link gets a page
that says so (404 or 410), never an error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from domain import formatting
from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import LinkPurpose, PaymentStatus, WaitlistStatus
from domain.errors import DomainError, LinkInvalid, NotFound, TooManyUnpaid
from domain.link_tokens import (
    EXPIRED_MESSAGE,
    UNKNOWN_MESSAGE,
    USED_MESSAGE,
    find_link,
    use_link,
)
from domain.model import Registration, WaitlistEntry
from domain.rules.payment import payment_instructions
from domain.rules.waitlist import hash_offer_token
from domain.services.emailed_urls import CANCEL_PATH, CLAIM_PATH, DECLINE_PATH, VIEW_PATH
from domain.services.payments import cancel_registration
from domain.services.settings import load_settings
from domain.services.waitlist_offers import claim_offer, decline_offer
from public_site.catalogue import local_time_text
from public_site.endpoints import form_endpoint
from public_site.pages import link_problem, redirect, render, too_many_unpaid
from public_site.security import NO_REFERRER, client_address

CANCELLED_BY_STUDENT = "Cancelled by the student through the emailed link."
#: A claimed or declined offer forgets its token, so it reads like a mistyped one.
OFFER_UNKNOWN = (
    "This offer link has already been used, or it is not valid. Check that you opened "
    "the whole link from the email."
)


def _registration(
    session: Session, token: str, purpose: LinkPurpose, now: datetime
) -> Registration:
    link = find_link(session, token, purpose, now=now)
    registration = session.get(Registration, link.registration_id)
    if registration is None:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    return registration


def _token_page(request: Request, template: str, context: Mapping[str, object]) -> Response:
    return render(
        request, template, {"token": request.path_params["token"], **context}, headers=NO_REFERRER
    )


def _registration_page(
    request: Request, purpose: LinkPurpose, template: str, *, with_payment: bool = False
) -> Response:
    """The page behind a registration link: the registration, its course and start time."""
    now = utcnow()
    with request.app.state.db.read() as session:
        try:
            reg = _registration(session, request.path_params["token"], purpose, now)
        except LinkInvalid as exc:
            return link_problem(request, exc)
        settings = load_settings(session)
        course = reg.course
        assert course is not None
        context: dict[str, object] = {
            "registration": reg,
            "course": course,
            "starts": local_time_text(course.starts_at, settings),
        }
        if with_payment:
            assert reg.id is not None
            instructions = None
            if reg.payment_status == PaymentStatus.PENDING and not reg.is_cancelled:
                instructions = payment_instructions(
                    registration_id=reg.id,
                    course_title=course.title,
                    course_dates=formatting.course_dates(
                        course.starts_at, course.ends_at, settings.timezone
                    ),
                    amount=reg.amount_due,
                    settings=settings,
                )
            # The seat is released at the hold's end (expire_payment_holds); none: held until paid.
            hold_until = formatting.local_datetime(reg.hold_expires_at, settings.timezone)
            context |= {
                "instructions": instructions,
                "settings": settings,
                "hold_until": hold_until,
            }
        return _token_page(request, template, context)


def _gone(request: Request, exc: DomainError) -> Response:
    """The rules refused the link's action: the link was good but no longer applies."""
    return link_problem(request, LinkInvalid(str(exc) or USED_MESSAGE), status_code=410)


def _offer_refused(request: Request, exc: DomainError) -> Response:
    if isinstance(exc, (LinkInvalid, NotFound)):
        return link_problem(request, LinkInvalid(OFFER_UNKNOWN))
    return _gone(request, exc)


def view_registration(request: Request) -> Response:
    return _registration_page(
        request, LinkPurpose.VIEW_REGISTRATION, "registration.html", with_payment=True
    )


def cancel_page(request: Request) -> Response:
    return _registration_page(request, LinkPurpose.CANCEL_REGISTRATION, "cancel.html")


@form_endpoint
def cancel(request: Request, _form: FormData) -> Response:
    token = request.path_params["token"]
    now = utcnow()
    db = request.app.state.db
    with db.read() as session:
        try:
            reg = _registration(session, token, LinkPurpose.CANCEL_REGISTRATION, now)
            registration_id = reg.id or 0
        except LinkInvalid as exc:
            return link_problem(request, exc)
    try:
        cancel_registration(
            db,
            registration_id=registration_id,
            reason=CANCELLED_BY_STUDENT,
            actor=Actor.public(client_address(request)),
        )
    except DomainError as exc:
        return _gone(request, exc)
    _use(db, token, LinkPurpose.CANCEL_REGISTRATION)
    return redirect(request, "registration_cancelled")


def _use(db: Database, token: str, purpose: LinkPurpose) -> None:
    """Spend a link whose action succeeded; a concurrent spend already did the same."""
    with db.write() as session:
        try:
            use_link(session, token, purpose, now=utcnow())
        except LinkInvalid:
            return
        session.commit()


def _offer(session: Session, token: str, now: datetime) -> WaitlistEntry:
    """The open offer behind ``token``; ``LinkInvalid`` says why there is none."""
    if not token or len(token) > 200:
        raise LinkInvalid(UNKNOWN_MESSAGE)
    entry = session.scalars(
        select(WaitlistEntry).where(
            t.waitlist_entries.c.offer_token_hash == hash_offer_token(token.strip())
        )
    ).one_or_none()
    if entry is None:
        raise LinkInvalid(OFFER_UNKNOWN)
    if entry.status != WaitlistStatus.OFFERED:
        raise LinkInvalid(USED_MESSAGE)
    if entry.offer_expires_at is not None and entry.offer_expires_at <= now:
        raise LinkInvalid(EXPIRED_MESSAGE)
    return entry


def offer_page(request: Request) -> Response:
    now = utcnow()
    with request.app.state.db.read() as session:
        try:
            entry = _offer(session, request.path_params["token"], now)
        except LinkInvalid as exc:
            return link_problem(request, exc)
        settings = load_settings(session)
        course = entry.course
        assert course is not None
        context = {
            "entry": entry,
            "course": course,
            "starts": local_time_text(course.starts_at, settings),
            "expires": local_time_text(entry.offer_expires_at, settings)
            if entry.offer_expires_at
            else "",
            "decline": request.url.path.endswith("/decline"),
        }
        return _token_page(request, "offer.html", context)


@form_endpoint
def claim(request: Request, _form: FormData) -> Response:
    try:
        outcome = claim_offer(
            request.app.state.db,
            token=request.path_params["token"],
            actor=Actor.public(client_address(request)),
        )
    except TooManyUnpaid as exc:
        return too_many_unpaid(request, exc)
    except DomainError as exc:
        return _offer_refused(request, exc)
    if outcome.link_token:
        path = request.url_for("registration_view", token=outcome.link_token).path
        return RedirectResponse(path, status_code=303)
    return redirect(request, "registration_received")


@form_endpoint
def decline(request: Request, _form: FormData) -> Response:
    try:
        decline_offer(
            request.app.state.db,
            token=request.path_params["token"],
            actor=Actor.public(client_address(request)),
        )
    except DomainError as exc:
        return _offer_refused(request, exc)
    return redirect(request, "offer_declined")


def cancelled(request: Request) -> Response:
    return render(request, "cancelled.html")


def declined(request: Request) -> Response:
    return render(request, "declined.html")


routes = [
    Route("/registrations/cancelled", cancelled, name="registration_cancelled"),
    # The paths emailed links open are the domain's (domain.services.emailed_urls).
    Route(VIEW_PATH, view_registration, name="registration_view"),
    Route(CANCEL_PATH, cancel_page, name="cancel_page"),
    Route(CANCEL_PATH, cancel, methods=["POST"], name="cancel"),
    Route("/offers/declined", declined, name="offer_declined"),
    Route(CLAIM_PATH, offer_page, name="offer_claim_page"),
    Route(CLAIM_PATH, claim, methods=["POST"], name="offer_claim"),
    Route(DECLINE_PATH, offer_page, name="offer_decline_page"),
    Route(DECLINE_PATH, decline, methods=["POST"], name="offer_decline"),
]
