"""Certificates of attendance against a known roll call, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import event, func, select

from domain.db.database import Database
from domain.db.tables import audit_entries, certificates, outgoing_emails
from domain.errors import InvalidTransition
from domain.services.certificates import (
    certificate_pdf,
    check_certificate,
    issue_certificate,
    issue_course_certificates,
    reissue_certificate,
)
from tests.certificate_seed import COURSE_TITLE, ORGANISATION, RollCall, course_with_roll_call


@pytest.fixture
def roll(db: Database) -> RollCall:
    return course_with_roll_call(db)


def pdf_text(pdf: bytes | None) -> str:
    assert pdf is not None
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def count(db: Database, table: object, *where: object) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(table).where(*where)) or 0)  # type: ignore[arg-type]


def test_the_pdf_states_organisation_participant_course_hours_and_code(
    db: Database, roll: RollCall
) -> None:
    issued = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)

    text = pdf_text(certificate_pdf(db, issued.code))
    for words in (ORGANISATION, "Ann Baker", COURSE_TITLE, "5-26 Oct 2026", issued.code):
        assert words in text, (words, text)
    # Present 1.5 h + late 2 h + present 1 h; the absent 1.25 h does not count.
    assert "Hours attended: 4.5 hours (3 sessions attended)" in text


def test_hours_follow_the_roll_call_present_and_late_count_absent_does_not(
    db: Database, roll: RollCall
) -> None:
    ann = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)
    cat = issue_certificate(db, registration_id=roll.regs["Cat"], actor=roll.actor)
    ann_check, cat_check = check_certificate(db, ann.code), check_certificate(db, cat.code)
    assert ann_check is not None and cat_check is not None
    assert (ann_check.hours, ann_check.sessions_attended) == ("4.5 hours", 3)
    assert (cat_check.hours, cat_check.sessions_attended) == ("5.75 hours", 4)


def test_below_the_threshold_is_refused_and_nothing_is_written(
    db: Database, roll: RollCall
) -> None:
    emails_before = count(db, outgoing_emails)
    with pytest.raises(InvalidTransition, match="Attended 2 of 4 sessions held"):
        issue_certificate(db, registration_id=roll.regs["Ben"], actor=roll.actor)
    assert count(db, certificates) == 0
    assert count(db, audit_entries, audit_entries.c.action.like("certificate.%")) == 0
    assert count(db, outgoing_emails) == emails_before


def test_issuing_twice_gives_the_same_certificate_and_one_email(
    db: Database, roll: RollCall
) -> None:
    first = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)
    again = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)
    assert again.code == first.code and first.created and not again.created
    assert count(db, certificates) == 1
    assert count(db, outgoing_emails, outgoing_emails.c.kind == "certificate_issued") == 1
    assert count(db, audit_entries, audit_entries.c.action == "certificate.issue") == 1


def test_a_reissue_withdraws_the_old_code_and_emails_a_new_one(
    db: Database, roll: RollCall
) -> None:
    old = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)
    new = reissue_certificate(
        db, registration_id=roll.regs["Ann"], reason="Name misspelt", actor=roll.actor
    )
    assert new.code != old.code and new.created
    old_check, new_check = check_certificate(db, old.code), check_certificate(db, new.code)
    assert old_check is not None and not old_check.genuine and old_check.revoked_on
    assert new_check is not None and new_check.genuine
    assert certificate_pdf(db, old.code) is None
    assert count(db, outgoing_emails, outgoing_emails.c.kind == "certificate_issued") == 2
    reasons = count(db, audit_entries, audit_entries.c.reason == "Name misspelt")
    assert reasons == 1


def test_a_course_issue_certifies_only_those_who_qualify(db: Database, roll: RollCall) -> None:
    issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)

    issued = issue_course_certificates(db, course_id=roll.course_id, actor=roll.actor)

    # Ann already had hers (kept, not emailed again); Ben does not qualify.
    assert [i.participant for i in issued] == ["Cat Diaz"]
    with db.read() as s:
        regs = set(s.scalars(select(certificates.c.registration_id)))
        to = list(
            s.scalars(
                select(outgoing_emails.c.to_address).where(
                    outgoing_emails.c.kind == "certificate_issued"
                )
            )
        )
    assert regs == {roll.regs["Ann"], roll.regs["Cat"]}
    assert sorted(to) == ["ann@example.org", "cat@example.org"]


def test_a_made_up_code_is_not_a_certificate(db: Database, roll: RollCall) -> None:
    issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)
    assert check_certificate(db, "ABCD-EFGH-IJKL-MNOP-QRST") is None
    assert check_certificate(db, "'; DROP TABLE certificates; --") is None
    assert certificate_pdf(db, "ABCD-EFGH-IJKL-MNOP-QRST") is None


def test_a_made_up_code_costs_the_same_statements_as_a_real_one(
    db: Database, roll: RollCall
) -> None:
    """No enumeration by timing: every code, real, made-up or malformed, is one lookup."""
    real = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor).code
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    def cost(code: str) -> list[str]:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            check_certificate(db, code)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return list(statements)

    assert cost(real) == cost("ABCD-EFGH-IJKL-MNOP-QRST") == cost("not a code at all!")
