"""Only the admin's real static mounts skip the CSRF check and the no-store header."""

from __future__ import annotations

import pytest

from tests.admin.conftest import AdminClient

REFUSED = "Request refused"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/course/create?x=/statics/",
        "/admin/statics-evil/x",
        "/admin/course/create/statics/x",
        "/admin/school/rollbook-static/x",
    ],
)
def test_a_post_whose_address_merely_mentions_statics_is_still_csrf_checked(
    staff_client: AdminClient, path: str
) -> None:
    response = staff_client.post(path, data={"title": "Sneaky"}, follow_redirects=False)

    assert response.status_code == 403
    assert REFUSED in response.text


def test_a_page_whose_address_mentions_statics_is_kept_out_of_caches(
    staff_client: AdminClient,
) -> None:
    response = staff_client.get("/admin/school/list/statics/x", follow_redirects=False)

    assert response.headers["cache-control"] == "no-store"


def test_real_static_files_need_no_token_and_set_no_cookie(
    anonymous_client: AdminClient,
) -> None:
    anonymous_client.cookies.clear()
    for path in ("/admin/statics/css/main.css", "/admin/rollbook-static/rollcall.css"):
        response = anonymous_client.get(path)

        assert response.status_code == 200, path
        assert "set-cookie" not in response.headers
        assert response.headers.get("cache-control") != "no-store"
