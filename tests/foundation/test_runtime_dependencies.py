"""`pip install .` without extras gives a Rollbook that starts and serves its pages.

The test environment holds the dev extras too, which can hide a missing runtime
dependency (greenlet came with Playwright). So ``rollbook serve`` runs here in an
interpreter that refuses to import any installed module outside the closure of
Rollbook's own ``dependencies`` (read from its installed metadata), and the
first pages are fetched. CI also installs the package for real into a fresh
virtual environment (``scripts/smoke_install.sh``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.foundation.conftest import Run, free_port

# Runs `rollbook serve` with imports limited to Rollbook's runtime dependencies.
_SERVE_WITH_RUNTIME_DEPENDENCIES_ONLY = r"""
import importlib.abc
import importlib.metadata as metadata
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

OWN = {"domain", "site_kit", "admin_site", "public_site", "rollbook"}


def runtime_closure(root):
    extras_of = {}
    todo = [(root, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in extras_of and extras <= extras_of[key]:
            continue
        extras_of[key] = extras_of.get(key, frozenset()) | extras
        for raw in metadata.requires(name) or []:
            requirement = Requirement(raw)
            wanted = extras_of[key] | {""}
            if requirement.marker and not any(
                requirement.marker.evaluate({"extra": extra}) for extra in wanted
            ):
                continue
            todo.append((requirement.name, frozenset(requirement.extras)))
    return set(extras_of)


runtime = runtime_closure("rollbook")
# The modules of every installed distribution outside the closure (dev tools).
hidden = {
    module
    for module, distributions in metadata.packages_distributions().items()
    if not any(canonicalize_name(d) in runtime for d in distributions)
} - OWN


class RuntimeDependenciesOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in hidden or top in sys.modules:
            return None
        raise ModuleNotFoundError(
            f"No module named {top!r} (installed here, but not a runtime dependency)", name=top
        )


sys.meta_path.insert(0, RuntimeDependenciesOnly())
from rollbook.cli import main

sys.exit(main(["serve", "--port", sys.argv[1]]))
"""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long enough passphrase"


def test_rollbook_serves_its_pages_with_its_runtime_dependencies_only(
    rollbook: Run, cli_env: dict[str, str], tmp_path: Path
) -> None:
    superuser = rollbook(
        "createsuperuser", "--username", "admin", "--password-stdin", input=PASSWORD + "\n"
    )
    assert superuser.returncode == 0, superuser.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE_WITH_RUNTIME_DEPENDENCIES_ONLY, str(port)],
        cwd=tmp_path / "elsewhere",
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(f"{base}/health", server)
        with httpx.Client(base_url=base, timeout=10) as client:
            for path in ("/", "/signup/", "/admin/login", "/health"):
                assert client.get(path).status_code == 200, path
            token = _CSRF.search(client.get("/admin/login").text)
            assert token
            signed_in = client.post(
                "/admin/login",
                data={"username": "admin", "password": PASSWORD, "csrf_token": token.group(1)},
            )
            assert signed_in.status_code in (302, 303), signed_in.text
            for path in ("/admin/", "/admin/course/list", "/admin/mailbox/"):
                assert client.get(path).status_code == 200, path
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output, output


def _wait_until_it_answers(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise AssertionError(f"rollbook serve exited:\n{output}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("rollbook serve did not answer within 60 seconds")
