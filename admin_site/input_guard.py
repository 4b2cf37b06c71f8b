"""Ids and text checked before SQLAdmin, or a Rollbook admin page, sends them to the database.

SQLAdmin turns the ``pk`` of ``/admin/{identity}/details|edit/{pk}``, each of the
``pks`` of a delete or an action, and the value of a list filter by a related
row into the column's Python type and queries with it: "abc" fails in Python
and 2147483648 is "integer out of range" on PostgreSQL, both a server error.
``AdminInputGuard`` runs inside SQLAdmin's app, after the session and CSRF
checks, and answers first:

- an id that no row can have (for the view's own primary key type: a whole
  number 1..2147483647, or text without NUL for a key such as a setting's) gets
  SQLAdmin's 404 page;
- a query string holding NUL (list searches, the student picker, SQLAdmin's
  related-object lookup) and a form that is not UTF-8 text or holds NUL (the
  sign-in form included) get its 400 page.

Rollbook's own pages declare id segments as ``{name:id}`` (``site_kit.request_input``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqladmin import Admin, ModelView
from sqladmin.filters import ForeignKeyFilter
from sqlalchemy import Integer, inspect
from sqlalchemy.orm import Mapper
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from admin_site.security import MAX_CHECKED_BODY, SAFE_METHODS, UPLOAD_PATHS
from domain.rules.identifiers import is_storable, parse_id
from site_kit.request_input import (
    form_content_type,
    form_text,
    query_has_nul,
    read_body,
    replaying,
)

#: SQLAdmin's pages that name one row in their path (see ``sqladmin.application``).
_ROW_PATHS = (
    re.compile(r"/[^/]+/(?:details|edit)/(?P<pk>.+)"),
    re.compile(r"/[^/]+/(?P<pk>.+)/[^/]+/(?:download|preview)/"),
)
#: What a related-row filter sends for "no filter".
_NO_FILTER = ("", "__all")

NOT_FOUND = "There is nothing at this address: the record does not exist."
NUL_IN_ADDRESS = (
    "This address holds a character no search or page can use (a NUL byte). "
    "Check the link, or type the search again."
)
FORM_NOT_TEXT = (
    "The form held characters that are not text (a NUL byte, or bytes that are not "
    "UTF-8), so nothing was saved. Go back, type it again and send the form."
)
FORM_TOO_LARGE = "The form is too large, so nothing was saved."

Accepts = Callable[[str], bool]
#: A refusal: the status code and the sentence SQLAdmin's error page shows.
Refusal = tuple[int, str]


def _is_id(text: str) -> bool:
    return parse_id(text) is not None


def key_rule(model: type) -> Accepts:
    """What a primary key of ``model`` may look like in an address.

    A single integer key is a row id; any other key (a setting's name) is text
    PostgreSQL can compare, so without NUL.
    """
    mapper: Mapper[Any] = inspect(model)
    columns = mapper.primary_key
    if len(columns) == 1 and isinstance(columns[0].type, Integer):
        return _is_id
    return is_storable


def _route_path(scope: Scope) -> str:
    """The path inside SQLAdmin's app (after ``/admin``)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class AdminInputGuard:
    """Refuses ids no row can have and text PostgreSQL cannot store, with SQLAdmin's pages."""

    def __init__(self, app: ASGIApp, *, admin: Admin) -> None:
        self.app = app
        self.admin = admin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal, receive = await self._check(scope, receive)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status_code, message = refusal
        context = {"status_code": status_code, "message": message}
        response = await self.admin.templates.TemplateResponse(
            Request(scope, receive), "sqladmin/error.html", context, status_code=status_code
        )
        await response(scope, receive, send)

    async def _check(self, scope: Scope, receive: Receive) -> tuple[Refusal | None, Receive]:
        """The refusal (status, message) for this request, if any, and the receive to use."""
        query_string: bytes = scope.get("query_string", b"")
        if query_has_nul(query_string):
            return (400, NUL_IN_ADDRESS), receive
        if not self._ids_can_exist(_route_path(scope), query_string):
            return (404, NOT_FOUND), receive
        content_type = form_content_type(Headers(scope=scope))
        if scope["method"] in SAFE_METHODS or not content_type:
            return None, receive
        body = await read_body(receive, MAX_CHECKED_BODY)
        if body is None:
            return (413, FORM_TOO_LARGE), receive
        if _route_path(scope) in UPLOAD_PATHS:
            # A spreadsheet is bytes; the import reads and checks each of its cells.
            return None, replaying(body, receive)
        text = form_text(body, content_type)
        # SQLAdmin's forms check no characters: NUL is refused here for all of them.
        if text is None or "\x00" in text:
            return (400, FORM_NOT_TEXT), receive
        return None, replaying(body, receive)

    def _ids_can_exist(self, path: str, query_string: bytes) -> bool:
        """False when the path or the query names a row by an id no row can have."""
        identity = path.strip("/").split("/", 1)[0]
        view = self._model_view(identity)
        # Rollbook's own pages (the action forms) take row ids in ``pks`` too.
        accepts = key_rule(view.model) if view else _is_id
        params = QueryParams(query_string)
        pks = params.get("pks", "")
        if pks and not all(accepts(pk) for pk in pks.split(",")):
            return False
        if view is None:
            return True
        for pattern in _ROW_PATHS:
            match = pattern.fullmatch(path)
            if match and not accepts(match["pk"]):
                return False
        return all(
            params.get(name, "") in _NO_FILTER or _is_id(params[name])
            for name in _related_row_filters(view)
        )

    def _model_view(self, identity: str) -> ModelView | None:
        for view in self.admin.views:
            if isinstance(view, ModelView) and view.identity == identity:
                return view
        return None


def _related_row_filters(view: ModelView) -> list[str]:
    """The query parameters of ``view``'s list filters that take a related row's id."""
    names = []
    for list_filter in view.get_filters():
        if not isinstance(list_filter, ForeignKeyFilter):
            continue
        column = list_filter.foreign_key
        if isinstance(column, str):
            column = getattr(view.model, column)
        if isinstance(column.type, Integer):
            names.append(list_filter.parameter_name)
    return names
