"""Hostile form submissions for the abuse tests, and the checks every answer must pass.

A submission starts from a valid form and, field by field, keeps the value,
leaves the field out, replaces it with something nasty (huge, any unicode,
lone surrogates sent as raw bytes, control characters, the wrong type) or sends
it twice; extra fields that name prices, statuses and ids are added. It goes out
url-encoded or as multipart, where a field may arrive as a file upload.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from domain.db.database import Database
from domain.db.tables import metadata

#: Each abuse test: a bounded number of submissions, no per-example deadline.
ABUSE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

#: Fields a visitor should never be able to set, sent as extras.
EXTRA_NAMES = (
    "id",
    "status",
    "payment_status",
    "amount_due",
    "price",
    "amount",
    "student_type",
    "course_id",
    "registration_id",
    "is_superuser",
    "created_at",
    "__proto__",
)

NASTY_CONSTANTS = (
    "",
    " ",
    "\x00",
    "a\x00b",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "Robert'); DROP TABLE students;--",
    "../../etc/passwd",
    "NaN",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "-0.001",
    "true",
    "[]",
    "{}",
    "None",
    "null",
    "2026-02-30 25:61:00",
    "\u202egnp.exe",
    "\ufeff",
    "x\r\nBcc: victim@example.com",
    "a@b.c\r\nSubject: spam",
    "🎉" * 300,
)

_control = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])
_surrogate = st.characters(categories=["Cs"])


def hostile_text() -> st.SearchStrategy[str]:
    """Text no well-behaved browser would send."""
    return st.one_of(
        st.text(max_size=40),
        st.text(alphabet=_control, min_size=1, max_size=20),
        st.text(alphabet=st.one_of(_surrogate, st.characters()), min_size=1, max_size=10),
        st.integers(min_value=256, max_value=200_000).map(lambda n: "A" * n),
        st.integers(min_value=100, max_value=5_000).map(lambda n: "é\x01" * n),
        st.sampled_from(NASTY_CONSTANTS),
    )


def hostile_token() -> st.SearchStrategy[str]:
    """What might follow a token link's path: any text, but short enough to be a URL."""
    return st.one_of(
        st.text(max_size=60),
        st.text(alphabet=st.one_of(_control, _surrogate), min_size=1, max_size=10),
        st.integers(min_value=100, max_value=3_000).map(lambda n: "t" * n),
        st.sampled_from(NASTY_CONSTANTS[:-1]),
    ).filter(lambda s: "/" not in s and s.strip() not in ("", ".", ".."))


@dataclass(frozen=True)
class Submission:
    """One form post: ordered fields (a field may repeat) and how it is encoded."""

    fields: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, bytes], ...]
    multipart: bool
    csrf: str  # "good", "missing" or "forged"

    def value(self, name: str) -> str | None:
        """The first value sent for ``name``, if any."""
        return next((v for k, v in self.fields if k == name), None)


def _encode(text: str) -> bytes:
    # Lone surrogates cannot be UTF-8; send the bytes a broken client would.
    return text.encode("utf-8", "surrogatepass")


def _header_text(name: str) -> str:
    # httpx writes a part's name into its header as UTF-8 and cannot encode a lone
    # surrogate; send the bytes a broken client would, read back one byte per character.
    return _encode(name).decode("latin-1")


@st.composite
def submissions(draw: Any, valid: Mapping[str, str]) -> Submission:
    """A mangled version of the ``valid`` form."""
    fields: list[tuple[str, str]] = []
    files: list[tuple[str, bytes]] = []
    multipart = draw(st.booleans())
    for name, good in valid.items():
        choice = draw(st.sampled_from(["keep", "keep", "drop", "hostile", "hostile", "twice"]))
        if choice == "keep":
            fields.append((name, good))
        elif choice == "hostile":
            if multipart and draw(st.integers(0, 4)) == 0:
                files.append((name, _encode(draw(hostile_text()))))
            else:
                fields.append((name, draw(hostile_text())))
        elif choice == "twice":
            fields.extend([(name, draw(hostile_text())), (name, good)])
    for name in draw(st.lists(st.sampled_from(EXTRA_NAMES), max_size=3, unique=True)):
        fields.append((name, draw(hostile_text())))
    if draw(st.integers(0, 9)) == 0:
        fields.append((draw(hostile_text()), draw(hostile_text())))
    csrf = draw(st.sampled_from(["good"] * 8 + ["missing", "forged"]))
    return Submission(tuple(fields), tuple(files), multipart, csrf)


def send(
    client: httpx.Client | Any,
    url: str,
    submission: Submission,
    token: str,
    *,
    token_field: str = "csrf_token",
) -> httpx.Response:
    """POST ``submission`` to ``url`` without following redirects."""
    fields = list(submission.fields)
    if submission.csrf == "good":
        fields.insert(0, (token_field, token))
    elif submission.csrf == "forged":
        fields.insert(0, (token_field, token[:-4] + "AAAA"))
    if submission.multipart:
        parts: list[tuple[str, tuple[str | None, bytes, str]]] = [
            (_header_text(name), (None, _encode(value), "text/plain")) for name, value in fields
        ]
        parts += [
            (_header_text(name), ("evil.txt", data, "text/plain"))
            for name, data in submission.files
        ]
        if not parts:
            parts = [("nothing", (None, b"", "text/plain"))]
        return client.post(url, files=parts, follow_redirects=False)  # type: ignore[no-any-return]
    body = "&".join(
        f"{quote_from_bytes(_encode(k))}={quote_from_bytes(_encode(v))}" for k, v in fields
    )
    return client.post(  # type: ignore[no-any-return]
        url,
        content=body.encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


#: Counted for "nothing written"; the rate limit counts every attempt by design.
_COUNTED = [table for table in metadata.sorted_tables if table.name != "rate_limit_buckets"]


def row_counts(db: Database) -> dict[str, int]:
    """How many rows each table holds."""
    query = select(
        *[
            select(func.count()).select_from(tbl).scalar_subquery().label(tbl.name)
            for tbl in _COUNTED
        ]
    )
    with db.read() as session:
        row = session.execute(query).one()
    return dict(row._mapping)


def growth(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    """Tables whose row count changed, and by how much."""
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


def assert_no_server_error(response: httpx.Response, submission: Submission) -> None:
    assert response.status_code < 500, (
        f"{response.status_code} for {submission!r:.500}\n{response.text[-800:]}"
    )


def assert_rejected_cleanly(
    response: httpx.Response, submission: Submission, changed: Mapping[str, int]
) -> None:
    """A refused submission writes nothing at all."""
    assert response.status_code in (400, 403, 404, 410, 413, 422, 429), response.status_code
    assert changed == {}, f"a refused submission wrote rows: {changed} ({submission!r:.300})"
