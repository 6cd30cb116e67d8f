"""The running totals behind the item analysis always equal a fresh sum over the answers:
after submits through the web app, after direct grading, after a regrade, and on a migrated
database."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import downgrade, upgrade

from eduapp import create_app
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import ItemTotal, Quiz
from eduapp.quiz import itemtotals
from tests.conftest import FIXTURES, AuthActions, app_config, csrf_token, make_database
from tests.studio.attempts import graded_attempt, learners
from tests.studio.test_item_analysis import RIGHT, WRONG, quiz, row

QUIZ = "/courses/sample-course/quizzes/first-steps"


def totals(quiz_id: int) -> list[tuple]:
    rows = db.session.execute(
        db.select(
            ItemTotal.question_id,
            ItemTotal.first_attempt,
            ItemTotal.max_mark,
            ItemTotal.response,
            ItemTotal.n,
            ItemTotal.sum_mark,
            ItemTotal.sum_mark_sq,
            ItemTotal.sum_total,
            ItemTotal.sum_total_sq,
            ItemTotal.sum_mark_total,
        ).where(ItemTotal.quiz_id == quiz_id)
    ).all()
    return sorted(tuple(r) for r in rows)


def assert_totals_match_the_answers(quiz_id: int) -> list[tuple]:
    kept = totals(quiz_id)
    itemtotals.rebuild(quiz_id)
    assert totals(quiz_id) == kept
    db.session.rollback()
    return kept


def submit(app: Flask, email: str, answers: dict) -> None:
    client = app.test_client()
    AuthActions(client).signup(email=email, name=email.split("@")[0])
    path = client.post(QUIZ + "/start", data={"csrf_token": csrf_token(client, QUIZ)})
    path = path.headers["Location"]
    client.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(client, path)},
    )


def test_submits_keep_the_totals_equal_to_the_answers(app: Flask, imported: None) -> None:
    submit(app, "amy@example.org", {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"})
    submit(app, "ben@example.org", {"q-q-single": "b", "q-q-multi": ["a"], "q-q-tf": "true"})
    submit(app, "cy@example.org", {"q-q-single": "a"})  # two left blank
    db.session.rollback()
    target = quiz()
    kept = assert_totals_match_the_answers(target.id)
    assert sum(row[4] for row in kept) == 9  # three answers per attempt
    blank = [row for row in kept if row[3] == "[]"]
    assert [row[4] for row in blank] == [1, 1]


def test_first_and_later_attempts_and_repeated_responses_add_up(app: Flask, imported: None) -> None:
    amy, ben = learners(2)
    target = quiz()
    graded_attempt(target, amy, RIGHT)
    graded_attempt(target, ben, RIGHT)
    graded_attempt(target, amy, WRONG, number=2)
    db.session.commit()
    kept = assert_totals_match_the_answers(target.id)
    single = [row for row in kept if row[3] == '["a"]' and row[1]]
    assert single[0][4] == 2  # both first attempts chose a
    assert any(not row[1] for row in kept)  # the second attempt is kept apart


def test_a_regrade_rebuilds_the_totals(
    app: Flask, imported: None, runner: FlaskCliRunner, course_files: Path
) -> None:
    from tests.quiz.test_regrade import take

    rest = {"q-q-multi": ["a", "b"], "q-q-tf": "false"}
    take(app, "amy@example.org", {"q-q-single": "a", **rest})
    take(app, "ben@example.org", {"q-q-single": "b", **rest})
    db.session.rollback()
    target = quiz()
    before = totals(target.id)
    from tests.quiz.test_regrade import fix_key

    fix_key(course_files)
    runner.invoke(args=["quiz", "regrade", "--course", "sample-course", "--quiz", "01-first-steps"])
    db.session.rollback()
    after = assert_totals_match_the_answers(target.id)
    assert after != before
    single = {row[3]: row[5] for row in after if row[3] in ('["a"]', '["b"]')}
    assert single == {'["a"]': 0, '["b"]': 1000}  # b is now the right answer


def test_the_migration_fills_the_totals_from_existing_answers(tmp_path: Path) -> None:
    app = create_app(app_config(make_database(tmp_path, "backfill"), tmp_path))
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(FIXTURES / "courses"))
        target = db.session.execute(db.select(Quiz).filter_by(key="first-steps")).scalar_one()
        amy, ben = learners(2)
        graded_attempt(target, amy, RIGHT)
        graded_attempt(target, ben, WRONG)
        graded_attempt(target, amy, WRONG, number=2)
        db.session.commit()
        kept = totals(target.id)
        db.session.remove()
        downgrade(revision="-1")
        upgrade()
        assert totals(target.id) == kept
        db.session.remove()
        db.engine.dispose()


def test_the_analysis_page_reads_the_totals(instructor: FlaskClient) -> None:
    target = quiz()
    (amy,) = learners(1)
    graded_attempt(target, amy, RIGHT)
    db.session.commit()
    html = instructor.get("/studio" + QUIZ + "/analysis").get_data(as_text=True)
    assert row(html, 1)[2] == "1"  # one response to Q1
    db.session.execute(db.delete(ItemTotal))
    db.session.commit()
    emptied = instructor.get("/studio" + QUIZ + "/analysis").get_data(as_text=True)
    assert row(emptied, 1)[2] == "0"  # the figures come from the totals, not the answers
