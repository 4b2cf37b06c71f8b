"""The admin home page: the programme's figures at a glance (seed 000 §4.5, seed 003)."""

from __future__ import annotations

from sqladmin import Admin, BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from admin_site.actions_context import add_templates, bind_database, database
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
    """Make the dashboard the admin home page (called from ``admin_site.pages``)."""
    add_templates(admin)
    bind_database(admin)
    admin.add_base_view(DashboardView)
    # The home page heads the menu.
    admin._menu.items.insert(0, admin._menu.items.pop())
    # SQLAdmin's own empty index is also at "/", and the first matching route
    # wins, so the dashboard's route moves in front of it.
    routes: list[BaseRoute] = admin.admin.router.routes
    ours = next(
        route for route in routes if isinstance(route, Route) and route.name == "view-dashboard"
    )
    routes.remove(ours)
    routes.insert(0, ours)
