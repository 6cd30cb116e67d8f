"""My learning counts each course's completed modules from its own enrolled version only: the
modules completed now come with the enrolments, in one statement, as a list per course."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import CourseVersion, Enrolment, Module, ModuleProgress
from tests.conftest import AuthActions
from tests.learn.test_course_pages import make_course, user


def card(html: str, slug: str) -> str:
    found = re.search(
        rf'<li class="course-card">\s*<h3><a href="/courses/{slug}">.*?</li>', html, re.S
    )
    assert found, slug
    return found.group(0)


def test_each_card_counts_its_own_versions_completed_modules(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    learner = user()
    first, second, other = (
        make_course("first", 3),
        make_course("second", 4),
        make_course("other", 2),
    )
    for course in (first, second):
        db.session.add(
            Enrolment(user_id=learner.id, course_id=course.id, version_id=course.current_version_id)
        )
    # A later version of the first course, which this learner has not moved to.
    later = CourseVersion(
        course_id=first.id, number=2, label="2", source="files", title="first", summary="s"
    )
    db.session.add(later)
    db.session.flush()
    newer = Module(
        course_id=first.id,
        version_id=later.id,
        slug="new",
        position=9,
        title="New",
        minutes=50,
        body_html="<p>x</p>",
    )
    db.session.add(newer)
    db.session.flush()

    def modules(course_id: int) -> list[Module]:
        return list(
            db.session.execute(
                db.select(Module).filter_by(course_id=course_id).order_by(Module.position)
            ).scalars()
        )

    a, b, c = modules(first.id), modules(second.id), modules(other.id)
    done = [a[0], a[2], b[1], c[0], newer]  # other: not enrolled; newer: not their version
    for module in done:
        db.session.add(
            ModuleProgress(
                user_id=learner.id, module_id=module.id, read_at=now(), completed_at=now()
            )
        )
    db.session.add(ModuleProgress(user_id=learner.id, module_id=a[1].id, read_at=now()))
    db.session.commit()

    html = client.get("/my-learning").get_data(as_text=True)
    assert "<dd>2 of 3</dd>" in card(html, "first") and "<dd>2 min</dd>" in card(html, "first")
    assert "<dd>1 of 4</dd>" in card(html, "second") and "<dd>1 min</dd>" in card(html, "second")
    assert 'href="/courses/other"' not in html


def test_a_course_with_nothing_completed_shows_none(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    learner = user()
    course = make_course("fresh", 2)
    db.session.add(
        Enrolment(user_id=learner.id, course_id=course.id, version_id=course.current_version_id)
    )
    db.session.commit()
    assert "<dd>0 of 2</dd>" in card(client.get("/my-learning").get_data(as_text=True), "fresh")
