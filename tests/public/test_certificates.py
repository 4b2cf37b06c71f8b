"""The public check of a certificate and the emailed link to its PDF (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from starlette.testclient import TestClient

from domain.db.database import Database
from domain.services.certificates import issue_certificate, reissue_certificate
from tests.certificate_seed import COURSE_TITLE, course_with_roll_call
from tests.public.factories import emails
from tests.public.html_check import markup_problems


def test_a_genuine_code_shows_what_the_certificate_certifies(
    db: Database, client: TestClient
) -> None:
    roll = course_with_roll_call(db)
    issued = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)

    page = client.get(f"/certificates/{issued.code}")

    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    assert not markup_problems(page.text)
    text = " ".join(page.text.split())
    for words in ("Genuine", "Ann Baker", COURSE_TITLE, "4.5 hours (3 sessions)", "Issued on"):
        assert words in text, words
    # Typed from paper: lower case, without its dashes, it is the same certificate.
    typed = client.get("/certificates/" + issued.code.replace("-", "").lower())
    assert typed.status_code == 200 and "Ann Baker" in typed.text


def test_a_made_up_code_gets_a_clear_not_genuine_page(db: Database, client: TestClient) -> None:
    roll = course_with_roll_call(db)
    issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)

    for made_up in ("ABCD-EFGH-IJKL-MNOP-QRST", "nonsense", "x" * 300):
        page = client.get(f"/certificates/{made_up}")
        assert page.status_code == 404
        assert "Not genuine" in page.text and "No certificate has this code" in page.text
        assert "Ann Baker" not in page.text
        pdf = client.get(f"/certificates/{made_up}/certificate.pdf")
        assert pdf.status_code == 404 and pdf.headers["content-type"].startswith("text/html")


def test_a_replaced_certificate_says_so_and_no_longer_downloads(
    db: Database, client: TestClient
) -> None:
    roll = course_with_roll_call(db)
    old = issue_certificate(db, registration_id=roll.regs["Ann"], actor=roll.actor)
    reissue_certificate(db, registration_id=roll.regs["Ann"], reason="Typo", actor=roll.actor)

    page = client.get(f"/certificates/{old.code}")
    assert page.status_code == 200
    assert "This certificate has been replaced" in page.text and "Genuine" not in page.text
    assert client.get(f"/certificates/{old.code}/certificate.pdf").status_code == 200
    assert (
        "application/pdf"
        not in client.get(f"/certificates/{old.code}/certificate.pdf").headers["content-type"]
    )


def test_the_emailed_link_downloads_the_certificate(db: Database, client: TestClient) -> None:
    roll = course_with_roll_call(db)
    issue_certificate(db, registration_id=roll.regs["Cat"], actor=roll.actor)
    (email,) = [e for e in emails(db) if e.kind == "certificate_issued"]
    assert email.to_address == "cat@example.org"
    match = re.search(
        r"https?://[^/\s]+(/certificates/[A-Z2-7-]+/certificate\.pdf)", email.body_text
    )
    assert match, email.body_text

    pdf = client.get(match.group(1))

    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Cat Diaz" in text and COURSE_TITLE in text and "5.75 hours" in text
