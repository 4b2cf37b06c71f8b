"""Static assets are kept long under an address that changes with their content; pages
are never kept by a shared cache (both databases)."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from domain.db.database import Database
from public_site.static_assets import VersionedStaticFiles
from tests.public.factories import (
    emails,
    full_course_with_offer,
    link_in,
    make_course,
    register_via_site,
)

_ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_every_page_links_its_assets_by_version_and_they_may_be_kept_a_year(
    client: TestClient, db: Database
) -> None:
    assets = _ASSETS.findall(client.get("/").text)
    assert len(assets) == 4, assets  # icon, Tabler, site.css, site.js
    for url in assets:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_an_asset_asked_for_without_a_version_is_kept_an_hour(
    client: TestClient, db: Database
) -> None:
    for url in ("/static/site/site.css", "/static/tabler/css/tabler.min.css"):
        assert client.get(url).headers["cache-control"] == "public, max-age=3600"


def test_the_version_changes_when_the_file_does(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: black; }")
    files = VersionedStaticFiles("/static/site", directory=tmp_path)
    before = files.url("site.css")
    (tmp_path / "site.css").write_text("body { color: navy; }")
    after = files.url("site.css")
    assert before.startswith("/static/site/site.css?v=") and after != before
    assert files.url("site.css") == after


def test_pages_with_a_form_a_token_or_a_visitors_details_are_never_publicly_cached(
    client: TestClient, db: Database
) -> None:
    course_id = make_course(db, title="Salsa")
    make_course(db, title="Workshop", school_signup=True)
    register_via_site(client, course_id)
    view = link_in(emails(db)[0], "/registrations/")
    _, offer = full_course_with_offer(db, title="Tiny", waiting_email="wanda@example.com")
    pages = [
        "/",
        "/?q=salsa",
        f"/courses/{course_id}",
        "/signup/",
        "/signup/success/",
        view,
        f"/offers/{offer}/claim",
        "/profile/",
        "/no-such-page",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        cache = response.headers["cache-control"]
        assert "public" not in cache and "private" in cache, (path, cache)
