"""Redirects that never follow a forged Host header, and only BASE_URL's host in production.

Starlette's ``request.url_for`` builds absolute URLs from the request's Host
header, and SQLAdmin builds every redirect with it (sign-in, sign-out, after a
save); so ``Host: evil.example`` came back as ``Location: http://evil.example/admin/``.
Two middlewares, on each site just inside its security headers (and so on the
combined app, which passes every request but ``/health`` to one of them):

- ``RelativeRedirects`` sends a ``Location`` on the request's own host as a path
  (``/admin/``), which the browser resolves against the address it asked, the
  way the public site's own redirects were written already.
- ``_HostCheck`` refuses (400) in production any Host other than ``BASE_URL``'s,
  with Starlette's ``TrustedHostMiddleware``, so pages and links are only ever
  built for the configured address. ``/health`` is left open: a container's
  health check calls it by an internal address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import URL, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.config import Config

#: Answered whatever the Host: it reveals nothing and builds no URL.
OPEN_PATHS = ("/health",)


def relative_location(location: str, own_netloc: str) -> str:
    """``location`` as a path when it points at ``own_netloc``; anything else unchanged.

    A path that would start with ``//`` reads as another host to a browser, so
    its leading slashes are folded into one.
    """
    parts = urlsplit(location)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != own_netloc.lower():
        return location
    path = "/" + parts.path.lstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{path}{query}{fragment}"


class RelativeRedirects:
    """Answer a redirect to the request's own host with a path, whoever set the Host header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        own_netloc = URL(scope=scope).netloc

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                location = headers.get("location")
                if location:
                    headers["location"] = relative_location(location, own_netloc)
            await send(message)

        await self.app(scope, receive, send_relative)


class _HostCheck:
    """``TrustedHostMiddleware`` for every path but ``OPEN_PATHS``."""

    def __init__(self, app: ASGIApp, *, host: str) -> None:
        self.app = app
        self.checked = TrustedHostMiddleware(app, allowed_hosts=[host], www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") in OPEN_PATHS:
            await self.app(scope, receive, send)
        else:
            await self.checked(scope, receive, send)


def host_middleware(config: Config) -> list[Middleware]:
    """A site's host check (production) and relative redirects, inside its security headers."""
    layers = [Middleware(RelativeRedirects)]
    if config.is_production:
        host = urlsplit(config.base_url).hostname or ""
        layers.insert(0, Middleware(_HostCheck, host=host))
    return layers
