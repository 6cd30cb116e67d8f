"""Geometry of a quiz's grade distribution in the gradebook: ten bars, one per band of grades,
drawn by the server as SVG (the CSP allows no inline script or style, and no charting library
is loaded). Pure: the template only draws; the same counts are in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR, GAP, LEFT, TOP = 26, 6, 6, 18
PLOT_HEIGHT = 90
LABELS = 20  # room under the bars for each band's label


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    count: int
    label: str  # the band, as "0-9"

    @property
    def middle(self) -> float:
        return self.x + BAR / 2

    @property
    def start(self) -> str:
        """The band's lowest grade, the axis label under the bar."""
        return self.label.split("-")[0]


@dataclass(frozen=True)
class DistributionChart:
    width: int
    height: int
    baseline: int
    bars: list[Bar]
    bar_width: int = BAR


def distribution_chart(counts: Sequence[int], labels: Sequence[str]) -> DistributionChart:
    """Bars as tall as their share of the fullest band; an empty band is a flat line."""
    tallest = max(counts, default=0) or 1
    baseline = TOP + PLOT_HEIGHT
    bars = []
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        height = round(PLOT_HEIGHT * count / tallest, 2)
        bars.append(Bar(LEFT + i * (BAR + GAP), round(baseline - height, 2), height, count, label))
    width = LEFT * 2 + len(counts) * (BAR + GAP) - GAP
    return DistributionChart(width, baseline + LABELS, baseline, bars)
