"""Fixtures for running the real ``rollbook`` command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROLLBOOK = str(Path(sys.executable).parent / "rollbook")

Run = Callable[..., subprocess.CompletedProcess[str]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """An environment with its own data directory and SQLite database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "PORT", "SECRET_KEY", "ROLLBOOK_ENV", "BASE_URL")
    }
    env["ROLLBOOK_DATA_DIR"] = str(tmp_path / "data")
    return env


@pytest.fixture
def rollbook(cli_env: dict[str, str], tmp_path: Path) -> Run:
    """Run ``rollbook ARGS`` from an unrelated directory and capture its output."""
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()

    def run(*args: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ROLLBOOK, *args],
            cwd=workdir,
            env={**cli_env, **env},
            input=input,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
