"""Reads the bar of actions at the top of a detail page (sqladmin/details.html)."""

from __future__ import annotations

import re

_BUTTON = re.compile(r"<a [^>]*class=\"([^\"]*\bdetail-action\b[^\"]*)\"[^>]*>(.*?)</a>", re.S)


def bar(html: str) -> str:
    """The bar's markup; it fails the test when the page has none."""
    found = re.search(r'<nav class="detail-actions[^"]*"[^>]*>(.*?)</nav>', html, re.S)
    assert found, "no bar of actions at the top of the page"
    return found.group(1)


def buttons(html: str) -> list[str]:
    """The labels of the bar's action buttons (moves, Edit, Delete), in page order."""
    return [" ".join(label.split()) for _, label in _BUTTON.findall(bar(html))]


def red_buttons(html: str) -> list[str]:
    """The labels of the bar's destructive buttons, which stand apart, in red."""
    return [
        " ".join(label.split())
        for classes, label in _BUTTON.findall(bar(html))
        if "btn-outline-danger" in classes and "detail-action-destructive" in classes
    ]


def link_of(html: str, label: str) -> str:
    """Where the bar's button ``label`` leads."""
    for match in re.finditer(r"<a [^>]*>(.*?)</a>", bar(html), re.S):
        if " ".join(match.group(1).split()) == label:
            href = re.search(r'href="([^"]+)"', match.group(0))
            assert href, label
            return href.group(1).replace("&amp;", "&")
    raise AssertionError(f"no button {label!r} in the bar")
