"""Issue 12's closing sweep: every admin page, on the demo data, at 1280 and 375 px, as a
person sees it in Chromium.

On each page: the document is no wider than the window; no snake_case word and no "Id:"
heading in the visible text; axe-core finds no serious or critical violation. At 1280 px
each list's header cells lie inside the window. The pages are grouped (lists, forms,
detail pages, the panel's own pages) and each group reports every page that fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from sqladmin import ModelView
from sqlalchemy import func, inspect, select

from admin_site.views import ALL_VIEWS
from admin_site.views.staff import SettingAdmin, StaffUserAdmin
from domain.db import tables as t
from domain.demo import load_demo
from domain.model import OutgoingEmail, StaffUser
from domain.outbox.worker import send_due_emails
from tests.e2e.conftest import LiveServer, sign_in

WIDTHS = [1280, 375]
VIEWS: list[type[ModelView]] = [*ALL_VIEWS, StaffUserAdmin, SettingAdmin]
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ID_HEADING = re.compile(r"^\s*Id:", re.M)


@dataclass(frozen=True)
class Sweep:
    """The demo's server, signed in at one width; ``check`` collects what a page gets wrong."""

    page: Page
    base: str
    width: int
    problems: list[str]

    def check(self, path: str, *, headers_in_view: bool = False) -> None:
        response = self.page.goto(self.base + path)
        status = response.status if response else 0
        if status >= 400 and not path.endswith("no-such-page"):
            self.problems.append(f"{path}: HTTP {status}")
            return
        self.check_shown(path, headers_in_view=headers_in_view)

    def check_shown(self, path: str, *, headers_in_view: bool = False) -> None:
        """``check`` of the page already shown (one reached by a form, say)."""
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        if wide > self.width:
            self.problems.append(f"{path}: {wide} px wide in a {self.width} px window")
        text = self.page.evaluate("document.body.innerText")
        words = sorted(set(SNAKE_CASE.findall(text)))
        if words:
            self.problems.append(f"{path}: internal names on screen {words[:8]}")
        if ID_HEADING.search(text):
            self.problems.append(f'{path}: an "Id:" heading')
        if headers_in_view:
            outside = self.page.evaluate(
                """w => [...document.querySelectorAll('table thead th')]
                    .filter(th => th.innerText.trim())
                    .filter(th => { const b = th.getBoundingClientRect();
                                    return b.left < 0 || b.right > w; })
                    .map(th => th.innerText.trim())""",
                self.width,
            )
            if outside:
                self.problems.append(f"{path}: header cells outside the window {outside}")
        results = Axe().run(self.page)
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        if serious:
            self.problems.append(f"{path}: axe {serious}")

    def assert_clean(self) -> None:
        assert not self.problems, f"at {self.width} px:\n" + "\n".join(self.problems)


@pytest.fixture
def demo(live_server: LiveServer, staff_user: StaffUser) -> LiveServer:
    with live_server.db.write() as session:
        session.execute(
            t.staff_users.update()
            .where(t.staff_users.c.id == staff_user.id)
            .values(is_superuser=True)
        )
        session.commit()
    load_demo(live_server.db)
    # The demo sends nothing: one email, delivered to the local mailbox, for those pages.
    with live_server.db.write() as session:
        session.add(
            OutgoingEmail(
                kind="waitlist_offer",
                to_address="ada@example.org",
                to_name="Ada Lovelace",
                subject="A seat is free for you",
                body_text="Hello Ada, a seat is free.",
            )
        )
        session.commit()
    send_due_emails(live_server.db, live_server.config)
    return live_server


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sweep(request: pytest.FixtureRequest, demo: LiveServer, new_page: Callable[..., Page]) -> Sweep:
    width = int(request.param)
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, demo)
    return Sweep(page=page, base=demo.url, width=width, problems=[])


def first_key(demo: LiveServer, view: type[ModelView]) -> str:
    model = view.model
    key = inspect(model).primary_key[0]
    with demo.db.read() as session:
        found = session.scalar(select(func.min(key)))
    assert found is not None, f"the demo has no {view.__name__} row"
    return str(found)


def test_every_list(sweep: Sweep) -> None:
    for view in VIEWS:
        sweep.check(f"/admin/{view.identity}/list", headers_in_view=sweep.width == 1280)
    sweep.assert_clean()


def test_every_create_and_edit_form(sweep: Sweep, demo: LiveServer) -> None:
    for view in VIEWS:
        if view.can_create:
            sweep.check(f"/admin/{view.identity}/create")
        if view.can_edit:
            sweep.check(f"/admin/{view.identity}/edit/{first_key(demo, view)}")
    sweep.assert_clean()


def test_every_detail_page(sweep: Sweep, demo: LiveServer) -> None:
    for view in VIEWS:
        sweep.check(f"/admin/{view.identity}/details/{first_key(demo, view)}")
    sweep.assert_clean()


def test_the_panels_own_pages(sweep: Sweep, demo: LiveServer) -> None:
    with demo.db.read() as session:
        booked = session.scalar(
            select(t.class_sessions.c.id)
            .join(t.registrations, t.registrations.c.course_id == t.class_sessions.c.course_id)
            .order_by(t.class_sessions.c.id)
            .limit(1)
        )
        course = session.scalar(select(func.min(t.courses.c.id)))
        student = session.scalar(select(func.min(t.students.c.id)))
    for path in [
        "/admin/",
        "/admin/calendar/",
        "/admin/calendar/month",
        f"/admin/sessions/{booked}/rollcall/",
        f"/admin/sessions/{booked}/rollcall/sheet",
        f"/admin/courses/{course}/rollcall/",
        "/admin/mailbox/",
        "/admin/settings/",
        "/admin/payments/match/",
        "/admin/import/",
        "/admin/account/password",
        f"/admin/students/{student}/personal-data",
        f"/admin/actions/erase-personal-data/?pks={student}",
        "/admin/no-such-page",
    ]:
        sweep.check(path)
    sweep.page.goto(sweep.base + "/admin/mailbox/")
    message = sweep.page.locator("a.mailbox-subject").first
    sweep.check(urlsplit(str(message.get_attribute("href"))).path)
    sweep.assert_clean()
