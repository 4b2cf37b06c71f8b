"""A certificate of attendance as a one-page PDF (fpdf2), from words already formatted.

The PDF's built-in fonts hold Latin-1 only; a character beyond it is written
as its closest Latin-1 letters ("Łódź" stays readable as "Lodz"), never dropped
silently into an error.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from fpdf import FPDF

_TYPOGRAPHY = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
     "\u0141": "L", "\u0142": "l", "\u2026": "..."}
)  # fmt: skip
_FONT = "helvetica"
_INK = (33, 37, 41)
_ACCENT = (31, 78, 121)


@dataclass(frozen=True)
class CertificateText:
    """What a certificate says, each line in words."""

    organisation: str
    participant: str
    course: str
    dates: str
    hours: str
    sessions: str
    issued_on: str
    code: str
    verify_url: str


def latin1(text: str) -> str:
    """``text`` in the characters the PDF's built-in fonts can draw."""
    text = text.translate(_TYPOGRAPHY)
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(plain or "?")
    return "".join(out)


def render_certificate(text: CertificateText) -> bytes:
    """The certificate: A4 landscape, one page."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(latin1(f"Certificate of attendance - {text.participant}"))
    pdf.set_author(latin1(text.organisation))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    width = pdf.w - 40
    pdf.set_xy(20, 26)

    def line(
        words: str, size: float, *, style: str = "", gap: float = 4, accent: bool = False
    ) -> None:
        pdf.set_font(_FONT, style=style, size=size)
        pdf.set_text_color(*(_ACCENT if accent else _INK))
        pdf.set_x(20)
        pdf.multi_cell(width, size * 0.5, latin1(words), align="C")
        pdf.ln(gap)

    line(text.organisation, 16, style="B", gap=8)
    line("Certificate of attendance", 30, style="B", gap=10, accent=True)
    line("This certifies that", 13, gap=4)
    line(text.participant, 26, style="B", gap=6)
    line("attended", 13, gap=4)
    line(text.course, 20, style="B", gap=3)
    line(text.dates, 13, gap=10)
    line(f"Hours attended: {text.hours} ({text.sessions})", 14, style="B", gap=12)
    line(f"Issued on {text.issued_on}", 12, gap=3)
    line(f"Verification code: {text.code}", 12, style="B", gap=3)
    line(f"Check that this certificate is genuine at {text.verify_url}", 10, gap=0)
    return bytes(pdf.output())
