"""The local mailbox in the admin: staff read what Rollbook delivered, links working."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.applications import Starlette

from admin_site.app import create_admin_app
from admin_site.pages.mailbox import Segment, framed_html, text_segments
from admin_site.request_context import SESSION_COOKIE
from domain.config import Config, load_config
from domain.db.database import Database
from domain.model import OutgoingEmail, StaffUser
from domain.outbox.local_mailbox import LocalMailbox
from domain.outbox.mailer import MailboxMailer
from domain.services.staff_sessions import start_session
from tests.admin.conftest import SECRET_KEY, AdminClient

CANCEL = "http://testserver/registrations/cancel/" + "T" * 43
_SRCDOC = re.compile(r'<iframe[^>]*\ssandbox="([^"]*)"[^>]*\ssrcdoc="([^"]*)"', re.DOTALL)


def _deliver(config: Config, *, to: str, subject: str, text: str, html_body: str = "") -> None:
    email = OutgoingEmail(
        kind="test",
        to_address=to,
        to_name="",
        subject=subject,
        body_text=text,
        body_html=html_body,
    )
    MailboxMailer(config).send(email)


def _keys(config: Config) -> list[str]:
    return [entry.key for entry in LocalMailbox(config.mailbox_dir).entries()]


def test_the_mailbox_lists_messages_newest_first(
    staff_client: AdminClient, admin_config: Config
) -> None:
    empty = staff_client.page("/admin/mailbox/")
    assert empty.status_code == 200
    assert "No emails yet" in empty.text
    _deliver(admin_config, to="first@example.org", subject="First news", text="One")
    _deliver(admin_config, to="second@example.org", subject="Second news", text="Two")

    page = staff_client.page("/admin/mailbox/")
    assert page.status_code == 200
    assert page.text.index("Second news") < page.text.index("First news")
    assert "second@example.org" in page.text and "first@example.org" in page.text
    newest = _keys(admin_config)[0]
    assert f'href="http://testserver/admin/mailbox/{newest}/"' in page.text
    assert 'href="http://testserver/admin/mailbox/"' in staff_client.page("/admin/").text


def test_a_message_shows_its_html_sandboxed_and_its_text_with_working_links(
    staff_client: AdminClient, admin_config: Config
) -> None:
    body_html = (
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        f'<p>Hello <b>Maya</b></p><p><a href="{CANCEL}">Cancel</a></p>'
        "<script>alert(1)</script></body></html>"
    )
    _deliver(
        admin_config,
        to="maya@example.org",
        subject="Your place <confirmed>",
        text=f"Hello Maya,\nCancel your registration:\n{CANCEL}\n",
        html_body=body_html,
    )
    (key,) = _keys(admin_config)

    page = staff_client.page(f"/admin/mailbox/{key}/")
    assert page.status_code == 200
    assert "Your place &lt;confirmed&gt;" in page.text
    frame = _SRCDOC.search(page.text)
    assert frame, "the HTML body is not in a sandboxed frame"
    sandbox, srcdoc = frame.group(1), html.unescape(frame.group(2))
    assert "allow-scripts" not in sandbox and "allow-same-origin" not in sandbox
    assert f'<a href="{CANCEL}">Cancel</a>' in srcdoc
    assert '<base target="_blank">' in srcdoc, "links would open inside the frame"
    # The message's markup reaches the page only escaped, inside the frame's attribute.
    assert "<script>alert(1)</script>" not in page.text
    assert f'<a href="{CANCEL}" target="_blank" rel="noopener noreferrer">{CANCEL}</a>' in page.text


def test_an_unknown_or_made_up_message_key_is_not_found(
    staff_client: AdminClient, admin_config: Config
) -> None:
    _deliver(admin_config, to="a@example.org", subject="Hi", text="Hi")
    for key in ("nope", "..%2F..%2Fsecret_key", "%2e%2e", "%00"):
        response = staff_client.page(f"/admin/mailbox/{key}/")
        assert response.status_code == 404, key


def test_anonymous_visitors_are_sent_to_sign_in(
    anonymous_client: AdminClient, admin_config: Config
) -> None:
    _deliver(admin_config, to="a@example.org", subject="Private subject", text="Secret link")
    (key,) = _keys(admin_config)
    for url in ("/admin/mailbox/", f"/admin/mailbox/{key}/"):
        response = anonymous_client.page(url)
        assert response.status_code in (302, 303), url
        assert "/admin/login" in response.headers["location"]
        assert "Private subject" not in response.text


@pytest.mark.parametrize(
    "env",
    [
        {"SMTP_HOST": "mail.example.org"},
        {"ROLLBOOK_ENV": "production", "BASE_URL": "https://admin.example.org"},
    ],
    ids=["smtp-host-set", "production"],
)
def test_with_a_mail_server_there_is_no_mailbox_page(
    db: Database,
    tmp_path: Path,
    env: dict[str, str],
    make_staff_user: Callable[..., StaffUser],
) -> None:
    config = load_config(
        {
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "DATABASE_URL": db.url.render_as_string(hide_password=False),
            "SECRET_KEY": SECRET_KEY,
            **env,
        }
    )
    app: Starlette = create_admin_app(config, db)
    client = AdminClient(app, base_url=env.get("BASE_URL", "http://testserver"))
    user = make_staff_user("staff")
    assert user.id is not None
    token, _ = start_session(db, staff_user_id=user.id)
    client.cookies.set(SESSION_COOKIE, token, path="/admin")
    home = client.page("/admin/")
    assert home.status_code == 200
    assert "Mailbox" not in home.text
    assert client.page("/admin/mailbox/").status_code == 404


def test_text_segments_link_web_addresses_and_keep_the_rest() -> None:
    assert text_segments(f"Cancel:\n{CANCEL}\nBye") == [
        Segment("Cancel:\n", is_link=False),
        Segment(CANCEL, is_link=True),
        Segment("\nBye", is_link=False),
    ]
    assert text_segments("no links here") == [Segment("no links here", is_link=False)]


def test_framed_html_opens_links_outside_the_frame() -> None:
    assert framed_html("<html><head><title>t</title></head></html>").startswith(
        '<html><head><base target="_blank"><title>'
    )
    assert framed_html("<p>bare</p>") == '<base target="_blank"><p>bare</p>'


def test_a_message_is_listed_with_the_time_it_arrived(admin_config: Config) -> None:
    before = datetime.now(UTC)
    _deliver(admin_config, to="a@example.org", subject="Hi", text="Hi")
    (entry,) = LocalMailbox(admin_config.mailbox_dir).entries()
    assert before.replace(microsecond=0) <= entry.delivered_at <= datetime.now(UTC)
