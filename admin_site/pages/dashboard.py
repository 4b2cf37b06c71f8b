"""The admin home page: the programme's figures at a glance (seed 000 §4.5, seed 003)."""

from __future__ import annotations

from dataclasses import dataclass

from sqladmin import Admin, BaseView, expose
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from admin_site.pages.charts import (
    Chart,
    attendance_chart,
    fill_chart,
    revenue_chart,
    signups_chart,
)
from admin_site.request_context import database
from domain.db.database import Database
from domain.formatting import local_date, local_datetime, money
from domain.rules.settings import Settings
from domain.services.audit_log import Activity, recent_activity
from domain.services.reports import Dashboard, dashboard
from domain.services.settings import load_settings


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    figure: str
    note: str = ""


def cards(f: Dashboard, currency: str) -> list[Card]:
    """The figures at the top, for a school programme and a studio alike.

    A studio with no school sees how full its next courses are instead of "0 schools".
    """
    taken = sum(c.seats_taken for c in f.fill)
    seats = sum(c.seats for c in f.fill)
    owing = "registration" if f.payments_pending_count == 1 else "registrations"
    first = (
        Card("enrolled-schools", "Enrolled schools", f"{f.enrolled_schools:,}")
        if f.enrolled_schools
        else Card(
            "seats-taken",
            "Seats taken",
            f"{taken:,} of {seats:,}",
            f"in the next {len(f.fill)} courses" if f.fill else "no course to come",
        )
    )
    return [
        first,
        Card("pending-signups", "Sign-ups", f"{f.pending_signups:,}", "for courses to come"),
        Card("courses-this-month", "Courses this month", f"{f.courses_this_month:,}"),
        Card("participants-trained", "Participants trained", f"{f.participants_trained:,}"),
        Card(
            "revenue-confirmed",
            "Revenue confirmed",
            money(f.revenue_confirmed, currency),
            "payments received",
        ),
        Card(
            "payments-pending",
            "Payments pending",
            money(f.payments_pending_total, currency),
            f"{f.payments_pending_count:,} {owing} awaiting payment",
        ),
    ]


def charts(f: Dashboard, currency: str) -> list[Chart]:
    return [
        signups_chart(f.signups),
        revenue_chart(f.revenue, currency),
        fill_chart(f.fill),
        attendance_chart(f.attendance),
    ]


def _figures(db: Database) -> tuple[Dashboard, list[Activity], Settings]:
    """The figures, the latest audit entries in words, and the settings they are read with."""
    with db.read() as session:
        settings = load_settings(session)
        activity = recent_activity(session, currency=settings.currency)
        return dashboard(session), activity, settings


class DashboardView(BaseView):
    name = "Dashboard"
    icon = "fa-solid fa-gauge"
    identity = "dashboard"

    @expose("/", identity="dashboard")
    async def home(self, request: Request) -> Response:
        figures, activity, settings = await run_in_threadpool(_figures, database(request))
        return await self.templates.TemplateResponse(
            request,
            "dashboard.html",
            {
                "figures": figures,
                "cards": cards(figures, settings.currency),
                "charts": charts(figures, settings.currency),
                "activity": [
                    (
                        entry.entry_id,
                        local_datetime(entry.occurred_at, settings.timezone),
                        entry.sentence,
                    )
                    for entry in activity
                ],
                # Already on the studio's wall clock (domain.services.reports): in words.
                "moment": lambda at: local_datetime(at, settings.timezone),
                "day": lambda at: local_date(at.date()),
                "title": "Dashboard",
            },
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
