"""Fixtures for the public site's HTTP tests: the app on the shared ``db``, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from domain.config import Config
from domain.db.database import Database
from public_site.app import create_public_app


def make_config(tmp_path: Path, database_url: str = "sqlite://") -> Config:
    return Config(
        env="development",
        data_dir=tmp_path,
        database_url=database_url,
        secret_key="public-site-test-secret-key-0123456789abcdef",
        base_url="http://testserver",
        port=8000,
        smtp_host="127.0.0.1",
        smtp_port=25,
        smtp_user="",
        smtp_password="",
        smtp_tls="none",
        email_from="Rollbook <noreply@example.com>",
    )


@pytest.fixture
def config(tmp_path: Path, db: Database) -> Config:
    return make_config(tmp_path, db.url.render_as_string(hide_password=False))


@pytest.fixture
def app(config: Config, db: Database) -> Starlette:
    return create_public_app(config, db)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client
