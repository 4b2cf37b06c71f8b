"""What the Docker image and the compose file run is what these tests run.

No Docker engine runs here, so the image's command and healthcheck are read
from the Dockerfile and run for real against a migrated PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from domain.migrate import upgrade_to_head
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
