"""My learning's course cards, written here rather than as a Jinja macro.

Each card is a dozen values (title, progress, counts, a link per quiz score) and the macro
spent most of My learning's rendering on calling helpers through the template context (an
address per course and per score, the duration and score filters, the percentage read four
times). Written in Python the same markup costs a fraction of it. Every value from the
database (course and quiz titles, slugs, keys) is escaped; the rest are numbers."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..templating import duration, link, local_date, score
from .overview import CourseSummary


def _final(summary: CourseSummary) -> str:
    if summary.final_passed:
        return "passed"
    return "not passed yet" if summary.has_final else "none"


def _scores(summary: CourseSummary) -> str:
    if not summary.best_scores:
        return ""
    slug = summary.course.slug
    lines = "".join(
        f'\n        <li><a href="{escape(link("quiz.overview", slug=slug, key=quiz.key))}">'
        f"{escape(quiz.title)}</a>: {score(best)}%</li>\n        "
        for quiz, best in summary.best_scores
    )
    return (
        "\n    <details>\n      <summary>Best quiz scores</summary>\n"
        f'      <ul class="scores">\n        {lines}\n      </ul>\n    </details>\n    '
    )


def course_card(summary: CourseSummary) -> Markup:
    """One course: its progress, what is done, and the best score of each quiz taken."""
    slug = escape(summary.course.slug)
    percent = summary.percent
    completed = (
        f"<div><dt>Completed</dt><dd>{escape(local_date(summary.enrolment.completed_at))}"
        "</dd></div>"
        if summary.completed
        else ""
    )
    return Markup(
        '\n  <li class="course-card">\n'
        f'    <h3><a href="{escape(link("learn.course", slug=summary.course.slug))}">'
        f"{escape(summary.course.title)}</a></h3>\n"
        f'    <p><progress id="progress-{slug}" max="100" value="{percent}">{percent}%</progress>\n'
        f'      <label for="progress-{slug}">{percent}% complete</label></p>\n'
        '    <dl class="facts">\n'
        "      <div><dt>Modules completed</dt>"
        f"<dd>{summary.completed_modules} of {summary.modules}</dd></div>\n"
        "      <div><dt>Content completed</dt>"
        f"<dd>{duration(summary.minutes_completed)}</dd></div>\n"
        f"      <div><dt>Final assessment</dt><dd>{_final(summary)}</dd></div>\n"
        f"      {completed}\n"
        "    </dl>\n"
        f"    {_scores(summary)}\n"
        "  </li>\n"
    )
