"""Staff users and settings are for superusers only: hidden from staff and refused everywhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.model import StaffUser
from tests.admin.conftest import AdminClient

# Every route SQLAdmin (and Rollbook) gives these views, as (method, path);
# {pk} is a staff user's id, or a setting's key.
ROUTES = [
    ("GET", "/admin/{identity}/list"),
    ("GET", "/admin/{identity}/details/{pk}"),
    ("GET", "/admin/{identity}/create"),
    ("POST", "/admin/{identity}/create"),
    ("GET", "/admin/{identity}/edit/{pk}"),
    ("POST", "/admin/{identity}/edit/{pk}"),
    ("DELETE", "/admin/{identity}/delete?pks={pk}"),
    ("GET", "/admin/{identity}/export/csv"),
    ("GET", "/admin/{identity}/export/json"),
    ("POST", "/admin/{identity}/import"),
    ("GET", "/admin/{identity}/ajax/lookup?name=x&term=y"),
    ("GET", "/admin/{identity}/{pk}/username/download/"),
    ("GET", "/admin/{identity}/{pk}/username/preview/"),
]
STAFF_USER_ONLY = [
    ("GET", "/admin/staff-user/action/reset-password?pks={pk}"),
    ("GET", "/admin/staff-user/action/deactivate?pks={pk}"),
    ("GET", "/admin/staff-user/reset-password/{pk}"),
    ("POST", "/admin/staff-user/reset-password/{pk}"),
    ("GET", "/admin/staff-user/deactivate/{pk}"),
    ("POST", "/admin/staff-user/deactivate/{pk}"),
]


def _request(client: AdminClient, method: str, url: str) -> int:
    if method == "GET":
        return client.get(url, follow_redirects=False).status_code
    response = client.request(
        method,
        url,
        headers=client.csrf_headers(),
        data={"username": "x", "value": "1"},
        follow_redirects=False,
    )
    return response.status_code


@pytest.mark.parametrize(("method", "route"), ROUTES + STAFF_USER_ONLY)
def test_staff_are_refused_on_every_staff_user_route(
    staff_client: AdminClient,
    make_staff_user: Callable[..., StaffUser],
    method: str,
    route: str,
) -> None:
    target = make_staff_user("target", is_superuser=True)
    url = route.format(identity="staff-user", pk=target.id)

    assert _request(staff_client, method, url) == 403


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_staff_are_refused_on_every_setting_route(
    staff_client: AdminClient, method: str, route: str
) -> None:
    url = route.format(identity="setting", pk="timezone")

    assert _request(staff_client, method, url) == 403


def test_staff_do_not_see_staff_users_or_settings_in_the_menu(
    staff_client: AdminClient, superuser_client: AdminClient
) -> None:
    staff_page = staff_client.page("/admin/school/list").text
    boss_page = superuser_client.page("/admin/school/list").text

    for link in ("/admin/staff-user/list", "/admin/settings/"):
        assert link not in staff_page
        assert link in boss_page


def test_a_refused_staff_request_changes_nothing(
    staff_client: AdminClient, make_staff_user: Callable[..., StaffUser], client_for: Callable
) -> None:
    target = make_staff_user("target")
    target_client = client_for(target)

    staff_client.post(
        f"/admin/staff-user/deactivate/{target.id}", headers=staff_client.csrf_headers()
    )

    assert target_client.page("/admin/school/list").status_code == 200
