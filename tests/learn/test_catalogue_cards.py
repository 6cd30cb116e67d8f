"""The catalogue's course list, now written in Python (``learn/catalogue_cards.py``), reads
exactly as the template's loop it replaced (kept here verbatim), and what it keeps per process
(each card's shared head and tail) never shows a stale course or one learner's marks to
another."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp.extensions import db
from eduapp.learn import catalogue_cards
from eduapp.learn.assigned import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    AssignedCourse,
    CourseRef,
)
from eduapp.learn.catalogue_cards import course_list
from eduapp.models import Course

# The loop as catalogue.html had it, character for character.
LOOP = """{% if courses %}
<ul class="course-list">
  {% for course in courses %}
  <li class="course-card">
    <h2><a href="{{ link('learn.course', slug=course.slug) }}">{{ course.title }}</a></h2>
    {% for a in assigned.get(course.id, []) %}
    <p class="assigned-mark assigned-{{ a.status | replace(' ', '-') }}">{% if a.status in ('overdue', 'completed') %}<span class="assigned-icon" aria-hidden="true">{{ '!' if a.status == 'overdue' else '✓' }}</span> {% endif %}Assigned by <bdi>{{ a.clinic_name }}</bdi>, due <time datetime="{{ a.due_on.isoformat() }}">{{ a.due_on.strftime('%-d %B %Y') }}</time>{% if a.status == 'overdue' %} (overdue){% elif a.status == 'completed' %} (completed){% endif %}</p>
    {% endfor %}
    <p>{{ course.summary }}</p>
    <dl class="facts">
      <div><dt>CE hours</dt><dd>{{ course.ce_hours | ce }}</dd></div>
      <div><dt>Counts toward</dt><dd>{{ course.ce_categories | join(', ') }} CE</dd></div>
      <div><dt>Modules</dt><dd>{{ course.module_count }}</dd></div>
      <div><dt>Estimated time</dt><dd>{{ course.total_minutes | duration }}</dd></div>
    </dl>
  </li>
  {% endfor %}
