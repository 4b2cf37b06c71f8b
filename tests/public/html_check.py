"""A strict well-formedness check of a rendered page, with the standard library's parser.

Browsers repair broken markup silently, each in its own way: a ``<section>``
closed by ``</div>`` lets the next paragraph escape its column. This check does
no repair: every element that is opened is closed by its own end tag, in order.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that have no end tag.
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
#: Elements a ``<p>`` may not hold: the browser would end the paragraph before them.
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()

    def _where(self) -> str:
        line, column = self.getpos()
        return f"line {line}:{column}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        open_tags = [name for name, _ in self.stack]
        if tag in BLOCKS and "p" in open_tags[-1:]:
            self.problems.append(f"<{tag}> inside <p> at {self._where()}")
        if tag == "form" and "form" in open_tags:
            self.problems.append(f"<form> inside <form> at {self._where()}")
        for name, value in attrs:
            if name == "id" and value:
                if value in self.ids:
                    self.problems.append(f"id {value!r} used twice ({self._where()})")
                self.ids.add(value)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.problems.append(f"<{tag}/> is not a void element ({self._where()})")
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}> closes a void element ({self._where()})")
            return
        if not self.stack:
            self.problems.append(f"</{tag}> with nothing open ({self._where()})")
            return
        opened, line = self.stack[-1]
        if opened != tag:
            self.problems.append(f"</{tag}> at {self._where()} closes <{opened}> of line {line}")
            # Recover as a browser would not: drop back to the matching element if any.
            names = [name for name, _ in self.stack]
            if tag in names:
                del self.stack[len(names) - 1 - names[::-1].index(tag) :]
            return
        self.stack.pop()


def markup_problems(page: str) -> list[str]:
    """Every unbalanced or mis-nested tag of ``page``; empty when it is well formed."""
    checker = _Checker()
    checker.feed(page)
    checker.close()
    checker.problems += [f"<{tag}> of line {line} is never closed" for tag, line in checker.stack]
    return checker.problems
