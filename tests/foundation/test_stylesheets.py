"""Every stylesheet we ship is whole: a brace left open drops every rule after it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHEETS = sorted([*ROOT.glob("admin_site/static/*.css"), *ROOT.glob("public_site/static/*.css")])


def _unclosed_at(text: str) -> int | None:
    """The line where a block opens inside an unclosed rule, or where braces stop adding up."""
    depth = 0
    in_comment = False
    for number, line in enumerate(text.splitlines(), 1):
        i = 0
        while i < len(line):
            if in_comment:
                end = line.find("*/", i)
                if end < 0:
                    break
                in_comment, i = False, end + 2
                continue
            if line.startswith("/*", i):
                in_comment, i = True, i + 2
                continue
            depth += {"{": 1, "}": -1}.get(line[i], 0)
            if depth < 0:
                return number
            i += 1
        # A comment that starts a new section at the outer level must not sit inside a rule.
        if line.startswith("/* ----") and depth > 1:
            return number
    return None if depth == 0 else len(text.splitlines())


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_every_rule_of_the_stylesheet_is_closed(sheet: Path) -> None:
    assert _unclosed_at(sheet.read_text(encoding="utf-8")) is None


def test_the_check_finds_a_rule_left_open() -> None:
    assert _unclosed_at(".a {\n  color: red;\n/* ---- next */\n.b { color: blue; }\n") == 4
    assert _unclosed_at("@media (x) {\n  .a { color: red; }\n}\n") is None
