"""What both sites accept from a request: ids in paths, text in query strings and forms."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from site_kit.request_input import IdConvertor, form_text, query_has_nul

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def _page(_request: object) -> None:  # pragma: no cover - never called
    return None


def test_an_id_route_matches_only_ids() -> None:
    route = Route("/courses/{course_id:id}", _page)
    assert isinstance(route.param_convertors["course_id"], IdConvertor)
    assert route.path_regex.match("/courses/2147483647")
    for bad in ("0", "-1", "007", "abc", "2147483648", "99999999999999999999"):
        assert not route.path_regex.match(f"/courses/{bad}"), bad
    assert route.url_path_for("_page", course_id=42) == "/courses/42"
    with pytest.raises(ValueError, match="not a row id"):
        route.url_path_for("_page", course_id=2**31)


@pytest.mark.parametrize(
    ("query", "has_nul"),
    [(b"q=hill", False), (b"q=hi%00ll", True), (b"q=%2500", False), (b"q=a\x00", True)],
)
def test_a_query_string_holding_nul_is_recognised(query: bytes, has_nul: bool) -> None:
    assert query_has_nul(query) is has_nul


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b"name=Zo%C3%AB&city=Z%C3%BCrich", "name=Zoë&city=Zürich"),
        (b"name=Ana+Lopez&note=100%25", "name=Ana Lopez&note=100%"),
        (b"name=%E6%9D%8E", "name=李"),
        (b"name=a%00b", "name=a\x00b"),  # text; NUL is each site's own decision
        (b"", ""),
    ],
)
def test_a_url_encoded_form_of_utf8_text_reads_as_that_text(body: bytes, text: str) -> None:
    assert form_text(body, URLENCODED) == text


@pytest.mark.parametrize(
    "body",
    [
        b"name=Zo%FF",  # an escape that is not UTF-8: Starlette would store U+FFFD
        b"name=Zo%C3",  # a UTF-8 sequence cut short
        b"name=%ED%A0%80",  # a lone surrogate, encoded
        b"name=Zo\xc3\xab",  # raw bytes: Starlette would store Latin-1 mojibake
    ],
)
def test_a_url_encoded_form_that_is_not_utf8_is_not_text(body: bytes) -> None:
    assert form_text(body, URLENCODED) is None


def test_a_multipart_form_must_be_utf8_throughout() -> None:
    part = b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n%s\r\n--b--\r\n'
    assert form_text(part % "Zoë".encode(), MULTIPART) == (part % "Zoë".encode()).decode()
    assert form_text(part % b"100%FF literally", MULTIPART) is not None
    assert form_text(part % b"Zo\xff", MULTIPART) is None
