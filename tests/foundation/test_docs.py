"""The README's promises: two quick-start commands, every variable listed, a working script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from domain.db.database import Database
from domain.db.migrate import upgrade_to_head
from domain.demo import load_demo

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 3)
    return README[start : end if end != -1 else None]


def _code_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)]


def test_quick_start_is_exactly_two_commands_that_exist() -> None:
    blocks = _code_blocks(_section("Quick start"))
    assert blocks == ["bash scripts/run.sh", "bash scripts/test.sh"]
    for script in ("scripts/run.sh", "scripts/test.sh", ".ci/run"):
        assert (ROOT / script).is_file()
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_every_variable_the_config_reads_is_documented() -> None:
    source = (ROOT / "domain" / "config.py").read_text()
    read = set(re.findall(r'get\("([A-Z_]+)"', source)) | set(
        re.findall(r'env_vars\.get\("([A-Z_]+)"', source)
    )
    assert {"DATABASE_URL", "SECRET_KEY", "SMTP_HOST", "BASE_URL"} <= read
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", example, flags=re.M))
    assert read <= listed, f"missing from .env.example: {read - listed}"
    assert read <= set(re.findall(r"`([A-Z_]+)`", _section("Configuration")))


def test_the_readme_script_example_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'script.sqlite3'}"
    upgrade_to_head(url)
    db = Database(url)
    load_demo(db)
    db.dispose()
    (script,) = [b for b in _code_blocks(_section("Scripting")) if "import" in b]
    env = {**os.environ, "DATABASE_URL": url, "ROLLBOOK_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Salsa Foundations - 8-week series" in result.stdout
    assert "registrations" in result.stdout
