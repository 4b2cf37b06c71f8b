"""Calendar feeds a calendar app subscribes to: a published course's, a student's, the staff's.

Feeds need no cookie (a calendar app has none) and set none. A feed whose address
holds a token is private: no cache may keep it and its address leaks nowhere; a
course's public feed may be kept a few minutes. A wrong or stopped token is a
plain 404 that says nothing of why.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

import site_kit.request_input  # noqa: F401 (registers the {name:id} path convertor)
from domain.clock import utcnow
from domain.errors import NotFound
from domain.services.calendar_feeds import (
    CONTENT_TYPE,
    STAFF_FEED_PATH,
    STUDENT_FEED_PATH,
    CalendarFile,
    course_feed,
    staff_feed,
    student_feed,
)
from public_site.security import NO_REFERRER

#: Private feeds: never stored by a shared cache or a browser, address never sent on.
PRIVATE_FEED = {"Cache-Control": "private, no-store", **NO_REFERRER}
#: A published course's feed: anyone may keep it briefly.
PUBLIC_FEED = {"Cache-Control": "public, max-age=300"}


def _calendar(file: CalendarFile, headers: dict[str, str]) -> Response:
    return Response(
        file.content,
        media_type=f"{CONTENT_TYPE}; charset=utf-8",
        headers={**headers, "Content-Disposition": f'inline; filename="{file.filename}"'},
    )


def _no_calendar(headers: dict[str, str]) -> Response:
    return PlainTextResponse("There is no such calendar.", status_code=404, headers=headers)


def course_calendar(request: Request) -> Response:
    with request.app.state.db.read() as session:
        try:
            file = course_feed(session, request.path_params["course_id"], now=utcnow())
        except NotFound:
            return _no_calendar(PUBLIC_FEED)
    return _calendar(file, PUBLIC_FEED)


def _token_feed(feed: Callable[..., CalendarFile]) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        session: Session
        with request.app.state.db.read() as session:
            try:
                file = feed(session, request.path_params["token"], now=utcnow())
            except NotFound:
                return _no_calendar(PRIVATE_FEED)
        return _calendar(file, PRIVATE_FEED)

    return endpoint


routes = [
    Route("/courses/{course_id:id}/calendar.ics", course_calendar, name="course_calendar"),
    Route(STUDENT_FEED_PATH, _token_feed(student_feed), name="student_calendar"),
    Route(STAFF_FEED_PATH, _token_feed(staff_feed), name="staff_calendar"),
]
