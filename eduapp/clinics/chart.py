"""The dashboard's chart: how many staff are in each status, as horizontal SVG bars drawn by
the server (no script, no inline style: the CSP allows neither). Pure geometry."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

LABEL_WIDTH, BAR_MAX, ROW, TOP = 110, 300, 28, 8


@dataclass(frozen=True)
class StatusBar:
    status: str
    count: int
    y: int
    width: float
    css: str


@dataclass(frozen=True)
class StatusChart:
    bars: list[StatusBar]
    width: int
    height: int
    label_width: int

    @property
    def summary(self) -> str:
        return ", ".join(f"{b.count} {b.status}" for b in self.bars)


def status_chart(counts: Counter[str]) -> StatusChart:
    from .dashboard import NEEDS_CORRECTION, STATUSES

    # A licence to correct is rare: its bar appears only when there is one.
    shown = [s for s in STATUSES if s != NEEDS_CORRECTION or counts.get(s)]
    largest = max(counts.values(), default=0) or 1
    bars = [
        StatusBar(
            status,
            counts.get(status, 0),
            TOP + index * ROW,
            BAR_MAX * counts.get(status, 0) / largest,
            "bar-" + status.replace(" ", "-"),
        )
        for index, status in enumerate(shown)
    ]
    return StatusChart(bars, LABEL_WIDTH + BAR_MAX + 60, TOP * 2 + ROW * len(bars), LABEL_WIDTH)
