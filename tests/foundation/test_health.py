"""``GET /health``: 200 while the database answers, 503 once it does not."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from domain.config import load_config
from domain.db.database import Database
from domain.db.migrate import upgrade_to_head
from rollbook.asgi import CombinedApp, create_app
from tests.foundation.conftest import free_port


class Client:
    """Requests straight into an ASGI app, as a browser's would arrive."""

    def __init__(self, app: object) -> None:
        self.app = app

    def get(self, path: str) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)  # type: ignore[arg-type]
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get(path)

        # In a thread of its own: another test's browser may own this thread's event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: asyncio.run(fetch())).result()


def _site(name: str) -> object:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse(f"{name} {scope['path']}")(scope, receive, send)

    return app


def test_health_is_503_when_the_database_does_not_answer() -> None:
    gone = Database(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere")
    app = CombinedApp(admin=_site("admin"), public=_site("public"), db=gone)  # type: ignore[arg-type]
    response = Client(app).get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    gone.dispose()


def test_combined_app_sends_admin_paths_to_the_admin_and_the_rest_to_the_public_site(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    app = CombinedApp(admin=_site("admin"), public=_site("public"), db=db)  # type: ignore[arg-type]
    client = Client(app)
    assert client.get("/admin/students/list").text == "admin /admin/students/list"
    assert client.get("/admin").text == "admin /admin"
    assert client.get("/administrators").text == "public /administrators"
    assert client.get("/signup/").text == "public /signup/"
    assert client.get("/health").json() == {"status": "ok"}
    db.dispose()


def test_health_of_the_real_app_turns_503_when_its_database_is_dropped(
    make_pg_database: object, pg_server_url: str, tmp_path: Path
) -> None:
    url = str(make_pg_database())  # type: ignore[operator]
    upgrade_to_head(url)
    config = load_config({"ROLLBOOK_DATA_DIR": str(tmp_path), "DATABASE_URL": url})
    db = Database(config.database_url)
    client = Client(create_app(config, db))
    assert client.get("/health").status_code == 200
    assert client.get("/").status_code == 200
    name = url.rsplit("/", 1)[1]
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    assert client.get("/health").status_code == 503
    db.dispose()
