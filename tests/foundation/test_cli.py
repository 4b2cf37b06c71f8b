"""The ``rollbook`` command, run for real in subprocesses."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from domain.db.database import Database
from domain.db.migrate import is_at_head
from domain.model import OutgoingEmail, StaffUser
from domain.outbox.local_mailbox import LocalMailbox
from domain.services.staff import verify_password
from tests.foundation.conftest import ROLLBOOK, Run, free_port


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_migrate_brings_a_new_database_to_head_from_any_directory(
    rollbook: Run, tmp_path: Path
) -> None:
    # A folder that does not exist yet, and a given key, so nothing else makes the folder.
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'cli.sqlite3'}"
    result = rollbook("migrate", DATABASE_URL=url, SECRET_KEY="k" * 40)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert is_at_head(url)


def test_createsuperuser_from_a_script_creates_a_superuser_who_can_sign_in(
    rollbook: Run, tmp_path: Path
) -> None:
    url = _sqlite_url(tmp_path)
    assert rollbook("migrate", DATABASE_URL=url).returncode == 0
    result = rollbook(
        "createsuperuser",
        "--username",
        "Coordinator",
        "--email",
        "coord@example.org",
        "--password-stdin",
        input="a long enough passphrase\n",
        DATABASE_URL=url,
    )
    assert result.returncode == 0, result.stderr
    db = Database(url)
    with db.read() as s:
        user = s.scalars(select(StaffUser)).one()
        assert user.username == "coordinator"
        assert user.is_superuser and user.is_active
        assert verify_password(user.password_hash, "a long enough passphrase")
    db.dispose()


def test_createsuperuser_refuses_a_short_password_and_creates_nothing(
    rollbook: Run, tmp_path: Path
) -> None:
    url = _sqlite_url(tmp_path)
    result = rollbook(
        "createsuperuser", "--username", "boss", "--password-stdin", input="short\n",
        DATABASE_URL=url,
    )  # fmt: skip
    assert result.returncode != 0
    assert "password" in result.stderr.lower()
    assert "Nothing was created" in result.stderr
    db = Database(url)
    with db.read() as s:
        assert s.scalars(select(StaffUser)).all() == []
    db.dispose()


def test_a_bad_setting_stops_the_command_naming_the_variable(rollbook: Run) -> None:
    result = rollbook("migrate", PORT="eighty")
    assert result.returncode != 0
    assert "PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_migrates_sqlite_itself_and_answers_health(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    url = _sqlite_url(tmp_path)
    server = subprocess.Popen(
        [ROLLBOOK, "serve"],
        cwd=tmp_path,
        env={**cli_env, "DATABASE_URL": url, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = _wait_for(f"{base}/health", server)
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        assert httpx.get(f"{base}/").status_code == 200
        admin = httpx.get(f"{base}/admin/")
        assert admin.status_code in (200, 302, 303, 307)
        assert is_at_head(url)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://localhost:{port}/" in output


def test_serve_refuses_a_postgresql_database_that_is_not_migrated(
    rollbook: Run, make_pg_database: object
) -> None:
    url = str(make_pg_database())  # type: ignore[operator]
    result = rollbook("serve", "--port", str(free_port()), DATABASE_URL=url)
    assert result.returncode != 0
    assert "rollbook migrate" in result.stderr
    assert not is_at_head(url), "serve must not migrate PostgreSQL itself"


def test_demo_loads_once_and_prints_an_admin_login(rollbook: Run, tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path)
    first = rollbook("demo", DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert "Demo data loaded" in first.stdout
    login = next(line for line in first.stdout.splitlines() if line.startswith("Admin login"))
    password = login.rsplit(" ", 1)[1]
    db = Database(url)
    with db.read() as s:
        admin = s.scalars(select(StaffUser).where(StaffUser.username == "admin")).one()
        assert admin.is_superuser
        assert verify_password(admin.password_hash, password)
    db.dispose()
    second = rollbook("demo", DATABASE_URL=url)
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout
    assert "Admin login" not in second.stdout


def test_worker_runs_one_round_on_a_fresh_database(rollbook: Run, tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path)
    result = rollbook("worker", "--once", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert is_at_head(url)


def _wait_for(url: str, server: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise AssertionError(f"rollbook serve exited early:\n{output}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("rollbook serve did not answer within 60 seconds")


def test_serve_starts_on_postgresql_once_it_is_migrated(
    rollbook: Run, cli_env: dict[str, str], make_pg_database: object, tmp_path: Path
) -> None:
    url = str(make_pg_database())  # type: ignore[operator]
    migrated = rollbook("migrate", DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    server = subprocess.Popen(
        [ROLLBOOK, "serve", "--port", str(port)],
        cwd=tmp_path,
        env={**cli_env, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/health", server).status_code == 200
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_resetpassword_prints_a_temporary_password_that_signs_in(
    rollbook: Run, tmp_path: Path
) -> None:
    url = _sqlite_url(tmp_path)
    created = rollbook(
        "createsuperuser", "--username", "boss", "--password-stdin",
        input="the forgotten passphrase\n", DATABASE_URL=url,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr

    result = rollbook("resetpassword", "Boss", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "temporary password" in line)
    password = line.rsplit(" ", 1)[1]
    db = Database(url)
    with db.read() as s:
        user = s.scalars(select(StaffUser)).one()
        assert verify_password(user.password_hash, password)
        assert not verify_password(user.password_hash, "the forgotten passphrase")
        assert user.must_change_password, "a printed password must be replaced at sign-in"
    db.dispose()


def test_resetpassword_for_an_unknown_account_changes_nothing(
    rollbook: Run, tmp_path: Path
) -> None:
    url = _sqlite_url(tmp_path)
    created = rollbook(
        "createsuperuser", "--username", "boss", "--password-stdin",
        input="a long enough passphrase\n", DATABASE_URL=url,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    result = rollbook("resetpassword", "nobody", DATABASE_URL=url)
    assert result.returncode != 0
    assert "no staff account 'nobody'" in result.stderr
    assert "Traceback" not in result.stderr
    db = Database(url)
    with db.read() as s:
        assert verify_password(
            s.scalars(select(StaffUser)).one().password_hash, "a long enough passphrase"
        )
    db.dispose()


def test_demo_run_again_names_the_command_that_resets_the_admin_password(
    rollbook: Run, tmp_path: Path
) -> None:
    url = _sqlite_url(tmp_path)
    assert rollbook("demo", DATABASE_URL=url).returncode == 0
    again = rollbook("demo", DATABASE_URL=url)
    assert again.returncode == 0, again.stderr
    assert "resetpassword admin" in again.stdout


def test_serve_says_running_only_once_it_answers(cli_env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [ROLLBOOK, "serve", "--port", str(port)],
        cwd=tmp_path,
        env={**cli_env, "DATABASE_URL": _sqlite_url(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if "running at" in line:
                break
        else:
            raise AssertionError("rollbook serve never said it was running")
        # No retry: whoever reads the line may open the address at once.
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
        assert "/admin/mailbox/" in server.stdout.readline(), "the local mailbox is not named"
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_worker_delivers_to_the_local_mailbox_without_an_smtp_host(
    rollbook: Run, cli_env: dict[str, str], tmp_path: Path
) -> None:
    url = _sqlite_url(tmp_path)
    assert rollbook("migrate", DATABASE_URL=url).returncode == 0
    db = Database(url)
    with db.write() as s:
        s.add(
            OutgoingEmail(
                kind="test",
                to_address="maya@example.org",
                to_name="Maya",
                subject="Your place",
                body_text="Hello Maya",
            )
        )
        s.commit()
    db.dispose()
    result = rollbook("worker", "--once", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    (entry,) = LocalMailbox(Path(cli_env["ROLLBOOK_DATA_DIR"]) / "mailbox").entries()
    assert entry.subject == "Your place"
    assert "maya@example.org" in entry.to
