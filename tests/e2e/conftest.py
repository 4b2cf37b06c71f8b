"""Browser fixtures: the real app served by uvicorn, driven by Debian's Chromium.

- ``live_server``: the combined app (public site + ``/admin``) in uvicorn on a free
  port, in a thread, on a file SQLite database (or PostgreSQL: parametrize
  ``e2e_backend`` indirectly with ``"postgresql"``). ``.url``, ``.db``, ``.config``.
- ``browser``: one headless Chromium per test session.
- ``page``: a fresh browser context and page, desktop sized; ``new_page(**options)``
  makes more (e.g. ``new_page(viewport={"width": 375, "height": 740})``).
- ``staff_user`` / ``signed_in_page``: a staff account and a page signed in as it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from domain.actors import Actor
from domain.config import Config, load_config
from domain.db.database import Database
from domain.db.tables import metadata
from domain.model import StaffUser
from domain.services.staff import create_staff_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STAFF_USERNAME = "e2e-staff"
STAFF_PASSWORD = "correct horse battery staple"
SECRET_KEY = "e2e-secret-key-that-is-long-enough-0123456789"


@dataclass(frozen=True)
class LiveServer:
    url: str
    db: Database
    config: Config


@pytest.fixture
def e2e_backend(request: pytest.FixtureRequest) -> str:
    """SQLite unless a test parametrizes this fixture indirectly."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def live_db(e2e_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if e2e_backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    else:
        url = str(request.getfixturevalue("make_pg_database")())
    db = Database(url)
    metadata.create_all(db.engine)
    yield db
    db.dispose()


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def live_server(live_db: Database, tmp_path: Path) -> Iterator[LiveServer]:
    from rollbook.asgi import create_app

    sock = _free_socket()
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    config = load_config(
        {
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": live_db.url.render_as_string(hide_password=False),
            "SECRET_KEY": SECRET_KEY,
            "BASE_URL": url,
        }
    )
    # Opened as the served app opens it, so emails written through it link to this server.
    db = Database.from_config(config)
    app = create_app(config, db)
    # Lifespan "off": no embedded worker delivers behind the test's back; the
    # fixture closes the database.
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    yield LiveServer(url=url, db=db, config=config)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    contexts: list[Any] = []

    def make(**options: Any) -> Page:
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page(viewport={"width": 1280, "height": 900})


@pytest.fixture
def staff_user(live_server: LiveServer) -> StaffUser:
    return create_staff_user(
        live_server.db,
        username=STAFF_USERNAME,
        password=STAFF_PASSWORD,
        full_name="Eve Tester",
        actor=Actor.script("e2e"),
    )


def sign_in(page: Page, live_server: LiveServer, username: str = STAFF_USERNAME) -> None:
    """Sign in through the real login form and land on the dashboard."""
    page.goto(f"{live_server.url}/admin/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.fixture
def signed_in_page(page: Page, live_server: LiveServer, staff_user: StaffUser) -> Page:
    sign_in(page, live_server)
    return page
