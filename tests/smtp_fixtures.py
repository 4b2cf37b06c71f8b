"""A real SMTP server (aiosmtpd) for tests, on 127.0.0.1 and a free port.

Import the fixture where it is needed; test functions then ask for ``smtp_server``::

    from tests.smtp_fixtures import smtp_server_fixture  # noqa: F401

``smtp_server.messages`` holds every message received, parsed; ``stop()`` and
``start()`` take the server down and bring it back on the same port.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from domain.config import Config, load_config


@dataclass(frozen=True)
class Delivery:
    """One SMTP transaction: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: Any, session: Any, envelope: Any) -> str:
        # Checked here rather than with aiosmtpd's auth_required, which warns
        # (an error under filterwarnings) when TLS is not required as well.
        if self.server.login is not None and not session.authenticated:
            return "530 Authentication required"
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.server._received(
            Delivery(str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], message)
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server collecting what it receives."""

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        login: tuple[str, str] | None = None,
        tls: str = "none",
        certificate: tuple[Path, Path] | None = None,
    ) -> None:
        #: When set, the server refuses mail until a client logs in with it.
        self.login = login
        #: "none", "starttls" (required before mail) or "ssl" (implicit TLS), as SMTP_TLS.
        self.tls = tls
        self.certificate = certificate
        self.port = _free_port()
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [d.message for d in self.deliveries]

    @property
    def running(self) -> bool:
        return self._controller is not None

    def _received(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)

    def start(self) -> None:
        if self._controller is None:
            auth: dict[str, Any] = {}
            if self.login is not None:
                auth = {
                    "authenticator": self._authenticate,
                    "auth_require_tls": False,  # tests talk plain SMTP on loopback
                }
            tls: dict[str, Any] = {}
            if self.tls != "none":
                assert self.certificate is not None, "a TLS server needs make_certificate()"
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(*self.certificate)
                if self.tls == "ssl":
                    tls = {"ssl_context": context}
                else:
                    tls = {"tls_context": context, "require_starttls": True}
            controller = Controller(
                _Collector(self), hostname=self.host, port=self.port, **auth, **tls
            )
            controller.start()
            self._controller = controller

    def _authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword) or self.login is None:
            return AuthResult(success=False, handled=False)
        given = (data.login.decode(), data.password.decode())
        return AuthResult(success=given == self.login, handled=False)

    def stop(self) -> None:
        """Take the server down: connections to ``port`` are refused until ``start()``."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def clear(self) -> None:
        with self._lock:
            self.deliveries.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages, once at least ``count`` have arrived (fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages
            if len(messages) >= count:
                return messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, received {len(self.messages)}")

    def env(self) -> dict[str, str]:
        """The environment variables that point Rollbook's mailer at this server."""
        user, password = self.login or ("", "")
        return {
            "SMTP_HOST": self.host,
            "SMTP_PORT": str(self.port),
            "SMTP_TLS": self.tls,
            "SMTP_USER": user,
            "SMTP_PASSWORD": password,
            "EMAIL_FROM": "Rollbook Studio <studio@example.org>",
        }


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (certificate, key); trust it with SSL_CERT_FILE."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(name="smtp_server")
def smtp_server_fixture() -> Iterator[SmtpServer]:
    """``smtp_server``: a running SMTP server that collects messages; stopped after the test."""
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# Importing under this name also works (then silence ruff's F811 where it is used).
smtp_server = smtp_server_fixture


def mail_config(server: SmtpServer, database_url: str, data_dir: Path) -> Config:
    """A ``Config`` whose database is ``database_url`` and whose mail goes to ``server``."""
    return load_config(
        {
            "DATABASE_URL": database_url,
            "ROLLBOOK_DATA_DIR": str(data_dir),
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            **server.env(),
        }
    )
