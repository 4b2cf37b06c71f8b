"""How a public endpoint runs: its database work off the event loop.

One process serves many visitors on one event loop, so a request that waits
for the database there (a course lock held by another booking, a migration)
would stall every other request of the process. Starlette runs a plain ``def``
endpoint, and a plain ``def`` exception handler, in its thread pool; so every
page that touches the database is a plain function. A form must first be read
from the network, which is async: ``form_endpoint`` reads it on the loop, then
runs the rest of the request in the thread pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from public_site.security import read_submission

FormHandler = Callable[[Request, FormData], Response]
Endpoint = Callable[[Request], Awaitable[Response]]


def form_endpoint(handler: FormHandler) -> Endpoint:
    """An endpoint that reads the posted form, then calls ``handler(request, form)`` in a thread.

    The form is read with ``read_submission``: a bad CSRF token or a sender over
    the rate limit is refused before the handler runs.
    """

    async def endpoint(request: Request) -> Response:
        formdata = await read_submission(request)
        return await run_in_threadpool(handler, request, formdata)

    endpoint.__name__ = handler.__name__
    endpoint.__qualname__ = handler.__qualname__
    endpoint.__doc__ = handler.__doc__
    return endpoint
