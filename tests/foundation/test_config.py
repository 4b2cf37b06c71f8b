"""Configuration comes from environment variables, checked once at start-up."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from domain.config import ConfigError, load_config

KEY = "k" * 40


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"ROLLBOOK_DATA_DIR": str(tmp_path / "data"), **values}


def test_defaults_give_an_sqlite_file_in_the_data_directory(tmp_path: Path) -> None:
    config = load_config(_env(tmp_path))
    assert config.database_url == f"sqlite:///{tmp_path / 'data' / 'rollbook.sqlite3'}"
    assert config.uses_embedded_database
    assert config.port == 8000
    assert config.base_url == "http://localhost:8000"
    assert not config.is_production


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/rollbook"),
        ("DATABASE_URL", "not a url at all"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("PORT", "0"),
        ("SMTP_PORT", "-25"),
        ("SMTP_TLS", "maybe"),
        ("BASE_URL", "localhost:8000"),
        ("BASE_URL", "ftp://example.org"),
        ("EMAIL_FROM", "nobody"),
        ("EMAIL_FROM", "a@example.org\r\nBcc: victim@example.org"),
        ("ROLLBOOK_ENV", "staging"),
        ("SECRET_KEY", "short"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_env(tmp_path, **{variable: value}))
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")


def test_postgres_urls_are_spoken_through_psycopg(tmp_path: Path) -> None:
    config = load_config(_env(tmp_path, DATABASE_URL="postgres://u:p%40ss@db:5432/rollbook"))
    assert config.database_url == "postgresql+psycopg://u:p%40ss@db:5432/rollbook"
    assert not config.uses_embedded_database


def test_secret_key_is_generated_once_and_kept_in_the_data_directory(tmp_path: Path) -> None:
    first = load_config(_env(tmp_path)).secret_key
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_config(_env(tmp_path)).secret_key == first
    other = load_config({"ROLLBOOK_DATA_DIR": str(tmp_path / "elsewhere")}).secret_key
    assert other != first


def test_a_given_secret_key_wins_and_nothing_is_written(tmp_path: Path) -> None:
    assert load_config(_env(tmp_path, SECRET_KEY=KEY)).secret_key == KEY
    assert not (tmp_path / "data" / "secret_key").exists()


def test_production_requires_a_secret_key(tmp_path: Path) -> None:
    env = _env(tmp_path, ROLLBOOK_ENV="production", BASE_URL="https://rollbook.example.org")
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    assert caught.value.variable == "SECRET_KEY"
    assert not (tmp_path / "data" / "secret_key").exists()
    assert load_config({**env, "SECRET_KEY": KEY}).is_production


def test_production_refuses_a_plain_http_base_url(tmp_path: Path) -> None:
    env = _env(tmp_path, ROLLBOOK_ENV="production", SECRET_KEY=KEY)
    with pytest.raises(ConfigError) as caught:
        load_config(env)
    assert caught.value.variable == "BASE_URL"


def test_a_damaged_stored_key_is_reported_not_used(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "secret_key").write_text("\n")
    with pytest.raises(ConfigError) as caught:
        load_config(_env(tmp_path))
    assert caught.value.variable == "SECRET_KEY"


def test_a_data_directory_that_is_a_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    with pytest.raises(ConfigError) as caught:
        load_config(_env(tmp_path))
    assert caught.value.variable == "ROLLBOOK_DATA_DIR"


def test_smtp_settings_are_read(tmp_path: Path) -> None:
    config = load_config(
        _env(
            tmp_path,
            SMTP_HOST="mail.example.org",
            SMTP_PORT="587",
            SMTP_USER="rollbook",
            SMTP_PASSWORD=" secret with spaces ",
            SMTP_TLS="STARTTLS",
            EMAIL_FROM="Dance Studio <studio@example.org>",
        )
    )
    assert (config.smtp_host, config.smtp_port, config.smtp_user) == (
        "mail.example.org",
        587,
        "rollbook",
    )
    assert config.smtp_password == " secret with spaces "
    assert config.smtp_tls == "starttls"
    assert config.email_from == "Dance Studio <studio@example.org>"


def test_without_smtp_host_development_delivers_to_the_local_mailbox(tmp_path: Path) -> None:
    for env in (_env(tmp_path), _env(tmp_path, SMTP_HOST="  ")):
        config = load_config(env)
        assert config.smtp_host == ""
        assert config.uses_local_mailbox
        assert config.mailbox_dir == tmp_path / "data" / "mailbox"
    assert not load_config(_env(tmp_path, SMTP_HOST="localhost")).uses_local_mailbox


def test_production_never_uses_the_local_mailbox(tmp_path: Path) -> None:
    production = _env(
        tmp_path, ROLLBOOK_ENV="production", SECRET_KEY=KEY, BASE_URL="https://book.example.org"
    )
    for env in (production, {**production, "SMTP_HOST": ""}):
        config = load_config(env)
        assert config.smtp_host == "localhost", "production keeps its old default mail server"
        assert not config.uses_local_mailbox


def test_without_base_url_links_name_the_port_served(tmp_path: Path) -> None:
    assert load_config(_env(tmp_path, PORT="8101")).base_url == "http://localhost:8101"
    assert load_config(_env(tmp_path, PORT="8101", BASE_URL="http://book.test")).base_url == (
        "http://book.test"
    )
