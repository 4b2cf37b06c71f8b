"""The list page's query and paging, shared by every entity view.

The count has the list's joins and WHERE but not its ORDER BY: SQLAdmin counts
the whole list query, sort included, which over 100,000 registrations cost
100 ms and more per page (docs/benchmarks.md, "Admin at scale").
"""

from __future__ import annotations

from typing import Any, cast

from sqladmin import ModelView
from sqladmin.pagination import Pagination
from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import ClauseElement
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request


class ListingMixin(ModelView):
    """Sorting with a tie-breaker, the filtered statement (list and export), and paging."""

    def sort_query(self, stmt: Select[Any], request: Request) -> Select[Any]:
        # The primary key breaks ties so that pages and exports never repeat or skip a row.
        stmt = super().sort_query(stmt, request)
        return stmt.order_by(*self.pk_columns)

    async def filtered_statement(self, request: Request) -> Select[Any]:
        """The list page's query before paging: same filters, search and sort as it shows."""
        stmt = self.list_query(request)
        for relation in self.listed_relations():
            stmt = stmt.options(selectinload(relation))
        for filter_ in self.get_filters():
            value = request.query_params.get(filter_.parameter_name)
            # No filter of ours has a default value: an absent parameter filters nothing.
            if getattr(filter_, "has_operator", False):
                operation = request.query_params.get(f"{filter_.parameter_name}_op")
                if value and operation:
                    stmt = await cast(Any, filter_).get_filtered_query(
                        stmt, operation, value, self.model
                    )
            elif value:
                stmt = await cast(Any, filter_).get_filtered_query(stmt, value, self.model)
        stmt = self.sort_query(stmt, request)
        search = request.query_params.get("search")
        if search:
            stmt = self.search_query(stmt=stmt, term=search)
        return stmt

    def listed_relations(self) -> list[Any]:
        """The relationships the list shows, loaded with the rows (not one query per row)."""
        relations: list[str] = inspect(self.model).relationships.keys()
        return [getattr(self.model, name) for name in self.get_list_columns() if name in relations]

    async def rows(self, stmt: ClauseElement) -> Any:
        """The entities ``stmt`` selects, read in a worker thread."""
        return await run_in_threadpool(self._rows_sync, stmt)

    def _rows_sync(self, stmt: ClauseElement) -> Any:
        with self.session_maker(expire_on_commit=False) as session:
            return session.execute(stmt).scalars().unique().all()

    async def lookup_rows(self, stmt: ClauseElement) -> Any:
        """The rows of a filter's choices (a drop-down of courses, the kinds of email).

        The filter templates hand this to each filter's ``lookups``; it reads in a
        worker thread, where a query cannot stall the other requests.
        """
        return await run_in_threadpool(self._lookup_rows_sync, stmt)

    def _lookup_rows_sync(self, stmt: ClauseElement) -> Any:
        with self.session_maker(expire_on_commit=False) as session:
            return session.execute(stmt).all()

    async def list(self, request: Request) -> Pagination:
        """A page of the list and its row count; the count keeps the joins and WHERE, not the sort.

        SQLAdmin counts the whole list query, ORDER BY included (100+ ms over 100k rows).
        """
        page = self.validate_page_number(request.query_params.get("page"), 1)
        page_size = self.validate_page_number(request.query_params.get("pageSize"), self.page_size)
        page_size = min(page_size, max(self.page_size_options))
        if page_size < 1:
            raise HTTPException(status_code=400, detail="Invalid page or pageSize parameter")
        stmt = await self.filtered_statement(request)
        # Counted even when the first page is short, so a page's cost never depends on the data.
        counted = select(func.count()).select_from(stmt.order_by(None).subquery())
        count = await self.count(request, counted)
        # Clamped before the offset is built, as SQLAdmin does: no huge or negative OFFSET.
        page = min(max(page, 1), Pagination.max_page(count, page_size))
        rows = await self.rows(stmt.limit(page_size).offset((page - 1) * page_size))
        return Pagination(rows=rows, page=page, page_size=page_size, count=count)
