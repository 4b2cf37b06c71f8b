"""Certificates from the staff panel: a registration's button only when it qualifies, the
refusal when it does not, and a course's issue with its preview (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.db.database import Database
from domain.db.tables import certificates, outgoing_emails
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import buttons, link_of
from tests.certificate_seed import course_with_roll_call


def _count(db: Database, table: object) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def test_a_qualifying_registration_offers_its_certificate_and_issues_it(
    staff_client: AdminClient, db: Database
) -> None:
    roll = course_with_roll_call(db)
    ann = roll.regs["Ann"]
    page = staff_client.get(f"/admin/registration/details/{ann}").text
    assert "Issue certificate" in buttons(page)
    url = link_of(page, "Issue certificate")
    assert url.endswith(f"/admin/actions/issue-certificate/?pks={ann}")

    done = staff_client.submit(url, {"pks": str(ann)}, follow_redirects=True)

    assert done.status_code == 200
    assert "issued to Ann Baker, emailed to the participant" in done.text
    assert _count(db, certificates) == 1
    again = staff_client.get(f"/admin/registration/details/{ann}").text
    assert "Re-issue certificate" in buttons(again) and "Issue certificate" not in buttons(again)


def test_a_registration_below_the_threshold_has_no_button_and_is_refused(
    staff_client: AdminClient, db: Database
) -> None:
    roll = course_with_roll_call(db)
    ben = roll.regs["Ben"]
    page = staff_client.get(f"/admin/registration/details/{ben}").text
    assert not {"Issue certificate", "Re-issue certificate"} & set(buttons(page))
    emails_before = _count(db, outgoing_emails)

    refused = staff_client.submit(f"/admin/actions/issue-certificate/?pks={ben}", {"pks": str(ben)})

    assert refused.status_code == 400
    assert "Attended 2 of 4 sessions held" in refused.text
    assert _count(db, certificates) == 0
    assert _count(db, outgoing_emails) == emails_before


def test_a_course_issue_previews_who_qualifies_then_issues_only_theirs(
    staff_client: AdminClient, db: Database
) -> None:
    roll = course_with_roll_call(db)
    page = staff_client.get(f"/admin/course/details/{roll.course_id}").text
    url = link_of(page, "Issue certificates")

    preview = staff_client.submit(url, {"pks": str(roll.course_id)})
    assert preview.status_code == 200
    text = " ".join(preview.text.split())
    assert "Certificates for 2 participants:" in text
    assert "Ann Baker: 4.5 hours, 3 of 4 sessions" in text
    assert "Cat Diaz: 5.75 hours, 4 of 4 sessions" in text
    assert "Not reaching the threshold: Ben Cole (2 of 4)" in text
    assert _count(db, certificates) == 0  # a preview writes nothing

    digest = preview.text.split('name="previewed" value="')[1].split('"')[0]
    done = staff_client.submit(
        url, {"pks": str(roll.course_id), "previewed": digest}, follow_redirects=True
    )
    assert "Issued 2 certificates; 2 emailed to the participants." in done.text
    with db.read() as s:
        regs = set(s.scalars(select(certificates.c.registration_id)))
    assert regs == {roll.regs["Ann"], roll.regs["Cat"]}
    after = staff_client.get(f"/admin/course/details/{roll.course_id}").text
    assert "Issue certificates" not in buttons(after)
