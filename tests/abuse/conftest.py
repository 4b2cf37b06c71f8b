"""Fixtures for the abuse tests: the public site and the admin panel on the shared ``db``.

The admin fixtures are the admin tests' own (tests/admin/conftest.py), imported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.services.rate_limits import Limits
from public_site.app import create_public_app
from tests.admin.conftest import (  # noqa: F401
    admin_app,
    admin_config,
    client_for,
    make_staff_user,
    password_hash,
    staff_client,
    superuser_client,
)
from tests.public.conftest import make_config


@pytest.fixture
def public_app(tmp_path: Path, db: Database) -> Starlette:
    config = make_config(tmp_path, db.url.render_as_string(hide_password=False))
    app = create_public_app(config, db)
    # Hundreds of submissions come from one test client: lift the per-address
    # limit (it is proven by tests/public/test_security.py) so they all reach the forms.
    app.state.limits = Limits(submissions=1_000_000)
    return app


@pytest.fixture
def public_client(public_app: Starlette) -> Iterator[TestClient]:
    with TestClient(public_app, base_url="http://testserver", follow_redirects=False) as client:
        yield client
