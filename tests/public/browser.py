"""Helpers for the public site's browser tests (tests/e2e/test_public_*.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from domain.db.database import Database
from domain.outbox.worker import send_due_emails
from tests.smtp_fixtures import SmtpServer, mail_config

PHONE = {"width": 375, "height": 740}


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the current page."""
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"accessibility violations on {page.url}: {bad}"


def assert_fits_phone(new_page: Callable[..., Page], url: str) -> None:
    """The page needs no sideways scrolling on a 375-pixel-wide phone."""
    phone = new_page(viewport=PHONE)
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width}px wide on a phone"


def assert_no_foreign_assets(page: Page, base_url: str) -> None:
    """Every stylesheet, script and image comes from this site."""
    sources: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('link[href], script[src], img[src]')]
                 .map(e => e.href || e.src)"""
    )
    assert sources, "the page loads no assets at all"
    assert all(s.startswith(base_url) for s in sources), sources


def deliver_emails(db: Database, smtp: SmtpServer, data_dir: Path) -> int:
    """Run the outbox worker once against the test SMTP server."""
    url = db.url.render_as_string(hide_password=False)
    return send_due_emails(db, mail_config(smtp, url, data_dir))


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    content: Any = body.get_content()
    return str(content)


def link_path(message: EmailMessage, pattern: str) -> str:
    """The path of the link in ``message`` that matches ``pattern`` (a regex on the path)."""
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", text_of(message))
    assert match, f"no link like {pattern} in: {text_of(message)[:500]}"
    return match.group(1)


def message_to(smtp: SmtpServer, address: str, subject_part: str = "") -> EmailMessage:
    found = [
        m
        for m in smtp.messages
        if address in str(m["To"]) and subject_part.lower() in str(m["Subject"]).lower()
    ]
    assert found, f"no email to {address} ({subject_part}) among {len(smtp.messages)}"
    return found[-1]
