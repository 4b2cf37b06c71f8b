"""Turn an outbox row into a MIME message and deliver it.

To the SMTP server in ``Config``; in development without one, to the local
mailbox (``domain.outbox.local_mailbox``).
"""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from types import TracebackType

from domain.config import Config
from domain.emails.compose import clean_address, one_line
from domain.model import OutgoingEmail
from domain.outbox.local_mailbox import LocalMailbox

SMTP_TIMEOUT_SECONDS = 30.0


class PermanentFailure(Exception):
    """Sending this message can never work (a bad address, a 5xx refusal): do not retry."""


class ServerUnavailable(Exception):
    """No connection to the SMTP server (down, unreachable, TLS or login refused).

    Every message would fail the same way, so the worker stops the batch.
    """


def build_message(email: OutgoingEmail, config: Config) -> EmailMessage:
    """A text message with an HTML alternative; names are encoded, never spliced into headers.

    Builders already make header text single-line; it is cleaned again here because
    a row may have been queued by other code.
    """
    message = EmailMessage()
    from_name, from_address = parseaddr(config.email_from)
    message["From"] = _address(from_name, from_address)
    message["To"] = _address(email.to_name, email.to_address)
    message["Subject"] = one_line(email.subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or None)
    message.set_content(email.body_text)
    if email.body_html:
        message.add_alternative(email.body_html, subtype="html")
    for attachment in email.attachments or []:
        _attach(message, attachment)
    return message


def _attach(message: EmailMessage, attachment: dict[str, str]) -> None:
    """Add a stored text attachment (``multipart/mixed``); a calendar says it publishes."""
    _, _, subtype = attachment.get("content_type", "text/plain").partition("/")
    params = {"method": "PUBLISH"} if subtype == "calendar" else {}
    message.add_attachment(
        attachment.get("content", ""),
        subtype=subtype or "plain",
        filename=one_line(attachment.get("filename", "")) or "attachment.txt",
        params=params,
    )


def _address(name: str, address: str) -> Address:
    cleaned = clean_address(address)
    if cleaned != address.strip() or cleaned.count("@") != 1:
        raise PermanentFailure(f"not a valid email address: {address[:80]!r}")
    username, _, domain = cleaned.partition("@")
    if not username or not domain:
        raise PermanentFailure(f"not a valid email address: {address[:80]!r}")
    try:
        return Address(display_name=one_line(name), username=username, domain=domain)
    except (ValueError, IndexError) as exc:
        raise PermanentFailure(f"not a valid email address: {address[:80]!r}") from exc


class Mailer:
    """One SMTP connection, opened on first use and reopened after an error.

    Use as a context manager so the connection is closed when the batch ends.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, email: OutgoingEmail) -> None:
        """Deliver ``email`` or raise: ``PermanentFailure`` when retrying cannot help."""
        message = build_message(email, self.config)
        try:
            smtp = self._connection()
        except (OSError, smtplib.SMTPException) as exc:
            raise ServerUnavailable(f"{type(exc).__name__}: {exc}") from exc
        try:
            # The envelope recipient is the one stored address, never a header.
            smtp.send_message(message, to_addrs=[clean_address(email.to_address)])
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"the server refused the address: {exc.recipients}") from exc
            raise
        except smtplib.SMTPDataError as exc:
            # A refused sender or login is our configuration and affects every
            # message, so only a refused message body counts as permanent.
            self.close()
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(f"the server refused the message: {exc}") from exc
            raise
        except BaseException:
            self.close()
            raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        config = self.config
        smtp: smtplib.SMTP
        if config.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                config.smtp_host,
                config.smtp_port,
                timeout=SMTP_TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if config.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.smtp_user:
                smtp.login(config.smtp_user, config.smtp_password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class MailboxMailer:
    """Delivers into the local mailbox instead of an SMTP server; used as ``Mailer`` is."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.mailbox = LocalMailbox(config.mailbox_dir)

    def __enter__(self) -> MailboxMailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def send(self, email: OutgoingEmail) -> None:
        message = build_message(email, self.config)
        try:
            self.mailbox.deliver(message)
        except OSError as exc:
            # A full disk or a folder we may not write: every message would fail alike.
            raise ServerUnavailable(f"cannot write to {self.mailbox.directory}: {exc}") from exc


def mailer_for(config: Config) -> Mailer | MailboxMailer:
    """The SMTP mailer, or the local mailbox when ``config`` names no SMTP server."""
    return MailboxMailer(config) if config.uses_local_mailbox else Mailer(config)