</ul>
{% else %}
<p class="empty">No courses are published yet. An administrator can import them with <code>flask courses import</code>.</p>
{% endif %}"""  # noqa: E501


class Row(NamedTuple):
    """A catalogue row: the template read it by name, the Python unpacks it."""

    id: int
    slug: str
    title: str
    summary: str
    ce_hours: Decimal
    ce_categories: list[str]
    module_count: int
    total_minutes: int


PLAIN = Row(1, "plain", "Plain course", "A summary.", Decimal("1.00"), ["general"], 3, 45)
HOSTILE = Row(
    2,
    "hostile",
    'Tom & Jerry\'s <b>"course"</b>',
    "Less < more & 'quoted' \"text\" </p><script>alert(1)</script>",
    Decimal("0.50"),
    ["a&b", "<ethics>", '"q"'],
    0,
    130,
)
LONG = Row(3, "long", "Long", "", Decimal("12.75"), [], 11, 60)
ROWS = [PLAIN, HOSTILE, LONG]


def line(course: Row, clinic: str, due: date, status: str) -> AssignedCourse:
    return AssignedCourse(CourseRef(course.id, course.slug, course.title), clinic, due, status)


MARKS: dict[str, dict[int, list[AssignedCourse]]] = {
    "none": {},
    "not started": {1: [line(PLAIN, "Harbour Clinic", date(2026, 12, 1), NOT_STARTED)]},
    "in progress": {2: [line(HOSTILE, "<b>Bad</b> & 'co'", date(2026, 1, 9), IN_PROGRESS)]},
    "overdue": {1: [line(PLAIN, "מרפאת השרון", date(2026, 11, 1), OVERDUE)]},
    "completed": {3: [line(LONG, 'عيادة "النور"', date(2027, 2, 28), COMPLETED)]},
    "two clinics": {
        2: [
            line(HOSTILE, "Harbour Clinic", date(2026, 10, 5), OVERDUE),
            line(HOSTILE, "מרפאה <א> & ב", date(2026, 12, 24), NOT_STARTED),
        ],
        3: [line(LONG, "Quay", date(2026, 11, 30), COMPLETED)],
    },
}


def as_template(app: Flask, courses: list[Row], assigned: Any) -> str:
    return app.jinja_env.from_string(LOOP).render(courses=courses, assigned=assigned)


@pytest.mark.parametrize("marks", MARKS, ids=str)
@pytest.mark.parametrize("courses", [ROWS, [HOSTILE], [LONG, PLAIN]], ids=["all", "one", "two"])
def test_the_list_reads_as_the_template_wrote_it(
    app: Flask, courses: list[Row], marks: str
) -> None:
    with app.test_request_context("/"):
        before = as_template(app, courses, MARKS[marks])
        assert str(course_list(courses, MARKS[marks])) == before
        assert str(course_list(courses, MARKS[marks])) == before  # from the kept cards


def test_an_empty_catalogue_says_so_as_before(app: Flask) -> None:
    with app.test_request_context("/"):
        html = str(course_list([], {}))
        assert html == as_template(app, [], {})
    assert "No courses are published yet" in html


def test_data_is_escaped(app: Flask) -> None:
    with app.test_request_context("/"):
        html = str(course_list([HOSTILE], MARKS["in progress"]))
    assert "Tom &amp; Jerry&#39;s &lt;b&gt;&#34;course&#34;&lt;/b&gt;</a>" in html
    assert "&lt;/p&gt;&lt;script&gt;" in html and "<script>" not in html
    assert "<dd>a&amp;b, &lt;ethics&gt;, &#34;q&#34; CE</dd>" in html
    assert "<bdi>&lt;b&gt;Bad&lt;/b&gt; &amp; &#39;co&#39;</bdi>" in html


def test_a_changed_course_shows_on_the_next_render(app: Flask) -> None:
    """As after a publish: the kept card is keyed by the row's values, so new text is a new
    card, never the old one."""
    with app.test_request_context("/"):
        assert "Plain course" in str(course_list([PLAIN], {}))
        changed = PLAIN._replace(title="Renamed", summary="New & better.", total_minutes=50)
        html = str(course_list([changed], {}))
    assert "Renamed" in html and "New &amp; better." in html and "50 min" in html
    assert "Plain course" not in html and "A summary." not in html


def test_one_learners_marks_never_show_for_another(app: Flask) -> None:
    with app.test_request_context("/"):
        first = str(course_list(ROWS, MARKS["two clinics"]))
        second = str(course_list(ROWS, {}))
    assert first.count("Assigned by") == 3
    assert "Assigned by" not in second
    with app.test_request_context("/"):
        assert second == as_template(app, ROWS, {})


def test_addresses_follow_the_sites_prefix(app: Flask) -> None:
    """The same row under another prefix is another card (the address differs)."""
    with app.test_request_context("/", base_url="http://localhost/sub"):
        assert 'href="/sub/courses/plain"' in str(course_list([PLAIN], {}))
    with app.test_request_context("/"):
        assert 'href="/courses/plain"' in str(course_list([PLAIN], {}))


def test_the_store_is_bounded(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue_cards, "_cards", {})
    monkeypatch.setattr(catalogue_cards, "CARDS_KEPT", 2)
    with app.test_request_context("/"):
        html = str(course_list(ROWS, {}))
        assert html == as_template(app, ROWS, {})
    assert len(catalogue_cards._cards) <= 2


def test_the_page_shows_a_published_change_next_request(
    client: FlaskClient, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["courses", "import"])
    assert "Sample Course for Tests" in client.get("/").get_data(as_text=True)
    db.session.execute(
        db.update(Course).values(title="Sample <Course> Renamed", summary="Rewritten.")
    )
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Sample &lt;Course&gt; Renamed" in html and "Rewritten." in html
    assert "Sample Course for Tests" not in html
