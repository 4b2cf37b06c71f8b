"""Registration actions: each a confirmed POST through a payment or notification service."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import select

from domain.db.database import Database
from domain.db.tables import outgoing_emails
from domain.enums import PaymentStatus
from tests.admin.a3_factories import add_course, add_registration, add_student, registration
from tests.admin.conftest import AdminClient


def _act(client: AdminClient, slug: str, pk: int, **fields: str) -> httpx.Response:
    return client.submit(f"/admin/actions/{slug}/", {"pks": str(pk), **fields})


def _pending(db: Database, amount: str = "50.00", first: str = "Ann") -> int:
    course = add_course(db, "Bachata Series", price=Decimal(amount))
    student = add_student(db, first, "Lee")
    return add_registration(
        db, student_id=student, course_id=course, amount=Decimal(amount), status="pending"
    )


def _emails(db: Database) -> list[tuple[str, str]]:
    with db.read() as s:
        rows = s.execute(select(outgoing_emails.c.kind, outgoing_emails.c.to_address))
        return [(kind, to) for kind, to in rows]


def test_the_confirm_payment_form_asks_for_method_reference_and_confirmation(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    page = staff_client.get(f"/admin/actions/confirm-payment/?pks={pk}")
    assert page.status_code == 200
    assert "Payment method" in page.text and "Payment reference" in page.text
    assert "The money has arrived." in page.text and "Ann Lee" in page.text
    assert registration(db, pk).payment_status == PaymentStatus.PENDING


def test_confirm_payment_records_method_reference_and_who(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    done = _act(
        staff_client, "confirm-payment", pk, method="venmo", reference="TX-81", confirmed="yes"
    )
    assert done.status_code == 200
    assert f"Payment for registration #{pk} confirmed." in done.text
    stored = registration(db, pk)
    assert stored.payment_status == PaymentStatus.COMPLETED
    assert (stored.payment_method, stored.payment_reference) == ("venmo", "TX-81")
    assert staff_client.user is not None
    assert stored.payment_confirmed_by_id == staff_client.user.id


def test_confirm_payment_needs_the_box_ticked_and_a_token(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    unticked = _act(staff_client, "confirm-payment", pk, method="cash", reference="R1")
    assert unticked.status_code == 400 and "Tick the box to confirm." in unticked.text
    no_token = staff_client.post(
        "/admin/actions/confirm-payment/",
        data={"pks": str(pk), "method": "cash", "reference": "R1", "confirmed": "yes"},
    )
    assert no_token.status_code == 403
    assert registration(db, pk).payment_status == PaymentStatus.PENDING


def test_confirming_twice_is_refused_with_the_rules_message(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    _act(staff_client, "confirm-payment", pk, method="zelle", reference="Z1", confirmed="yes")
    again = _act(
        staff_client, "confirm-payment", pk, method="zelle", reference="Z2", confirmed="yes"
    )
    assert again.status_code == 400
    assert 'role="alert"' in again.text
    assert registration(db, pk).payment_reference == "Z1"


def test_refund_only_follows_a_completed_payment(db: Database, staff_client: AdminClient) -> None:
    pk = _pending(db)
    early = _act(staff_client, "refund", pk, reason="changed mind", confirmed="yes")
    assert early.status_code == 400
    assert registration(db, pk).payment_status == PaymentStatus.PENDING
    _act(staff_client, "confirm-payment", pk, method="cash", reference="C1", confirmed="yes")
    refunded = _act(staff_client, "refund", pk, reason="course moved", confirmed="yes")
    assert refunded.status_code == 200 and "refunded" in refunded.text
    assert registration(db, pk).payment_status == PaymentStatus.REFUNDED


def test_cancel_needs_a_reason_and_uncancel_restores_the_registration(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    no_reason = _act(staff_client, "cancel-registration", pk, reason=" ", confirmed="yes")
    assert no_reason.status_code == 400 and "Reason is required." in no_reason.text
    assert registration(db, pk).cancelled_at is None
    done = _act(staff_client, "cancel-registration", pk, reason="Moved away", confirmed="yes")
    assert done.status_code == 200
    cancelled = registration(db, pk)
    assert cancelled.cancelled_at is not None and cancelled.cancellation_reason == "Moved away"
    restored = _act(staff_client, "uncancel-registration", pk)
    assert restored.status_code == 200
    assert registration(db, pk).cancelled_at is None
    twice = _act(staff_client, "uncancel-registration", pk)
    assert twice.status_code == 400 and 'role="alert"' in twice.text


def test_resend_confirmation_queues_the_email_again(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    done = _act(staff_client, "resend-confirmation", pk)
    assert done.status_code == 200 and "queued" in done.text
    assert _emails(db) == [("registration_received", "ann.lee@example.org")]


def test_resend_is_refused_for_a_cancelled_registration(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    _act(staff_client, "cancel-registration", pk, reason="Duplicate", confirmed="yes")
    before = len(_emails(db))
    refused = _act(staff_client, "resend-confirmation", pk)
    assert refused.status_code == 400 and "cancelled" in refused.text
    assert len(_emails(db)) == before


def test_single_row_actions_refuse_several_rows_and_unknown_actions_are_404(
    db: Database, staff_client: AdminClient
) -> None:
    first, second = _pending(db), _pending(db, "20.00", first="Bea")
    several = staff_client.get(f"/admin/actions/confirm-payment/?pks={first},{second}")
    assert several.status_code == 400 and "one row at a time" in several.text
    assert staff_client.get(f"/admin/actions/explode/?pks={first}").status_code == 404
    assert staff_client.get("/admin/actions/refund/?pks=99999").status_code == 404
    # Opening forms changes nothing.
    assert registration(db, first).payment_status == PaymentStatus.PENDING


def test_the_registration_page_links_to_each_action_form(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    page = staff_client.get(f"/admin/registration/details/{pk}")
    assert page.status_code == 200
    # A pending registration: what its state allows, nothing it does not ("Mark refunded").
    for label in ("Confirm payment", "Cancel registration", "Resend confirmation"):
        assert label in page.text
    assert "Mark refunded" not in page.text
    opened = staff_client.get(
        f"/admin/registration/action/confirm-payment?pks={pk}", follow_redirects=False
    )
    assert opened.status_code == 302
    assert opened.headers["location"].endswith(f"/admin/actions/confirm-payment/?pks={pk}")
    # Opening the form changes nothing.
    assert registration(db, pk).payment_status == PaymentStatus.PENDING
