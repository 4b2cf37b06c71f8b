"""Nothing happens at import time or app build: the database is used once the server starts.

Importing a module maps no entity and opens nothing; building an app reads
and writes no database (the admin stores its default settings in its
lifespan, when the server starts); a site served alone closes the database it
opened when the server stops; the combined app runs both sites' lifespans.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from admin_site.app import create_admin_app
from domain.config import Config, load_config
from domain.db.database import Database
from domain.model import Setting
from domain.rules.settings import KEYS
from public_site.app import create_public_app
from rollbook.asgi import LifespanFailed, create_app
from tests.foundation.conftest import free_port
from tests.foundation.modules import ROOT, module_files

Build = Callable[[Config, Database | None], object]
BUILDERS: dict[str, Build] = {
    "admin": create_admin_app,
    "public": create_public_app,
    "combined": create_app,
}

# A fresh interpreter, started in an empty directory, imports every module.
IMPORT_ALL = """
import importlib, json, os, sys
from domain.db.mapping import mapper_registry
names = sys.argv[1:]
for name in names:
    if not name.startswith("admin_site.views"):
        importlib.import_module(name)
report = {"mapped": len(mapper_registry.mappers), "files": os.listdir(".")}
try:
    importlib.import_module("admin_site.views")
except Exception as exc:
    report["views"] = type(exc).__name__
else:
    report["views"] = "imported"
report["mapped_after_views"] = len(mapper_registry.mappers)
print(json.dumps(report))
"""


def _config(tmp_path: Path, database_url: str) -> Config:
    return load_config(
        {
            "ROLLBOOK_DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "app-build-test-secret-key-0123456789abcdef",
            "BASE_URL": "http://testserver",
            # A mail server configured: the combined app runs no outbox worker.
            "SMTP_HOST": "127.0.0.1",
        }
    )


def _settings_stored(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Setting)) or 0)


def test_importing_any_module_maps_nothing_and_writes_nothing(tmp_path: Path) -> None:
    names = [name for name in module_files() if not name.startswith("bench")]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, *names],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mapped"] == 0
    assert report["files"] == []
    # The admin's views are defined over mapped entities: without a Database
    # opened first they refuse to load, rather than map as a side effect.
    assert report["views"] != "imported"
    assert report["mapped_after_views"] == 0


@pytest.mark.parametrize("site", BUILDERS)
def test_building_an_app_touches_no_database(site: str, tmp_path: Path) -> None:
    nowhere = f"postgresql://nobody@127.0.0.1:{free_port()}/nowhere"
    app = BUILDERS[site](_config(tmp_path, nowhere), None)
    assert app is not None


@pytest.mark.parametrize("site", ["admin", "combined"])
def test_the_admin_stores_its_default_settings_when_the_server_starts(
    site: str, db: Database, tmp_path: Path
) -> None:
    app = BUILDERS[site](_config(tmp_path, db.url.render_as_string(hide_password=False)), db)
    assert _settings_stored(db) == 0

    with TestClient(app):  # type: ignore[arg-type]
        assert _settings_stored(db) == len(KEYS)


@pytest.mark.parametrize("site", ["admin", "public"])
def test_a_site_served_alone_closes_its_database_when_the_server_stops(
    site: str, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = BUILDERS[site](_config(tmp_path, db.url.render_as_string(hide_password=False)), None)
    opened: Database = app.state.db  # type: ignore[attr-defined]
    closed: list[Database] = []
    dispose = opened.dispose

    def record_and_dispose() -> None:
        closed.append(opened)
        dispose()

    monkeypatch.setattr(opened, "dispose", record_and_dispose)

    with TestClient(app) as client:  # type: ignore[arg-type]
        assert client.get("/health").status_code == 200
        assert closed == []
    assert closed == [opened]


@pytest.mark.parametrize("site", ["admin", "public"])
def test_a_site_given_a_database_leaves_it_open(site: str, db: Database, tmp_path: Path) -> None:
    app = BUILDERS[site](_config(tmp_path, db.url.render_as_string(hide_password=False)), db)
    with TestClient(app):  # type: ignore[arg-type]
        pass
    assert db.ping(), "the owner (a test, the combined app) closes a shared database"


def test_the_combined_app_does_not_start_when_a_site_cannot(tmp_path: Path) -> None:
    nowhere = f"postgresql://nobody@127.0.0.1:{free_port()}/nowhere"
    app = create_app(_config(tmp_path, nowhere))
    with pytest.raises(LifespanFailed, match=r"connect"), TestClient(app):
        pass
