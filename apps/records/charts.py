"""Small charts drawn on the server as SVG: geometry computed here from plain numbers, drawn
by templates/records/_bar_chart.html and _line_chart.html with classes for colour (no inline
styles, no JavaScript). Each chart carries a title, a description that says what it shows in
words, and its rows for a table beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 26  # room for the value axis and the year labels
MAX_YEARS = 30  # a longer career shows its last 30 years (the table has every year)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    show_label: bool


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    slug: str  # for element ids: "works-per-year"
    title: str
    desc: str
    source: str
    rows: list[tuple[str, int]]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    points: str = ""  # a line chart's polyline
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT
    right: float = WIDTH - RIGHT


def _nice_max(value: int) -> int:
    """The axis top: `value` rounded up to 1, 2 or 5 times a power of ten."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def _ticks(top: int) -> list[Tick]:
    plot = HEIGHT - BOTTOM - TOP
    return [
        Tick(round(HEIGHT - BOTTOM - plot * share, 1), f"{top * share:g}") for share in (0, 0.5, 1)
    ]


def _desc(rows: list[tuple[str, int]], noun: str) -> str:
    if not rows:
        return f"No {noun} yet."
    peak = max(rows, key=lambda row: row[1])
    total = sum(value for _, value in rows)
    return (
        f"From {rows[0][0]} to {rows[-1][0]}: {total:,} {noun} in all, "
        f"the most in {peak[0]} ({peak[1]:,})."
    )


def year_series(counts: dict[int, int]) -> list[tuple[str, int]]:
    """Every year from the first to the last with a count, gaps as zero."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    return [(str(year), counts.get(year, 0)) for year in range(first, last + 1)]


def bar_chart(slug: str, title: str, rows: list[tuple[str, int]], *, noun: str, source: str):
    """A bar per row (label, value), the last MAX_YEARS drawn; None when there is nothing."""
    if not rows:
        return None
    drawn = rows[-MAX_YEARS:]
    top = _nice_max(max(value for _, value in drawn) or 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(drawn)
    every = 1 if len(drawn) <= 12 else 5
    bars = []
    for i, (label, value) in enumerate(drawn):
        height = round(plot_height * value / top, 1)
        show = every == 1 or (label.isdigit() and int(label) % every == 0)
        x = round(LEFT + i * slot + slot * 0.15, 1)
        bars.append(
            Bar(
                label,
                value,
                x,
                round(HEIGHT - BOTTOM - height, 1),
                round(slot * 0.7, 1),
                height,
                show,
            )
        )
    return Chart(slug, title, _desc(rows, noun), source, rows, bars=bars, ticks=_ticks(top))


def line_chart(
    slug: str, title: str, rows: list[tuple[str, int]], *, top: int, noun: str, source: str
):
    """A line through the rows' values on a 0..`top` axis; None with fewer than two rows."""
    if len(rows) < 2:
        return None
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / (len(rows) - 1)
    points = " ".join(
        f"{LEFT + i * step:.1f},{HEIGHT - BOTTOM - plot_height * value / top:.1f}"
        for i, (_, value) in enumerate(rows)
    )
    desc = (
        f"{len(rows)} {noun} from {rows[0][0]} to {rows[-1][0]}: "
        f"{rows[0][1]} at first, {rows[-1][1]} now, between {min(v for _, v in rows)} "
        f"and {max(v for _, v in rows)}."
    )
    return Chart(slug, title, desc, source, rows, ticks=_ticks(top), points=points)
