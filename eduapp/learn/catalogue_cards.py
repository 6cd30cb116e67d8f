"""The catalogue's course list, written here rather than as a Jinja loop.

Every visitor and learner sees the same cards but for one thing: the "Assigned by ..." marks
of the learner's clinics. The loop cost about 0.16 M instructions a course (an address, three
filters and eight columns read by name from a plain row, through the template context), for
markup that changes only when a course is published. So each card's shared head and tail are
kept as strings, keyed by the row's own values and the site's prefix: a published change is
a new key, shown on the next request, and an old key is never read again (the store starts
again past :data:`CARDS_KEPT`). The marks are written per request and never kept. Every value
from the database (titles, summaries, categories, clinic names) is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import request
from markupsafe import Markup, escape

from ..templating import ce, duration, link, remember
from .assigned import COMPLETED, OVERDUE, AssignedCourse

EMPTY = (
    '\n<p class="empty">No courses are published yet. An administrator can import them with '
    "<code>flask courses import</code>.</p>\n"
)
_ICONS = {
    OVERDUE: '<span class="assigned-icon" aria-hidden="true">!</span> ',
    COMPLETED: '<span class="assigned-icon" aria-hidden="true">✓</span> ',
}
_SUFFIXES = {OVERDUE: " (overdue)", COMPLETED: " (completed)"}

_cards: dict[tuple[Any, ...], tuple[str, str]] = {}
CARDS_KEPT = 1024  # cards kept per process; past that the store starts again


def _shared(key: tuple[Any, ...]) -> tuple[str, str]:
    """A card's head (up to its marks) and tail (after them), from the row's values."""
    _, _, slug, title, summary, ce_hours, categories, modules, minutes = key
    head = (
        '\n  <li class="course-card">\n'
        f'    <h2><a href="{escape(link("learn.course", slug=slug))}">{escape(title)}</a></h2>\n'
        "    "
    )
    tail = (
        f"\n    <p>{escape(summary)}</p>\n"
        '    <dl class="facts">\n'
        f"      <div><dt>CE hours</dt><dd>{escape(ce(ce_hours))}</dd></div>\n"
        "      <div><dt>Counts toward</dt>"
        f"<dd>{escape(', '.join(map(str, categories)))} CE</dd></div>\n"
        f"      <div><dt>Modules</dt><dd>{escape(modules)}</dd></div>\n"
        f"      <div><dt>Estimated time</dt><dd>{escape(duration(minutes))}</dd></div>\n"
        "    </dl>\n"
        "  </li>\n"
        "  "
    )
    return head, tail


def _mark(line: AssignedCourse) -> str:
    """One clinic's request for this course, for this learner only."""
    status, due = line.status, line.due_on
    return (
        f'\n    <p class="assigned-mark assigned-{escape(status.replace(" ", "-"))}">'
        f"{_ICONS.get(status, '')}Assigned by <bdi>{escape(line.clinic_name)}</bdi>, "
        f'due <time datetime="{due.isoformat()}">{due.day} {due:%B %Y}</time>'
        f"{_SUFFIXES.get(status, '')}</p>\n    "
    )


def course_list(
    courses: Iterable[Sequence[Any]], assigned: Mapping[int, list[AssignedCourse]]
) -> Markup:
    """The catalogue's list: each course's card with this learner's marks (``assigned``, from
    :func:`.assigned.by_course`), or the empty catalogue's message. ``courses`` are the rows
    of :func:`.services.published_courses`, unpacked (reading a plain row by name is slow)."""
    root = request.script_root
    parts = []
    for course_id, slug, title, summary, ce_hours, categories, modules, minutes in courses:
        key = (root, course_id, slug, title, summary, ce_hours, tuple(categories), modules, minutes)
        head, tail = remember(_cards, key, lambda: _shared(key), CARDS_KEPT)  # noqa: B023
        parts.append(head)
        for line in assigned.get(course_id, ()):
            parts.append(_mark(line))
        parts.append(tail)
    if not parts:
        return Markup(EMPTY)
    return Markup('\n<ul class="course-list">\n  ' + "".join(parts) + "\n</ul>\n")
