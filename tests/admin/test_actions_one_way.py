"""Every staff action runs one way: a form, one POST into a service, in the page's own order.

Resetting a password and deactivating an account used to be hand-made pages;
they are actions like the others now, declared with ``ActionSpec``, served by
``answer_action`` at their established addresses and at /admin/actions/{slug}/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from domain.db.database import Database
from domain.model import StaffUser
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import buttons


def test_a_staff_account_action_is_refused_to_staff_at_the_shared_action_address(
    staff_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    target = make_staff_user("target")

    for slug in ("reset-password", "deactivate"):
        form = staff_client.get(f"/admin/actions/{slug}/?pks={target.id}")
        posted = staff_client.submit(f"/admin/actions/{slug}/", {"pks": str(target.id)})
        done = staff_client.get(f"/admin/actions/{slug}/done?pks={target.id}")
        assert (form.status_code, posted.status_code, done.status_code) == (403, 403, 403)
    with db.read() as session:
        stored = session.get(StaffUser, target.id)
        assert stored is not None and stored.is_active


def test_a_superuser_deactivates_through_the_shared_action_address_like_any_action(
    superuser_client: AdminClient, make_staff_user: Callable[..., StaffUser], db: Database
) -> None:
    carol = make_staff_user("carol")

    form = superuser_client.get(f"/admin/actions/deactivate/?pks={carol.id}")
    assert form.status_code == 200 and "Deactivate carol?" in form.text
    posted = superuser_client.submit(
        "/admin/actions/deactivate/", {"pks": str(carol.id)}, follow_redirects=False
    )

    assert posted.status_code == 302
    assert posted.headers["location"].endswith(f"/admin/staff-user/details/{carol.id}")
    with db.read() as session:
        stored = session.get(StaffUser, carol.id)
        assert stored is not None and not stored.is_active


def test_a_temporary_password_is_never_put_in_an_address(
    superuser_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    carol = make_staff_user("carol")

    shown = superuser_client.submit(
        "/admin/actions/reset-password/", {"pks": str(carol.id)}, follow_redirects=False
    )

    # Shown on the answer to the POST itself, uncached; no redirect carries it.
    assert shown.status_code == 200 and "location" not in shown.headers
    assert "no-store" in shown.headers["cache-control"]
    assert 'id="temporary-password"' in shown.text


def test_action_buttons_keep_their_order_on_the_detail_pages(
    db: Database, staff_client: AdminClient, superuser_client: AdminClient
) -> None:
    course = add_course(db, "Bachata Series", price=Decimal("50"))
    student = add_student(db, "Ann", "Lee")
    registration = add_registration(
        db, student_id=student, course_id=course, amount=Decimal("50"), status="pending"
    )
    boss = superuser_client.user
    assert boss is not None

    registration_page = staff_client.page(f"/admin/registration/details/{registration}").text
    course_page = staff_client.page(f"/admin/course/details/{course}").text
    staff_page = superuser_client.page(f"/admin/staff-user/details/{boss.id}").text

    # A pending registration offers only what its state allows, cancelling last.
    assert re.findall(r"/admin/actions/([\w-]+)/\?pks=", registration_page) == [
        "confirm-payment",
        "resend-confirmation",
        "cancel-registration",
    ]
    # A published course not yet started, nobody waiting: no seat to offer, no "Publish";
    # its registration is history, so no "Delete".
    assert buttons(course_page) == [
        "Register a student",
        "Roll call",
        "Email everyone booked",
        "Generate sessions",
        "Unpublish",
        "Edit",
    ]
    # One's own account: no "Deactivate".
    assert buttons(staff_page) == ["Reset password", "Edit"]
