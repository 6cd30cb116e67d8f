"""Geometry of the item-analysis chart, drawn by the server as SVG (the CSP forbids inline
script and style, and users may be offline, so no charting library is loaded).

Per question, two bars from a zero line: facility (0 to 100%) and discrimination x 100
(-100 to 100). Dashed lines mark the flag thresholds. Pure: the template only draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .itemstats import LOW_DISCRIMINATION, TOO_EASY, TOO_HARD

LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40
PLOT_HEIGHT = 240
GAP = 4
MIN_GROUP, MAX_GROUP = 28, 56  # px per question: narrower as questions add up, to a floor
MIN_WIDTH = 560
FITS = 920  # wider than the page's column: the figure scrolls instead of shrinking the text


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str  # "bar-facility" or "bar-discrimination"
    title: str


@dataclass(frozen=True)
class Line:
    y: float
    label: str
    css: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    zero_y: float
    ticks: list[Line]
    thresholds: list[Line]
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x of each question's label, and the label
    missing: list[tuple[float, str]]  # where an undefined figure is marked, and why

    @property
    def bottom(self) -> int:
        return TOP + PLOT_HEIGHT

    @property
    def scrolls(self) -> bool:
        return self.width > FITS


def _hundred(value: Fraction | Decimal) -> float:
    return float(value) * 100


def build_chart(
    items: Sequence[tuple[str, Fraction | None, Decimal | None]],
) -> Chart:
    """``items`` are (label, facility 0..1, discrimination -1..1) per question."""
    lowest = min((_hundred(d) for _, _, d in items if d is not None), default=0.0)
    floor = -100 if lowest < -50 else -50
    scale = PLOT_HEIGHT / (100 - floor)

    def y(value: float) -> float:
        return round(TOP + (100 - value) * scale, 2)

    group = max(MIN_GROUP, min(MAX_GROUP, (FITS - LEFT - RIGHT) // max(1, len(items))))
    bar = (group - GAP - 8) / 2
    width = max(MIN_WIDTH, LEFT + group * len(items) + RIGHT)
    zero = y(0)
    ticks = [Line(y(v), str(v), "tick") for v in range(floor, 101, 25)]
    thresholds = [
        Line(y(_hundred(TOO_EASY)), "facility 90%", "threshold-facility"),
        Line(y(_hundred(TOO_HARD)), "facility 30%", "threshold-facility"),
        Line(y(_hundred(LOW_DISCRIMINATION)), "discrimination 25", "threshold-discrimination"),
    ]
    bars, labels, missing = [], [], []
    for i, (label, facility, discrimination) in enumerate(items):
        left = LEFT + i * group + 4
        labels.append((left + bar + GAP / 2, label))
        for offset, value, css, name in (
            (0, facility, "bar-facility", "facility"),
            (bar + GAP, discrimination, "bar-discrimination", "discrimination"),
        ):
            x = left + offset
            if value is None:
                missing.append((x + bar / 2, f"{label}: {name} not defined"))
                continue
            top = y(max(0.0, _hundred(value)))
            height = round(abs(y(_hundred(value)) - zero), 2)
            shown = f"{_hundred(value):.1f}" + ("%" if name == "facility" else "")
            bars.append(Bar(x, top, bar, height, css, f"{label} {name}: {shown}"))
    return Chart(
        width,
        TOP + PLOT_HEIGHT + BOTTOM,
        LEFT,
        width - RIGHT,
        zero,
        ticks,
        thresholds,
        bars,
        labels,
        missing,
    )
