"""The review calendar My learning draws: due counts per day for the next five weeks, as
SVG bar geometry computed here (the template only writes attributes; the CSP forbids
``style=``) and as rows of text for anyone who does not see the chart. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DAYS = 35
WIDTH, HEIGHT, GAP = 700, 120, 2


@dataclass
class Bar:
    day: date
    count: int
    x: int
    y: int
    width: int
    height: int


def bars(days: list[tuple[date, int]]) -> list[Bar]:
    peak = max((n for _, n in days), default=0) or 1
    slot = WIDTH // max(len(days), 1)
    chart = HEIGHT - 20  # room for the week labels
    out = []
    for i, (day, count) in enumerate(days):
        height = round(chart * count / peak)
        out.append(Bar(day, count, i * slot, chart - height, slot - GAP, height))
    return out


def weeks(days: list[tuple[date, int]]) -> list[list[tuple[date, int]]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]
