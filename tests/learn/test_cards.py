"""My learning's course cards, now written in Python (``learn/cards.py``), read exactly as the
Jinja macro they replaced: the macro is kept here, and both render the same summaries."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import Flask

from eduapp.learn.assigned import CourseRef
from eduapp.learn.cards import course_card
from eduapp.learn.overview import CourseSummary
from eduapp.learn.services import EnrolmentRow

# The macro as my_learning.html had it, character for character.
MACRO = """{% macro course_card(s) %}
  <li class="course-card">
    <h3><a href="{{ link('learn.course', slug=s.course.slug) }}">{{ s.course.title }}</a></h3>
    <p><progress id="progress-{{ s.course.slug }}" max="100" value="{{ s.percent }}">{{ s.percent }}%</progress>
      <label for="progress-{{ s.course.slug }}">{{ s.percent }}% complete</label></p>
    <dl class="facts">
      <div><dt>Modules completed</dt><dd>{{ s.completed_modules }} of {{ s.modules }}</dd></div>
      <div><dt>Content completed</dt><dd>{{ s.minutes_completed | duration }}</dd></div>
      <div><dt>Final assessment</dt><dd>{{ 'passed' if s.final_passed else ('not passed yet' if s.has_final else 'none') }}</dd></div>
      {% if s.completed %}<div><dt>Completed</dt><dd>{{ s.enrolment.completed_at | local_date }}</dd></div>{% endif %}
    </dl>
    {% if s.best_scores %}
    <details>
      <summary>Best quiz scores</summary>
      <ul class="scores">
        {% for quiz, best in s.best_scores %}
        <li><a href="{{ link('quiz.overview', slug=s.course.slug, key=quiz.key) }}">{{ quiz.title }}</a>: {{ best | score }}%</li>
        {% endfor %}
      </ul>
    </details>
    {% endif %}
  </li>
{% endmacro %}{% for s in summaries %}{{ course_card(s) }}{% endfor %}"""  # noqa: E501


def quiz(key: str, title: str) -> SimpleNamespace:
    return SimpleNamespace(key=key, title=title)


def summary(
    slug: str, title: str, completed_at: datetime | None, **values: object
) -> CourseSummary:
    return CourseSummary(
        CourseRef(1, slug, title), EnrolmentRow(3, 7, completed_at, None), **values
    )


SUMMARIES = [
    summary("new-course", "A course just begun", None, modules=8),
    summary(
        "half-way",
        'Tom & Jerry\'s <b>"course"</b>',
        None,
        modules=11,
        completed_modules=5,
        minutes_completed=125,
        has_final=True,
        best_scores=[
            (quiz("first", "Check <your> understanding"), Decimal("71.43")),
            (quiz("second", "Plain"), Decimal("75.00")),
        ],
    ),
    summary(
        "finished",
        "Finished",
        datetime(2026, 11, 23, 23, 30, tzinfo=UTC),
        modules=2,
        completed_modules=2,
        minutes_completed=60,
        has_final=True,
        final_passed=True,
        best_scores=[(quiz("final", "Final assessment"), Decimal("100"))],
    ),
    summary("no-modules", "Empty", datetime(2026, 1, 2, tzinfo=UTC)),
]


@pytest.mark.parametrize("shown", SUMMARIES, ids=lambda s: s.course.slug)
def test_each_card_reads_as_the_macro_wrote_it(app: Flask, shown: CourseSummary) -> None:
    with app.test_request_context("/my-learning"):
        before = app.jinja_env.from_string(MACRO).render(summaries=[shown])
        assert str(course_card(shown)) == before


def test_titles_are_escaped(app: Flask) -> None:
    with app.test_request_context("/my-learning"):
        card = str(course_card(SUMMARIES[1]))
    assert "Tom &amp; Jerry&#39;s &lt;b&gt;&#34;course&#34;&lt;/b&gt;" in card
    assert "Check &lt;your&gt; understanding</a>: 71.4%" in card
    assert "<b>" not in card
