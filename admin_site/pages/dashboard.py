"""The admin home page: the programme's figures at a glance (seed 000 §4.5, seed 003)."""

from __future__ import annotations

from sqladmin import Admin, BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from admin_site.request_context import database
from domain.db.database import Database
from domain.services.reports import Dashboard, dashboard


def _figures(db: Database) -> Dashboard:
    with db.read() as session:
        return dashboard(session)


class DashboardView(BaseView):
    name = "Dashboard"
    icon = "fa-solid fa-gauge"
    identity = "dashboard"

    @expose("/", identity="dashboard")
    async def home(self, request: Request) -> Response:
        figures = await run_in_threadpool(_figures, database(request))
        return await self.templates.TemplateResponse(
            request, "dashboard.html", {"figures": figures, "title": "Dashboard"}
        )


def register_dashboard(admin: Admin) -> None:
    """Make the dashboard the admin home page, heading the menu.

    Called by ``create_admin_app`` before any other view: SQLAdmin lists views
    in the menu in the order they are added.
    """
    admin.add_base_view(DashboardView)
    # SQLAdmin's own empty index is also at "/", and the first matching route
    # wins, so the dashboard's route moves in front of it.
    routes: list[BaseRoute] = admin.admin.router.routes
    ours = next(
        route for route in routes if isinstance(route, Route) and route.name == "view-dashboard"
    )
    routes.remove(ours)
    routes.insert(0, ours)
