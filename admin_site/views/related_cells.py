"""List cells of names: a related row that may be missing (a student's school, who marked),
and names that break between their words only."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqladmin.helpers import get_object_identifier, slugify_class_name
from starlette.requests import Request

from admin_site.views.formats import show


def related_link(row: Any, name: str, request: Request) -> Markup | str:
    """The related row as a link to its page, or an empty cell when there is none.

    For the names a view lists in ``non_link_related_fields``: SQLAdmin would link every
    related cell itself, with an empty link (no words, no address) for a missing row.
    """
    value = getattr(row, name, None)
    if value is None:
        return ""
    url = request.url_for(
        "admin:details",
        identity=slugify_class_name(type(value).__name__),
        pk=get_object_identifier(value),
    ).path
    return Markup('<a class="list-name" href="{}">{}</a>').format(url, show(value))


def whole_words(text: str) -> Markup:
    """``text`` for a list cell, broken between its words only (static/list.css)."""
    return Markup('<span class="list-name">{}</span>').format(text)


def optional_related(*names: str) -> dict[Any, Any]:
    """The column formatters of ``names``, related rows that may be missing."""
    return {name: related_link for name in names}
