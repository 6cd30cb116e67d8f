"""The gradebook: figures for everyone who manages the course, learners' own rows for admins
and, among owners and co-authors, only for learners who share; every showing recorded."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import GradebookView, GradebookViewLearner
from eduapp.studio.gradebook import quiz_grades, spread_of
from eduapp.studio.gradechart import distribution_chart
from tests.conftest import csrf_token
from tests.studio.gradebookkit import (
    HALF,
    PAGE,
    RIGHT,
    WRONG,
    attempt,
    complete_with_certificate,
    course,
    enrolled,
    finish_module,
    quiz,
    share,
)
from tests.studio.test_owners import signed_in


def views() -> list[GradebookView]:
    db.session.rollback()  # read what the requests committed
    return list(db.session.execute(db.select(GradebookView).order_by(GradebookView.id)).scalars())


def shown_in(view: GradebookView) -> list[int]:
    return sorted(
        db.session.execute(
            db.select(GradebookViewLearner.user_id).filter_by(view_id=view.id)
        ).scalars()
    )


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def admin(app: Flask, make_user) -> FlaskClient:
    return signed_in(app, make_user, "ada@example.org", role="admin")


@pytest.fixture
def six(imported: None) -> list:
    """Six enrolled learners: five graded on the module quiz (100, 100, 50, 0, 0), one of
    whom finished the module, completed and holds a certificate; the sixth did nothing."""
    people = enrolled(6)
    for person, responses in zip(people, (RIGHT, RIGHT, HALF, WRONG, WRONG), strict=False):
        attempt(person, responses)
    finish_module(people[0])
    complete_with_certificate(people[0])
    db.session.commit()
    return people


def test_figures_without_names_for_an_owner_whom_nobody_shares_with(
    instructor: FlaskClient, six: list
) -> None:
    studio = instructor.get("/studio/courses/sample-course").get_data(as_text=True)
    assert f'href="{PAGE}">Gradebook</a>' in studio
    html = instructor.get(PAGE).get_data(as_text=True)
    page = text(html)
    for fact in ("Enrolled 6", "Started 5", "Completed 1", "Certificates issued 1"):
        assert fact in page
    assert "First Steps 1 of 6 Second Module 0 of 6" in page
    # 5 learners on the module quiz: 5 attempts, 2 passed (80% to pass), mean 50, median 50;
    # nobody on the final: counts, nothing else.
    assert "First steps quiz 5 5 2 50% 50%" in page
    assert "Final assessment 0 0 0 withheld withheld" in page
    assert "Learners 2 0 0 0 0 1 0 0 0 2" in page
    assert "learner 0" not in html and "learner0@" not in html
    assert "No learner shares their results" in page
    assert views() == []  # figures single nobody out: not recorded


def test_an_owner_sees_exactly_the_learners_who_share_at_once(
    instructor: FlaskClient, six: list
) -> None:
    share(six[2])
    html = instructor.get(PAGE).get_data(as_text=True)
    assert "learner 2" in html
    assert "learner2@example.org" not in html  # no email for owners
    assert "learner 0" not in html and "learner 3" not in html
    assert re.search(r"50% passed|50% not passed", html)
    [view] = views()
    assert (view.learners_shown, view.as_admin, view.kind) == (1, False, "page")
    assert shown_in(view) == [six[2].id]
    assert view.course_id == course().id
    assert "Who has looked" not in html  # the record is for admins

    assert instructor.head(PAGE).status_code == 200
    assert len(views()) == 1  # a HEAD request shows no one

    share(six[2], on=False)
    html = instructor.get(PAGE).get_data(as_text=True)
    assert "learner 2" not in html
    assert len(views()) == 1  # nothing shown, nothing recorded


def test_an_admin_sees_every_learner_with_email_and_the_record(
    admin: FlaskClient, instructor: FlaskClient, six: list
) -> None:
    share(six[1])
    instructor.get(PAGE)
    html = admin.get(PAGE).get_data(as_text=True)
    for i in range(6):
        assert f"learner{i}@example.org" in html
    owner_view, admin_view = views()
    assert (owner_view.learners_shown, owner_view.as_admin) == (1, False)
    assert shown_in(admin_view) == sorted(p.id for p in six)
    assert (admin_view.learners_shown, admin_view.as_admin) == (6, True)
    page = text(html)
    assert "Who has looked at learners" in page
    assert re.search(r"Ivy owner or co-author this page 1", page), page
    assert re.search(r"Ada admin this page 6", page), page
    # The certificate links to its public verification page.
    assert "/verify/c" in html and "Issued" in html


def test_learners_and_other_instructors_are_refused(
    app: Flask, make_user, instructor: FlaskClient, six: list
) -> None:
    learner = signed_in(app, make_user, "lea@example.org", role="learner")
    other = signed_in(app, make_user, "olly@example.org", role="instructor")
    for path in (PAGE, PAGE + "/summary.csv"):
        assert learner.get(path).status_code == 403
        assert other.get(path).status_code == 404
    # The learners' rows are asked for with a POST (tests/studio/test_gradebook_export.py).
    for client, status in ((learner, 403), (other, 404)):
        token = csrf_token(client, "/my-learning")
        assert client.post(PAGE + "/learners.csv", data={"csrf_token": token}).status_code == status
    assert app.test_client().get(PAGE).status_code == 302
    assert views() == []


def test_spread_and_mean_are_withheld_below_five_learners(
    instructor: FlaskClient, imported: None
) -> None:
    people = enrolled(5)
    for person in people[:4]:
        attempt(person, RIGHT)
    db.session.commit()
    page = text(instructor.get(PAGE).get_data(as_text=True))
    assert "First steps quiz 4 4 4 withheld withheld" in page
    assert "Withheld”: fewer than 5 learners have a grade" in page
    assert "Learners per band" not in page
    attempt(people[4], WRONG)
    db.session.commit()
    page = text(instructor.get(PAGE).get_data(as_text=True))
    assert "First steps quiz 5 5 4 80% 100%" in page
    assert "Mean 80%, median 100%" in page
    assert "Learners 1 0 0 0 0 0 0 0 0 4" in page  # the bands as text, 0-9 ... 90-100


def test_the_grade_is_the_quizs_own_rule_across_versions(imported: None) -> None:
    """Graded as the learner's own page grades it: 'last' takes the second attempt, even
    though the first was better; 'highest' the best."""
    [person] = enrolled(1)
    attempt(person, RIGHT)
    attempt(person, HALF, number=2)
    db.session.commit()
    assert quiz_grades(course())[person.id]["first-steps"].grade == 100
    quiz().grading_method = "last"
    db.session.flush()
    grade = quiz_grades(course())[person.id]["first-steps"]
    assert (grade.grade, grade.passed, grade.attempts) == (50, False, 2)


def test_spread_bands_and_chart_are_pure_maths() -> None:
    assert spread_of(map(Decimal, [1, 2, 3, 4])) is None
    spread = spread_of(map(Decimal, [0, 9, 10, 55, 100, 100]))
    assert spread is not None
    assert spread.bands == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert (spread.mean, spread.median) == (Decimal("45.7"), Decimal("32.5"))
    assert spread.labels[0] == "0-9" and spread.labels[-1] == "90-100"
    chart = distribution_chart(spread.bands, spread.labels)
    assert [b.height for b in chart.bars][:3] == [90, 45, 0]
    assert chart.bars[-1].start == "90"


def test_page_numbers(admin: FlaskClient, imported: None) -> None:
    enrolled(52)
    db.session.commit()
    first = admin.get(PAGE).get_data(as_text=True)
    assert first.count("@example.org</td>") == 50 and "page 1 of 2" in first
    second = admin.get(PAGE + "?page=2").get_data(as_text=True)
    assert second.count("@example.org</td>") == 2
    assert [v.learners_shown for v in views()] == [50, 2]
    assert admin.get(PAGE + "?page=x").status_code == 400
    assert admin.get(PAGE + "?page=²").status_code == 400
    assert admin.get(PAGE + "?page=0").status_code == 400
    beyond = admin.get(PAGE + "?page=9").get_data(as_text=True)
    assert "go to the last page" in beyond and len(views()) == 2
