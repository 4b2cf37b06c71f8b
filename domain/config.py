"""All configuration from environment variables, read and checked in one place.

``load_config()`` is called by ``create_app()`` and the command line, never at import.
A bad value raises ``ConfigError`` naming the variable.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SMTP_TLS_MODES = ("none", "starttls", "ssl")
ENVIRONMENTS = ("development", "production")
_MIN_SECRET_LENGTH = 32
#: ``BASE_URL`` when neither it nor ``PORT`` is set: the development server.
DEVELOPMENT_BASE_URL = "http://localhost:8000"


class ConfigError(Exception):
    """A configuration variable is missing or has a bad value."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Config:
    env: str
    data_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    base_url: str
    port: int
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str = field(repr=False)
    smtp_tls: str
    email_from: str

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def uses_embedded_database(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def uses_local_mailbox(self) -> bool:
        """No mail server in development: emails go to ``mailbox_dir``, read in the admin."""
        return not self.smtp_host and not self.is_production

    @property
    def mailbox_dir(self) -> Path:
        return self.data_dir / "mailbox"


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    env_vars = os.environ if environ is None else environ

    def get(name: str, default: str = "") -> str:
        return env_vars.get(name, default).strip()

    env = get("ROLLBOOK_ENV", "development").lower()
    if env not in ENVIRONMENTS:
        raise ConfigError("ROLLBOOK_ENV", f"must be one of {', '.join(ENVIRONMENTS)}")
    data_dir = Path(get("ROLLBOOK_DATA_DIR") or "var").resolve()
    database_url = get("DATABASE_URL") or f"sqlite:///{data_dir / 'rollbook.sqlite3'}"
    database_url = _check_database_url(database_url)
    port = _port("PORT", get("PORT", "8000"))
    base_url = _check_base_url(get("BASE_URL", _default_base_url(env_vars)), env=env)
    smtp_tls = get("SMTP_TLS", "none").lower()
    if smtp_tls not in SMTP_TLS_MODES:
        raise ConfigError("SMTP_TLS", f"must be one of {', '.join(SMTP_TLS_MODES)}")
    email_from = get("EMAIL_FROM", "Rollbook <noreply@localhost>")
    if "@" not in parseaddr(email_from)[1] or any(c in email_from for c in "\r\n"):
        raise ConfigError("EMAIL_FROM", "must be an email address, optionally with a name")
    return Config(
        env=env,
        data_dir=data_dir,
        database_url=database_url,
        secret_key=_secret_key(get("SECRET_KEY"), env=env, data_dir=data_dir),
        base_url=base_url,
        port=port,
        # Unset or empty: the local mailbox in development; in production, as
        # before, a mail server on the same machine.
        smtp_host=get("SMTP_HOST") or ("localhost" if env == "production" else ""),
        smtp_port=_port("SMTP_PORT", get("SMTP_PORT", "25")),
        smtp_user=get("SMTP_USER"),
        smtp_password=env_vars.get("SMTP_PASSWORD", ""),
        smtp_tls=smtp_tls,
        email_from=email_from,
    )


def _default_base_url(env_vars: Mapping[str, str]) -> str:
    # Serving on another PORT, a developer still gets links that reach this server.
    port = env_vars.get("PORT", "").strip()
    return f"http://localhost:{port}" if port else DEVELOPMENT_BASE_URL


def _check_base_url(raw: str, *, env: str) -> str:
    base_url = raw.rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("BASE_URL", "must be an absolute http:// or https:// URL")
    if env == "production" and parts.scheme != "https":
        raise ConfigError("BASE_URL", "must use https:// when ROLLBOOK_ENV=production")
    return base_url


def _check_database_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError("DATABASE_URL", f"is not a database URL ({exc})") from exc
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        # Rollbook speaks psycopg 3; accept the usual postgres:// spellings.
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend != "sqlite":
        raise ConfigError("DATABASE_URL", "must be a postgresql:// or sqlite:/// URL")
    return url


def _port(variable: str, raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
        raise ConfigError(variable, f"must be a port number from 1 to 65535, not {raw!r}")
    return int(raw)


def _secret_key(given: str, *, env: str, data_dir: Path) -> str:
    if given:
        if len(given) < _MIN_SECRET_LENGTH:
            raise ConfigError("SECRET_KEY", f"must be at least {_MIN_SECRET_LENGTH} characters")
        return given
    if env == "production":
        raise ConfigError("SECRET_KEY", "is required when ROLLBOOK_ENV=production")
    key_file = data_dir / "secret_key"
    try:
        if not key_file.exists():
            _write_new_key(key_file)
        key = key_file.read_text().strip()
    except OSError as exc:
        raise ConfigError(
            "ROLLBOOK_DATA_DIR", f"cannot keep the generated secret key in {data_dir} ({exc})"
        ) from exc
    if len(key) < _MIN_SECRET_LENGTH:
        raise ConfigError(
            "SECRET_KEY",
            f"the generated key in {key_file} is damaged; delete the file to make a new one",
        )
    return key


def _write_new_key(key_file: Path) -> None:
    # Written to a private temporary file and then linked into place, so two
    # processes starting together agree on one key and never read half of it.
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(temporary, key_file)
    finally:
        os.unlink(temporary)
