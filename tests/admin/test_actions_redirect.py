"""Actions are Post/Redirect/Get: a reload of the result page never runs the action again."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from domain.db.database import Database
from domain.db.tables import outgoing_emails
from tests.admin.a3_factories import add_course, add_registration, add_student
from tests.admin.conftest import SECRET_KEY, AdminClient

MESSAGE = "The confirmation email for registration #{pk} is queued to be sent again."


def _pending(db: Database) -> int:
    course = add_course(db, "Bachata Series", price=Decimal("50.00"))
    student = add_student(db, "Ann", "Lee")
    return add_registration(
        db, student_id=student, course_id=course, amount=Decimal("50.00"), status="pending"
    )


def _outbox(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(outgoing_emails)) or 0)


def _resend(client: AdminClient, pk: int) -> str:
    """POST the resend action without following; the 303's target."""
    posted = client.submit(
        "/admin/actions/resend-confirmation/", {"pks": str(pk)}, follow_redirects=False
    )
    assert posted.status_code == 303
    return posted.headers["location"]


def test_a_done_action_answers_303_and_the_result_page_shows_the_message(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    location = _resend(staff_client, pk)
    assert urlsplit(location).path == "/admin/actions/resend-confirmation/done"
    result = staff_client.page(location)
    assert result.status_code == 200
    assert MESSAGE.format(pk=pk) in result.text
    assert f'href="http://testserver/admin/registration/details/{pk}"' in result.text


def test_reloading_the_result_page_does_not_repeat_the_action(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    location = _resend(staff_client, pk)
    assert _outbox(db) == 1
    for _ in range(3):
        again = staff_client.page(location)
        assert again.status_code == 200 and MESSAGE.format(pk=pk) in again.text
    assert _outbox(db) == 1


def test_a_tampered_or_unsigned_message_is_not_shown(
    db: Database, staff_client: AdminClient
) -> None:
    pk = _pending(db)
    location = _resend(staff_client, pk)
    signed = parse_qs(urlsplit(location).query)["result"][0]
    base = "/admin/actions/resend-confirmation/done"
    forged = [
        "Payment received, thank you",
        signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"),
        signed.replace(signed[:8], "eyJoYWNr", 1),
    ]
    for value in forged:
        page = staff_client.page(f"{base}?{urlencode({'pks': pk, 'result': value})}")
        assert page.status_code == 200
        assert 'id="action-message"' not in page.text
        assert "Payment received" not in page.text
        assert "queued to be sent again" not in page.text


def test_the_message_is_escaped_on_the_result_page(db: Database, staff_client: AdminClient) -> None:
    signer = URLSafeTimedSerializer(SECRET_KEY, salt="rollbook-admin-action-result")
    value = signer.dumps("<script>alert(1)</script>")
    page = staff_client.page(f"/admin/actions/resend-confirmation/done?result={value}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_the_result_page_requires_sign_in(anonymous_client: AdminClient) -> None:
    page = anonymous_client.page("/admin/actions/resend-confirmation/done")
    assert page.status_code in (302, 303)
    assert "/admin/login" in page.headers["location"]
