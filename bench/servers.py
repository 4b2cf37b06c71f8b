"""Real servers for the benchmarks and the fault tests: a PostgreSQL cluster and the app.

``PgCluster`` is a throwaway PostgreSQL cluster of its own (initdb into a
temporary directory, its own port) so a test may restart or stop it without
touching the shared test server. PostgreSQL refuses to run as root, so when we
are root its programs run as the ``postgres`` user (as scripts/postgres.sh does).

``AppServer`` runs an ASGI factory under uvicorn in a subprocess on a free port.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent


def pg_bin() -> Path:
    """The newest installed PostgreSQL server binaries directory."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return found[-1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: Sequence[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


class PgCluster:
    """A PostgreSQL cluster in a temporary directory, on 127.0.0.1 and a port of its own."""

    def __init__(self, *, max_connections: int = 200, durable: bool = False) -> None:
        self.port = free_port()
        # Directly under /tmp: pytest's own tmp_path is private to root, which
        # the postgres user could not enter.
        self.data = Path(tempfile.mkdtemp(prefix="rollbook-pg-"))
        self.max_connections = max_connections
        #: False trades crash safety for speed, like the shared test server.
        self.durable = durable
        self.bin = pg_bin()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / args[0]), *args[1:]]),
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def _options(self) -> str:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections}"
        )
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        return options

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            if os.geteuid() == 0:
                shutil.chown(self.data, "postgres", "postgres")
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-w",
            "-o",
            self._options(),
            "start",
        )

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every open connection is cut."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-w",
            "-m",
            "fast",
            "-o",
            self._options(),
            "restart",
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")

    def pids(self) -> list[int]:
        """The postmaster and its current children (backends and helpers)."""
        try:
            postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        found = [postmaster]
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children")
        with contextlib.suppress(OSError):
            found += [int(p) for p in children.read_text().split()]
        return found

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.remove()


def app_environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a Rollbook process needs: database, secret, data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "DATABASE_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "ROLLBOOK_DATA_DIR": str(data_dir),
            "SECRET_KEY": "benchmark-and-fault-test-secret-key-0123456789",
            "BASE_URL": "http://127.0.0.1:8000",
            # A mail server is named (none listens) so that no app process runs the
            # embedded outbox worker: the worker is measured apart, as in production.
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


class AppServer:
    """``uvicorn <factory> --factory`` in a subprocess on 127.0.0.1 and a free port.

    uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1 by default, so a local load
    generator can give each simulated visitor an address of its own, exactly as
    a reverse proxy in front of Rollbook would.
    """

    def __init__(
        self,
        factory: str,
        env: Mapping[str, str],
        *,
        workers: int = 1,
        log_path: Path | None = None,
    ) -> None:
        self.factory = factory
        self.env = dict(env)
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            self.factory,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self._log = open(self.log_path, "wb") if self.log_path else None  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base_url + "/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"uvicorn did not answer on {self.base_url} within {timeout}s")

    def pids(self) -> list[int]:
        """The server process and, with several workers, its worker processes."""
        assert self.process is not None
        found = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            found += [int(p) for p in children.read_text().split()]
        return found

    def stop(self) -> None:
        try:
            self._stop_process()
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None

    def _stop_process(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # Its own session: signal the whole group (the server and its workers only).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
