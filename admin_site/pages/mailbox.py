"""The local mailbox: the email Rollbook delivers in development without an SMTP server.

Listed newest first at ``/admin/mailbox/``; each message shows its HTML in a
sandboxed frame and its text with links that work, so that a newcomer can follow
a waitlist offer or a cancel link end to end. Only added when the local mailbox
is in use (``Config.uses_local_mailbox``), never in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqladmin import BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from admin_site.auth import RollbookAdmin
from admin_site.export.workbook import studio_zone
from admin_site.request_context import config, database
from domain.db.database import Database
from domain.errors import NotFound
from domain.outbox import WEB_ADDRESS
from domain.outbox.local_mailbox import LocalMailbox, MailboxEntry

_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
# Links open outside the frame: the public pages refuse to be framed, and a
# sandboxed frame may only open them as new, unsandboxed windows.
_LINKS_OPEN_OUTSIDE = '<base target="_blank">'


@dataclass(frozen=True)
class Segment:
    """A piece of a text body: a web address to link, or plain text."""

    text: str
    is_link: bool


def text_segments(text: str) -> list[Segment]:
    """``text`` cut around its web addresses, so a template can link them and escape the rest."""
    segments: list[Segment] = []
    position = 0
    for match in WEB_ADDRESS.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()], is_link=False))
        segments.append(Segment(match.group(0), is_link=True))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:], is_link=False))
    return segments


def framed_html(html: str) -> str:
    """The HTML body with its links set to open outside the frame that shows it."""
    if _HEAD.search(html):
        return _HEAD.sub(lambda head: head.group(0) + _LINKS_OPEN_OUTSIDE, html, count=1)
    return _LINKS_OPEN_OUTSIDE + html


def _local_time(db: Database, moments: list[datetime]) -> list[datetime]:
    with db.read() as session:
        zone = studio_zone(session)
    return [moment.astimezone(zone) for moment in moments]


def _inbox(db: Database, mailbox: LocalMailbox) -> list[tuple[MailboxEntry, datetime]]:
    entries = mailbox.entries()
    return list(zip(entries, _local_time(db, [e.delivered_at for e in entries]), strict=True))


def _message(db: Database, mailbox: LocalMailbox, key: str) -> dict[str, Any]:
    try:
        message = mailbox.message(key)
    except NotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return {
        "message": message,
        "received": _local_time(db, [message.entry.delivered_at])[0],
        "html": framed_html(message.html) if message.html else "",
        "text": text_segments(message.text),
    }


def _mailbox(request: Request) -> LocalMailbox:
    return LocalMailbox(config(request).mailbox_dir)


class MailboxView(BaseView):
    name = "Mailbox"
    icon = "fa-solid fa-envelope"
    identity = "mailbox"

    # The list comes first: SQLAdmin names the menu entry after the first page.
    @expose("/mailbox/", identity="mailbox")
    async def inbox(self, request: Request) -> Response:
        rows = await run_in_threadpool(_inbox, database(request), _mailbox(request))
        context = {"rows": rows, "directory": _mailbox(request).directory, "title": "Mailbox"}
        return await self.templates.TemplateResponse(request, "mailbox.html", context)

    @expose("/mailbox/{key}/", identity="mailbox-message")
    async def message(self, request: Request) -> Response:
        key = request.path_params["key"]
        context = await run_in_threadpool(_message, database(request), _mailbox(request), key)
        context["title"] = context["message"].entry.subject or "(no subject)"
        return await self.templates.TemplateResponse(request, "mailbox_message.html", context)


def register_mailbox(admin: RollbookAdmin) -> None:
    """Add the mailbox when mail goes to it (called from ``admin_site.pages``)."""
    if not admin.config.uses_local_mailbox:
        return
    admin.add_base_view(MailboxView)
