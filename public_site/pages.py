"""Rendering pages, and the friendly pages shown when something is refused or missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from domain.errors import LinkInvalid, TooManyUnpaid
from domain.link_tokens import EXPIRED_MESSAGE, USED_MESSAGE
from domain.services.settings import load_settings
from public_site.security import NO_REFERRER, REFERRER_POLICY, SECURITY_HEADERS, csrf_token


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    values = {"csrf_token": csrf_token(request), **(context or {})}
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, values, status_code=status_code, headers=headers
    )


def redirect(request: Request, name: str, **path_params: Any) -> RedirectResponse:
    """Post/Redirect/Get: a successful form always ends in a 303 to a page."""
    return RedirectResponse(request.url_for(name, **path_params).path, status_code=303)


def problem(
    request: Request,
    *,
    status_code: int,
    title: str,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    context = {"title": title, "message": message}
    return render(request, "problem.html", context, status_code=status_code, headers=headers)


def not_found(request: Request, message: str = "") -> Response:
    return problem(
        request,
        status_code=404,
        title="Page not found",
        message=message or "There is no page at this address. It may have moved or closed.",
    )


def link_problem(
    request: Request, error: LinkInvalid, *, status_code: int | None = None
) -> Response:
    """A used or expired link is gone (410); a mistyped one was never there (404)."""
    message = str(error)
    status = status_code or (410 if message in (USED_MESSAGE, EXPIRED_MESSAGE) else 404)
    return problem(
        request,
        status_code=status,
        title="This link cannot be used",
        message=message,
        headers=NO_REFERRER,
    )


# The exception handlers are plain functions, as the endpoints are: Starlette
# runs them in its thread pool, and rendering any page reads the settings.
def csrf_refused(request: Request, _exc: Exception) -> Response:
    return problem(
        request,
        status_code=403,
        title="Please try again",
        message="This form was open too long or came from another page, so nothing was sent. "
        "Please go back, reload the page and send it again.",
    )


def rate_limited(request: Request, _exc: Exception) -> Response:
    return problem(
        request,
        status_code=429,
        title="Too many tries",
        message="We have received many submissions from your connection in the last few "
        "minutes. Please wait ten minutes and try again.",
        headers={"Retry-After": "600"},
    )


def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return not_found(request)
    if status == 405:
        return problem(
            request, status_code=405, title="Not allowed", message="This page cannot do that."
        )
    return problem(
        request,
        status_code=status,
        title="Something went wrong",
        message="Please try again in a moment.",
    )


def server_error(request: Request, _exc: Exception) -> Response:
    # This answer is made outside the security middleware, so it adds the headers itself.
    headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
    return problem(
        request,
        status_code=500,
        title="Something went wrong",
        message="We could not finish this. Nothing was changed; please try again in a moment.",
        headers={**headers, "Referrer-Policy": REFERRER_POLICY.decode()},
    )


def too_many_unpaid(request: Request, error: TooManyUnpaid) -> Response:
    """The visitor's address holds its cap of unpaid bookings: say so, and what frees one."""
    with request.app.state.db.read() as session:
        hold_hours = load_settings(session).payment_hold_hours
    context = {"message": str(error), "hold_hours": hold_hours}
    return render(request, "unpaid_limit.html", context, status_code=429)
