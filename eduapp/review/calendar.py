"""The review calendar My learning draws: due counts per day for the next five weeks, as
SVG bar geometry computed here (no ``style=``: the CSP forbids it) and as rows of text for
anyone who does not see the chart. Pure.

Both are written here, not in a template: 35 bars and 35 cells cost a Jinja template about a
third of My learning's rendering, and every value is a number or a date, so there is nothing
to escape. :func:`drawn` keeps the last few hundred drawings by their days and counts: the
markup follows from those alone (nobody's name or id is in it), and a learner who comes back
to My learning the same day meets the same figures."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

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


def chart_svg(shown: list[Bar]) -> Markup:
    """The bars, each with its day and count as a tooltip, and a label every seven days."""
    parts = [
        f'<svg class="review-calendar" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="review-calendar-title">'
        '<title id="review-calendar-title">Cards due each day for the next five weeks</title>'
    ]
    for i, bar in enumerate(shown):
        parts.append(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'fill="#3b6ea5"><title>{bar.day.isoformat()}: {bar.count}</title></rect>'
        )
        if i % 7 == 0:
            parts.append(
                f'<text x="{bar.x}" y="{HEIGHT - 4}" font-size="11" fill="#333">'
                f"{bar.day.strftime('%d %b')}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def table_html(rows: list[list[tuple[date, int]]]) -> Markup:
    """The same counts as a table, a week a row, for screen readers and anyone without SVG."""
    head = "".join(f'<th scope="col">{day.strftime("%A")}</th>' for day, _ in rows[0])
    body = "".join(
        f'<tr><th scope="row">{week[0][0].isoformat()}</th>'
        + "".join(
            f'<td><span class="visually-hidden">{day.isoformat()}: </span>{count}</td>'
            for day, count in week
        )
        + "</tr>"
        for week in rows
    )
    return Markup(
        '<table class="review-calendar-table"><caption>Cards due per day</caption>'
        f'<thead><tr><th scope="col">Week from</th>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


@functools.lru_cache(maxsize=512)
def drawn(days: tuple[tuple[date, int], ...]) -> tuple[Markup, Markup]:
    """The chart and the table for these days' counts, drawn once per set of figures."""
    shown = list(days)
    return chart_svg(bars(shown)), table_html(weeks(shown))
