"""Bulk actions from the registration list: all the chosen rows change, or none does."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import audit_entries, outgoing_emails, waitlist_entries
from domain.enums import PaymentStatus
from domain.services.registration import StudentDetails
from domain.services.waitlist import join_waitlist
from tests.admin.a3_factories import add_course, add_registration, add_student, registration
from tests.admin.conftest import AdminClient


def _submit(client: AdminClient, slug: str, pks: list[int], **fields: str) -> httpx.Response:
    data = {"pks": ",".join(str(pk) for pk in pks), **fields}
    return client.submit(f"/admin/actions/{slug}/", data)


def _three_pending(db: Database) -> list[int]:
    course = add_course(db, "Bachata Series", price=Decimal("50.00"))
    return [
        add_registration(
            db,
            student_id=add_student(db, first, "Lee"),
            course_id=course,
            amount=Decimal("50.00"),
            status="pending",
        )
        for first in ("Ann", "Bea", "Cal")
    ]


def _audit(db: Database, action: str) -> list[str]:
    a = audit_entries.c
    with db.read() as s:
        rows = s.scalars(select(a.entity_id).where(a.action == action).order_by(a.id))
        return [str(row) for row in rows]


def _emails(db: Database, kind: str) -> list[str]:
    o = outgoing_emails.c
    with db.read() as s:
        return sorted(s.scalars(select(o.to_address).where(o.kind == kind)))


def _payment_fields(pks: list[int]) -> dict[str, str]:
    methods = ("cash", "venmo", "zelle")
    fields = {"confirmed": "yes"}
    for n, pk in enumerate(pks):
        fields[f"method-{pk}"] = methods[n]
        fields[f"reference-{pk}"] = f"REF-{n + 1}"
    return fields


def test_the_list_offers_the_bulk_buttons_and_they_open_the_forms(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    listing = staff_client.get("/admin/registration/list")
    for label in ("Confirm payments", "Resend confirmations"):
        assert label in listing.text
    opened = staff_client.get(
        f"/admin/registration/action/confirm-payments?pks={pks[0]},{pks[1]}",
        follow_redirects=False,
    )
    assert opened.status_code == 302
    assert opened.headers["location"].endswith(
        f"/admin/actions/confirm-payments/?pks={pks[0]}%2C{pks[1]}"
    )


def test_the_confirm_form_has_one_row_per_registration_with_its_method_and_reference(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    page = staff_client.get(f"/admin/actions/confirm-payments/?pks={','.join(map(str, pks))}")
    assert page.status_code == 200
    for pk, name in zip(pks, ("Ann Lee", "Bea Lee", "Cal Lee"), strict=True):
        assert f"{name} — Bachata Series" in page.text
        assert f'name="method-{pk}"' in page.text and f'name="reference-{pk}"' in page.text
    assert 'name="csrf_token"' in page.text


def test_confirm_payments_records_each_method_and_reference_and_audits_each(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    done = _submit(staff_client, "confirm-payments", pks, **_payment_fields(pks))
    assert done.status_code == 200 and "Payment confirmed for 3 registrations." in done.text
    stored = [registration(db, pk) for pk in pks]
    assert [r.payment_status for r in stored] == [PaymentStatus.COMPLETED] * 3
    assert [(r.payment_method, r.payment_reference) for r in stored] == [
        ("cash", "REF-1"),
        ("venmo", "REF-2"),
        ("zelle", "REF-3"),
    ]
    assert _audit(db, "payment.confirm") == [str(pk) for pk in pks]
    assert len(_emails(db, "payment_confirmed")) == 3


def test_one_refused_registration_means_none_is_confirmed_and_the_page_says_which(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    _submit(staff_client, "cancel-registrations", [pks[1]], reason="Moved", confirmed="yes")
    refused = _submit(staff_client, "confirm-payments", pks, **_payment_fields(pks))
    assert refused.status_code == 400
    assert "Nothing was changed: 1 of the 3 chosen registrations was refused." in refused.text
    assert "Bea Lee — Bachata Series: This registration is cancelled" in refused.text
    assert [registration(db, pk).payment_status for pk in pks] == [PaymentStatus.PENDING] * 3
    assert _audit(db, "payment.confirm") == []
    assert _emails(db, "payment_confirmed") == []
    # What was typed stays on the form.
    assert 'value="REF-3"' in refused.text


def test_a_missing_reference_or_the_unticked_box_changes_nothing(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    fields = _payment_fields(pks)
    fields[f"reference-{pks[2]}"] = " "
    assert _submit(staff_client, "confirm-payments", pks, **fields).status_code == 400
    unticked = {k: v for k, v in _payment_fields(pks).items() if k != "confirmed"}
    assert _submit(staff_client, "confirm-payments", pks, **unticked).status_code == 400
    assert [registration(db, pk).payment_status for pk in pks] == [PaymentStatus.PENDING] * 3


def test_cancel_selected_frees_the_seats_and_offers_them_to_the_waitlist(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Crew Practice", capacity=2)
    taken = [
        add_registration(db, student_id=add_student(db, name, "Seat"), course_id=course)
        for name in ("One", "Two")
    ]
    public = Actor.public("203.0.113.9")
    for n in range(3):
        details = StudentDetails(email=f"wait{n}@example.org", first_name=f"Wait{n}")
        join_waitlist(db, course_id=course, student=details, actor=public)
    done = _submit(staff_client, "cancel-registrations", taken, reason="Injured", confirmed="yes")
    assert done.status_code == 200 and "2 registrations cancelled" in done.text
    assert all(registration(db, pk).cancellation_reason == "Injured" for pk in taken)
    w = waitlist_entries.c
    with db.read() as s:
        statuses = list(s.scalars(select(w.status).where(w.course_id == course).order_by(w.id)))
    assert statuses == ["offered", "offered", "waiting"]
    assert _audit(db, "registration.cancel") == [str(pk) for pk in taken]
    assert _emails(db, "cancellation") == ["one.seat@example.org", "two.seat@example.org"]


def test_cancel_selected_with_one_already_cancelled_cancels_none(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    _submit(staff_client, "cancel-registrations", [pks[0]], reason="Moved", confirmed="yes")
    refused = _submit(staff_client, "cancel-registrations", pks, reason="Again", confirmed="yes")
    assert refused.status_code == 400 and "Ann Lee — Bachata Series" in refused.text
    assert registration(db, pks[0]).cancellation_reason == "Moved"
    assert registration(db, pks[1]).cancelled_at is None
    assert registration(db, pks[2]).cancelled_at is None


def test_resend_selected_queues_one_email_per_registration_and_audits_each(
    db: Database, staff_client: AdminClient
) -> None:
    pks = _three_pending(db)
    done = _submit(staff_client, "resend-confirmations", pks)
    assert done.status_code == 200 and "queued again for 3 registrations" in done.text
    assert _emails(db, "registration_received") == [
        "ann.lee@example.org",
        "bea.lee@example.org",
        "cal.lee@example.org",
    ]
    assert _audit(db, "registration.resend_confirmation") == [str(pk) for pk in pks]


def test_bulk_actions_need_the_csrf_token(db: Database, staff_client: AdminClient) -> None:
    pks = _three_pending(db)
    data = {"pks": ",".join(map(str, pks)), "reason": "x", "confirmed": "yes"}
    refused = staff_client.post("/admin/actions/cancel-registrations/", data=data)
    assert refused.status_code == 403
    assert all(registration(db, pk).cancelled_at is None for pk in pks)
