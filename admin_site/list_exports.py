"""Every list the admin exports, written to a file without a browser (``rollbook export``).

Each list is exported by its own admin view, so a file from the command line
holds the very columns, words, filters and order the list's Export button gives.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from sqladmin import Admin, ModelView
from starlette.applications import Starlette
from starlette.requests import Request

from admin_site.export.rows import list_filename
from domain.db.database import Database


def list_name(view: ModelView) -> str:
    """A list's name on the command line: "Audit log" -> "audit-log"."""
    return re.sub(r"\W+", "-", str(view.name_plural).lower()).strip("-")


def exportable_lists(db: Database) -> dict[str, ModelView]:
    """The admin's exportable lists by name, each view set up as the admin sets it up."""
    # Imported here: defining a view inspects the mapping, which opening ``db`` started.
    from admin_site.views import ALL_VIEWS
    from admin_site.views.staff import SettingAdmin, StaffUserAdmin

    admin = Admin(Starlette(), engine=db.engine)
    views: list[type[ModelView]] = [*ALL_VIEWS, StaffUserAdmin, SettingAdmin]
    for view in views:
        admin.add_view(view)
    return {
        list_name(view): view
        for view in admin.views
        if isinstance(view, ModelView) and view.can_export
    }


def export_list(db: Database, name: str, filters: Mapping[str, str]) -> tuple[str, str]:
    """Write list ``name`` (narrowed by the list page's query ``filters``) to a temporary
    .xlsx file; its path and the file name the admin would give it."""
    lists = exportable_lists(db)
    view = lists.get(name)
    if view is None:
        raise LookupError(f"there is no list {name!r}; the lists are {', '.join(sorted(lists))}")
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "headers": [],
            "query_string": urlencode(dict(filters)).encode(),
        }
    )
    stmt = asyncio.run(_statement(view, request))
    # The view's own writer: the audit log writes its sentences, the others their columns.
    path: str = view._write_export(db, stmt)  # type: ignore[attr-defined]
    return path, list_filename(db, str(view.name_plural), filters.get("course_id"))


async def _statement(view: ModelView, request: Request) -> Any:
    filtered = getattr(view, "filtered_statement", None)
    if filtered is not None:
        return await filtered(request)
    stmt = view.sort_query(view.list_query(request), request)
    search = request.query_params.get("search")
    return view.search_query(stmt=stmt, term=search) if search else stmt
