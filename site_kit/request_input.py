"""What both sites accept from a request before any of it reaches the database.

- ``{name:id}`` in a route path matches only a row id (``domain.rules.identifiers``),
  so ``/courses/2147483648`` or ``/courses/abc`` is the site's 404 page, never a
  query PostgreSQL refuses. Importing this module registers the convertor; the
  modules that declare such routes import it.
- A query string holding NUL (PostgreSQL cannot store it; the query would fail)
  and a posted form that is not UTF-8 (Starlette would store it garbled) are
  refused whole, each site with its own page.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import Headers
from starlette.types import Message, Receive

from domain.rules.identifiers import ID_PATTERN, parse_id

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class IdConvertor(Convertor[int]):
    """A path segment that is a row id: 1..2147483647 in plain digits."""

    regex = ID_PATTERN

    def convert(self, value: str) -> int:
        row_id = parse_id(value)
        if row_id is None:  # the regex lets only ids through
            raise ValueError(f"{value!r} is not a row id")
        return row_id

    def to_string(self, value: int) -> str:
        text = str(value)
        if parse_id(text) is None:
            raise ValueError(f"{value!r} is not a row id")
        return text


register_url_convertor("id", IdConvertor())


def query_has_nul(query_string: bytes) -> bool:
    """Whether the raw query string decodes to text holding a NUL character."""
    return b"\x00" in unquote_to_bytes(query_string)


def form_content_type(headers: Headers) -> str:
    """The request's form encoding (one of ``FORM_TYPES``), or "" when it is not a form."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type if content_type in FORM_TYPES else ""


def form_text(body: bytes, content_type: str) -> str | None:
    """A posted form's bytes as text, or None when they are not UTF-8.

    URL-encoded: the body itself is ASCII (browsers escape everything else) and
    its escapes decode to UTF-8. Multipart: neither site takes a file, so the
    whole body (boundaries, part headers and values) must be UTF-8. Starlette
    would instead store U+FFFD, or Latin-1 mojibake, without a word.
    """
    if content_type == "application/x-www-form-urlencoded":
        if not body.isascii():
            return None
        body = unquote_to_bytes(body.replace(b"+", b" "))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None once it passes ``limit`` bytes (then not held)."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > limit:
            return None
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``body`` first, as if it had not been read."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
