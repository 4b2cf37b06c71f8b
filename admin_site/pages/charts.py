"""The dashboard's charts laid out for SVG: bars, their labels and their figures.

Geometry is computed here so that ``dashboard_chart.html`` only draws it: every
chart is inline SVG styled by classes (the admin CSP forbids inline styles and
outside hosts), with a <title>, a <desc> and a table of the same figures for
people who do not see the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.formatting import money
from domain.services.report_charts import CountPoint, MoneyPoint, RatePoint
from domain.services.reports import UpcomingCourse

#: The SVG's own units; the picture scales to its card's width.
WIDTH = 360
HEIGHT = 180
_TOP, _BOTTOM, _LEFT, _RIGHT = 18, 24, 6, 6
_ROW = 26


@dataclass(frozen=True)
class Bar:
    #: Under the bar ("3 Mar"); in the table, ``period`` ("Week of 3 March 2030").
    label: str
    period: str
    #: The figure as read ("4", "$1,200.00", "75%", "No marks yet").
    figure: str
    x: float
    y: float
    width: float
    height: float
    #: Whether the figure is written above the bar (short figures only).
    show_figure: bool
    #: A full course (fill chart), drawn in another colour.
    full: bool = False
    #: A period without data (a week with no attendance mark), drawn as a dash, not a zero.
    missing: bool = False


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    #: One sentence: what the chart shows and its main figure, for screen readers.
    description: str
    #: Column headers of the chart's table.
    period_header: str
    figure_header: str
    bars: list[Bar]
    height: int
    #: Horizontal bars (one row per course) rather than columns.
    horizontal: bool = False
    #: The top of the scale, written at the top left ("Max 12").
    scale_label: str = ""

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def empty(self) -> bool:
        return not self.bars


def _columns(values: Sequence[float]) -> tuple[float, float, float]:
    """Column width, step and the largest value (at least 1)."""
    step = (WIDTH - _LEFT - _RIGHT) / max(1, len(values))
    return step * 0.7, step, max([1.0, *values])


def _column_bars(
    values: Sequence[float],
    labels: Sequence[tuple[str, str]],
    figures: Sequence[str],
    *,
    show_figures: bool,
    sparse_labels: bool = False,
    missing: Sequence[bool] = (),
) -> list[Bar]:
    width, step, top = _columns(values)
    plot = HEIGHT - _TOP - _BOTTOM
    # With ``sparse_labels`` every other period is named under its bar (the
    # latest always), so that long labels never run into each other; the table
    # names them all.
    last = len(values) - 1
    bars = []
    for n, (value, (label, period), figure) in enumerate(zip(values, labels, figures, strict=True)):
        height = plot * value / top
        bars.append(
            Bar(
                label=label if not sparse_labels or (last - n) % 2 == 0 else "",
                period=period,
                figure=figure,
                x=round(_LEFT + n * step + (step - width) / 2, 1),
                y=round(_TOP + plot - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                show_figure=show_figures,
                missing=bool(missing) and missing[n],
            )
        )
    return bars


def _week_labels(days: Sequence[date]) -> list[tuple[str, str]]:
    return [(f"{d.day} {d:%b}", f"Week of {d.day} {d:%B %Y}") for d in days]


def signups_chart(points: Sequence[CountPoint]) -> Chart:
    counts = [p.count for p in points]
    total = sum(counts)
    return Chart(
        key="signups",
        title="Sign-ups per week",
        description=(
            f"Registrations made in each of the last {len(points)} weeks: "
            f"{total} in all, {counts[-1] if counts else 0} this week."
        ),
        period_header="Week",
        figure_header="Sign-ups",
        bars=_column_bars(
            counts,
            _week_labels([p.period.first_day for p in points]),
            [str(c) for c in counts],
            show_figures=True,
            sparse_labels=True,
        ),
        height=HEIGHT,
    )


def revenue_chart(points: Sequence[MoneyPoint], currency: str) -> Chart:
    amounts = [p.amount for p in points]
    total = sum(amounts, Decimal("0.00"))
    top = max([Decimal("0.00"), *amounts])
    return Chart(
        key="revenue",
        title="Revenue confirmed per month",
        description=(
            f"Payments confirmed in each of the last {len(points)} months and not refunded: "
            f"{money(total, currency)} in all."
        ),
        period_header="Month",
        figure_header="Revenue confirmed",
        bars=_column_bars(
            [float(a) for a in amounts],
            [(f"{p.period.first_day:%b}", f"{p.period.first_day:%B %Y}") for p in points],
            [money(a, currency) for a in amounts],
            show_figures=False,
        ),
        height=HEIGHT,
        scale_label=f"Highest month: {money(top, currency)}" if top else "",
    )


def attendance_chart(points: Sequence[RatePoint]) -> Chart:
    marked = sum(p.marked for p in points)
    attended = sum(p.attended for p in points)
    overall = f"{round(100 * attended / marked)}%" if marked else "no marks yet"
    return Chart(
        key="attendance",
        title="Attendance rate per week",
        description=(
            f"Of the attendance marks taken at each week's sessions, the share present or "
            f"late, over the last {len(points)} weeks: {overall} overall."
        ),
        period_header="Week",
        figure_header="Attended",
        bars=_column_bars(
            [float(p.percent or 0) for p in points],
            _week_labels([p.period.first_day for p in points]),
            [
                f"{p.percent}% ({p.attended} of {p.marked})" if p.marked else "No marks"
                for p in points
            ],
            show_figures=False,
            sparse_labels=True,
            missing=[p.marked == 0 for p in points],
        ),
        height=HEIGHT,
        scale_label="Scale: 0 to 100%",
    )


def fill_chart(courses: Sequence[UpcomingCourse]) -> Chart:
    plot = WIDTH - _LEFT - _RIGHT
    bars = []
    for n, course in enumerate(courses):
        share = min(1.0, course.seats_taken / course.seats) if course.seats > 0 else 1.0
        title = course.title if len(course.title) <= 30 else course.title[:29] + "…"
        bars.append(
            Bar(
                label=title,
                period=f"{course.title}, {course.starts_at.day} {course.starts_at:%b %Y}",
                figure=f"{course.fill_percent}% ({course.seats_taken} of {course.seats} seats)",
                x=_LEFT,
                y=_TOP + n * _ROW,
                width=round(plot * share, 1),
                height=8,
                show_figure=True,
                full=course.fill_percent >= 100,
            )
        )
    return Chart(
        key="fill",
        title="Fill rate of the next courses",
        description=f"Seats taken in the next {len(courses)} courses to start.",
        period_header="Course",
        figure_header="Seats taken",
        bars=bars,
        height=_TOP + max(1, len(courses)) * _ROW,
        horizontal=True,
    )
