"""What the Docker image and the compose file run is what these tests run.

No Docker engine runs here, so the image's command and healthcheck are read
from the Dockerfile and run for real against a migrated PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn
import yaml
from starlette.types import Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from domain.db.database import Database
from domain.db.migrate import upgrade_to_head
from tests.foundation.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instruction(name: str) -> list[str]:
    """The JSON (exec form) arguments of a Dockerfile instruction, lines joined."""
    text = DOCKERFILE.replace("\\\n", " ")
    match = re.search(rf"^{name}\s+(?:--\S+\s+)*(?:CMD\s+)?(\[.*\])\s*$", text, flags=re.M)
    assert match, f"no {name} in the Dockerfile"
    return list(json.loads(match.group(1)))


def test_image_is_slim_python_running_as_a_non_root_user() -> None:
    assert re.search(r"^FROM python:3\.11-slim\b", DOCKERFILE, flags=re.M)
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, flags=re.M)
    assert users and users[-1] not in ("root", "0")


def test_the_image_command_serves_both_sites_with_several_workers_and_passes_its_healthcheck(
    make_pg_database: object, tmp_path: Path
) -> None:
    url = str(make_pg_database())  # type: ignore[operator]
    upgrade_to_head(url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ROLLBOOK_DATA_DIR": str(tmp_path),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    command = _instruction("CMD")
    assert "rollbook.asgi:create_app" in " ".join(command)
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the image command never answered"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
        check = subprocess.run(_instruction("HEALTHCHECK"), env=env, timeout=30)
        assert check.returncode == 0
    finally:
        server.terminate()
        server.communicate(timeout=30)
    broken = subprocess.run(_instruction("HEALTHCHECK"), env=env, capture_output=True, timeout=30)
    assert broken.returncode != 0, "the healthcheck must fail when nothing answers"


def test_compose_migrates_once_before_the_app_and_the_worker_start() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    volume = services["db"]["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert services["migrate"]["command"] == ["rollbook", "migrate"]
    assert services["worker"]["command"] == ["rollbook", "worker"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql")
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}


def _uvicorn_arguments() -> list[str]:
    """The uvicorn command line the image runs, as uvicorn's own parser sees it."""
    command = _instruction("CMD")
    assert command[:2] == ["sh", "-c"], "the command is expected in shell form via sh -c"
    # The shell fills these from the image's ENV; any valid value does here.
    line = command[2].replace("$PORT", "8000").replace("$WEB_CONCURRENCY", "2")
    words = shlex.split(line)
    start = words.index("uvicorn")
    return words[start + 1 :]


def test_the_image_trusts_forwarded_headers_from_no_direct_client() -> None:
    # The port is published directly: if uvicorn believed X-Forwarded-For from
    # anyone, a client could pick its own address and dodge the per-address
    # rate limits and the sign-in lockout.
    arguments = _uvicorn_arguments()
    context = uvicorn.main.make_context("uvicorn", list(arguments))
    trusted = context.params["forwarded_allow_ips"] or "127.0.0.1"
    assert "*" not in str(trusted)
    assert not re.search(r"FORWARDED_ALLOW_IPS\s*=?\s*['\"]?\*", DOCKERFILE)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for service in compose["services"].values():
        environment = service.get("environment") or {}
        if isinstance(environment, dict):
            assert "*" not in str(environment.get("FORWARDED_ALLOW_IPS", ""))

    # And what uvicorn builds from those settings keeps a direct client's address.
    config = uvicorn.Config(
        "rollbook.asgi:create_app",
        proxy_headers=context.params["proxy_headers"],
        forwarded_allow_ips=context.params["forwarded_allow_ips"],
    )
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["client"][0])

    middleware = ProxyHeadersMiddleware(app, trusted_hosts=config.forwarded_allow_ips)
    scope: Scope = {
        "type": "http",
        "scheme": "http",
        "client": ("203.0.113.9", 50000),
        "headers": [(b"x-forwarded-for", b"198.51.100.1")],
    }

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    async def ignore(message: Message) -> None:
        return None

    # A thread of its own: a browser test earlier in the run may have left an
    # event loop running in this one, and asyncio.run refuses to nest.
    worker = threading.Thread(target=asyncio.run, args=(middleware(scope, nothing, ignore),))
    worker.start()
    worker.join(timeout=10)
    assert seen == ["203.0.113.9"]


def test_compose_database_takes_the_connections_of_every_process() -> None:
    # Each web worker and the worker keep a full pool; PostgreSQL refuses the
    # connection after max_connections (three are kept for superusers).
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    command = services["db"]["command"]
    max_connections = int(command[command.index("-c") + 1].split("=")[1])
    web_workers = int(re.search(r":-(\d+)\}", services["web"]["environment"]["WEB_CONCURRENCY"])[1])
    needed = (web_workers + 1) * Database.POOL_SIZE
    assert max_connections - 3 >= needed
