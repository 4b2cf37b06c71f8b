"""A small JSON search for the action forms' student picker (search as you type).

``GET /admin/search/students?q=ann`` answers at most ``MATCH_LIMIT`` students whose
name or email contains every word typed; never the whole table.
"""

from __future__ import annotations

from typing import Any

from sqladmin import BaseView, expose
from sqlalchemy import and_, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from admin_site.request_context import database
from domain.db.database import Database
from domain.db.tables import students

MATCH_LIMIT = 10
#: Fewer characters than this match too much to be worth a query.
MIN_QUERY = 2
MAX_QUERY = 100


def find_students(db: Database, text: str) -> list[dict[str, Any]]:
    """Students whose first name, last name or email contains each word of ``text``."""
    words = text.split()[:5]
    if len(text.strip()) < MIN_QUERY or not words:
        return []
    s = students.c
    each_word = [
        or_(
            *(
                column.icontains(word, autoescape=True)
                for column in (s.first_name, s.last_name, s.email)
            )
        )
        for word in words
    ]
    query = (
        select(s.id, s.first_name, s.last_name, s.email)
        .where(and_(*each_word))
        .order_by(s.last_name, s.first_name, s.id)
        .limit(MATCH_LIMIT)
    )
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        {
            "id": row.id,
            "name": f"{row.first_name} {row.last_name}".strip(),
            "email": row.email or "",
            # What the form's text field takes: the email, or the id when there is none.
            "value": row.email or str(row.id),
        }
        for row in rows
    ]


class StudentSearchView(BaseView):
    name = "Student search"
    identity = "student-search"

    def is_visible(self, request: Request) -> bool:
        return False

    @expose("/search/students", methods=["GET"], identity="student-search")
    async def search(self, request: Request) -> Response:
        text = request.query_params.get("q", "")[:MAX_QUERY]
        matches = await run_in_threadpool(find_students, database(request), text)
        return JSONResponse({"results": matches}, headers={"Cache-Control": "no-store"})
