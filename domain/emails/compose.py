"""Shared pieces of every message: safe header text, dates, money, and a body

written once and rendered both as plain text and as escaped HTML.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain import formatting
from domain.model import Course, Student
from domain.outbox import Email
from domain.rules.schedule import local_date
from domain.rules.settings import Settings

# Column sizes of outgoing_emails: a longer value would make the insert fail.
_MAX_SUBJECT = 255
_MAX_NAME = 255
_MAX_ADDRESS = 254
_SPACES = re.compile(r"\s+")


def one_line(value: str, *, limit: int = _MAX_SUBJECT) -> str:
    """``value`` with every control or line-break character turned into a space.

    Headers are built from names people typed; without CR and LF in them no
    text can start a header of its own.
    """
    cleaned = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in value
    )
    return _SPACES.sub(" ", cleaned).strip()[:limit]


def clean_address(value: str) -> str:
    """An address with spaces and control characters removed (the mailer checks the rest)."""
    return "".join(c for c in one_line(value, limit=_MAX_ADDRESS) if c != " ")


def local_time(moment: datetime, settings: Settings) -> str:
    """``moment`` on the organisation's wall clock, as the sites write it.

    "Sat 5 Dec 2026, 10:00" (``domain.formatting.local_datetime``): no zone name.
    """
    return formatting.local_datetime(moment, settings.timezone)


def course_dates(course: Course, settings: Settings) -> str:
    """When a course runs: its start on a single day, else its first and last days."""
    zone = settings.timezone
    ends = course.ends_at
    if ends is None or local_date(ends, zone) == local_date(course.starts_at, zone):
        return local_time(course.starts_at, settings)
    return formatting.course_dates(course.starts_at, ends, zone)


def course_facts(course: Course, settings: Settings) -> list[tuple[str, str]]:
    """The Course / When / Where rows most messages show."""
    return [
        ("Course", course.title),
        ("When", course_dates(course, settings)),
        ("Where", course.location),
    ]


def greeting(name: str) -> str:
    return f"Hello {name}," if name else "Hello,"


def money(amount: Decimal, currency: str = "USD") -> str:
    return formatting.money(amount, currency)


def _safe_url(url: str) -> str:
    # Links are built from BASE_URL or are Venmo app links; anything else
    # (javascript:, data:) is a bug and must not reach a reader.
    if not url.startswith(("https://", "http://", "venmo://")):
        raise ValueError(f"refusing to put a non-http link in an email: {url[:40]!r}")
    return one_line(url, limit=2000)


@dataclass(frozen=True)
class _Para:
    text: str


@dataclass(frozen=True)
class _Facts:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Items:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class _Link:
    label: str
    url: str


@dataclass
class Body:
    """A message body as a list of blocks, rendered to text and to escaped HTML."""

    greeting: str
    blocks: list[_Para | _Facts | _Items | _Link] = field(default_factory=list)

    def para(self, text: str) -> Body:
        self.blocks.append(_Para(text))
        return self

    def facts(self, rows: list[tuple[str, str]]) -> Body:
        """Label: value lines (amount due, dates, location); empty values are left out."""
        self.blocks.append(_Facts(tuple((label, value) for label, value in rows if value)))
        return self

    def items(self, lines: list[str]) -> Body:
        self.blocks.append(_Items(tuple(lines)))
        return self

    def link(self, label: str, url: str) -> Body:
        self.blocks.append(_Link(label, _safe_url(url)))
        return self

    def text(self, signature: str, contact: Sequence[tuple[str, str]] = ()) -> str:
        out = [self.greeting, ""]
        for block in self.blocks:
            if isinstance(block, _Para):
                out.append(block.text)
            elif isinstance(block, _Facts):
                out += [f"{label}: {value}" for label, value in block.rows]
            elif isinstance(block, _Items):
                out += [f"- {line}" for line in block.lines]
            else:
                out += [f"{block.label}:", block.url]
            out.append("")
        out.append(signature)
        out += [f"{label}: {value}" for label, value in contact]
        return "\n".join(out) + "\n"

    def html(self, title: str, signature: str, contact: Sequence[tuple[str, str]] = ()) -> str:
        e = html.escape
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(title)}</title></head>",
            '<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a;">',
            f"<p>{e(self.greeting)}</p>",
        ]
        for block in self.blocks:
            if isinstance(block, _Para):
                out.append(f"<p>{e(block.text)}</p>")
            elif isinstance(block, _Facts):
                rows = "".join(
                    '<tr><th scope="row" style="text-align: left; padding-right: 1em;">'
                    f"{e(label)}</th><td>{e(value)}</td></tr>"
                    for label, value in block.rows
                )
                out.append(f"<table>{rows}</table>")
            elif isinstance(block, _Items):
                out.append(
                    "<ul>" + "".join(f"<li>{e(line)}</li>" for line in block.lines) + "</ul>"
                )
            else:
                out.append(f'<p><a href="{e(block.url)}">{e(block.label)}</a></p>')
        out.append(f"<p>{e(signature)}</p>")
        if contact:
            lines = "<br>".join(
                f"{e(label)}: {_contact_html(label, value)}" for label, value in contact
            )
            out.append(f'<p style="color: #4b5563; font-size: 0.9em;">{lines}</p>')
        out.append("</body></html>")
        return "\n".join(out) + "\n"


def contact_lines(settings: Settings) -> list[tuple[str, str]]:
    """The organisation's contact at the foot of every message: (label, value), set ones only."""
    rows = [
        ("Email", clean_address(settings.contact_email)),
        ("Phone", one_line(settings.contact_phone)),
        ("Address", one_line(settings.postal_address)),
    ]
    return [(label, value) for label, value in rows if value]


def _contact_html(label: str, value: str) -> str:
    e = html.escape
    if label == "Email":
        return f'<a href="mailto:{e(value)}">{e(value)}</a>'
    return e(value)


def make_email(
    *,
    kind: str,
    to_address: str,
    to_name: str,
    subject: str,
    body: Body,
    settings: Settings,
) -> Email:
    """An ``Email`` whose header fields are single lines and whose HTML is escaped."""
    organisation = one_line(settings.organisation_name) or "Rollbook"
    subject_line = one_line(f"{subject} - {organisation}")
    contact = contact_lines(settings)
    return Email(
        kind=kind,
        to_address=clean_address(to_address),
        to_name=one_line(to_name, limit=_MAX_NAME),
        subject=subject_line,
        body_text=body.text(organisation, contact),
        body_html=body.html(subject_line, organisation, contact),
    )


def student_email(
    *, kind: str, student: Student, subject: str, body: Body, settings: Settings
) -> Email:
    """``make_email`` addressed to ``student``."""
    return make_email(
        kind=kind,
        to_address=student.email or "",
        to_name=student.full_name,
        subject=subject,
        body=body,
        settings=settings,
    )
