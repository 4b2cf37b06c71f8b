"""``domain`` is framework-free: importing all of it loads no web framework."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("starlette", "sqladmin", "wtforms", "jinja2", "uvicorn")
ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter so nothing the test run imported counts.
CHECK = f"""
import importlib, json, pkgutil, sys
import domain
extra = sys.argv[1:]
names = [m.name for m in pkgutil.walk_packages(domain.__path__, "domain.")]
for name in names + extra:
    importlib.import_module(name)
forbidden = {FORBIDDEN!r}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps({{"modules": names, "loaded": loaded}}))
"""


def _import_domain(*extra: str) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"importing domain failed:\n{result.stderr}"
    return dict(json.loads(result.stdout))


def test_importing_every_domain_module_loads_no_web_framework() -> None:
    report = _import_domain()
    assert "domain.db.mapping" in report["modules"]
    assert "domain.demo" in report["modules"]
    assert len(report["modules"]) > 20
    assert report["loaded"] == []


def test_the_boundary_check_notices_a_web_framework() -> None:
    # The same check with a framework pulled in must report it.
    report = _import_domain("jinja2", "starlette.requests")
    assert "jinja2" in report["loaded"]
    assert "starlette" in report["loaded"]
