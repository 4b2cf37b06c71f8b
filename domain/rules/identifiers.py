"""What a row id and a piece of stored text may be, checked before the database sees them.

Every id column is a PostgreSQL ``integer``: a number past 2147483647 makes
PostgreSQL refuse the whole statement ("integer out of range"), and a text
containing NUL cannot be stored at all. SQLite accepts both, so without these
checks a request that works in development answers a server error in production.
"""

from __future__ import annotations

import re

#: The largest id a PostgreSQL ``integer`` column holds (2**31 - 1).
MAX_ID = 2_147_483_647


def _decimal_up_to(maximum: int) -> str:
    """A regular expression for exactly the numbers 1..``maximum``, in plain digits.

    No sign, no spaces, no leading zero: an id is written the way the site writes it.
    """
    digits = str(maximum)
    width = len(digits)
    shorter = [f"[1-9][0-9]{{0,{width - 2}}}"] if width > 1 else []
    same_width = []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        below = int(digit) - 1
        if below >= lowest:
            span = str(below) if below == lowest else f"[{lowest}-{below}]"
            rest = width - position - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            same_width.append(f"{digits[:position]}{span}{tail}")
    return "|".join([*shorter, *same_width, digits])


#: Matches exactly the texts ``parse_id`` accepts; URL routes use it for id segments.
ID_PATTERN = _decimal_up_to(MAX_ID)
_ID = re.compile(f"(?:{ID_PATTERN})")


def parse_id(text: str) -> int | None:
    """The row id written in ``text``, or None when it is not one.

    An id is 1..2147483647 in ASCII decimal digits: "abc", "-1", "0", "007",
    "2147483648" and "²" are not ids (``str.isdigit`` would take the last).
    """
    if not isinstance(text, str) or _ID.fullmatch(text) is None:
        return None
    return int(text)


def is_storable(text: str) -> bool:
    """Whether PostgreSQL can store ``text``: no NUL character and no lone surrogate.

    A lone surrogate (U+D800..U+DFFF) has no UTF-8 form; one reaches Python from
    JSON escapes such as ``"\\ud800"``.
    """
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)
