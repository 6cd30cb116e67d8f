"""The question navigator, and the summary a learner meets before submitting with questions
unanswered: answers kept, "Go back" or "Submit anyway", no JavaScript needed."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from eduapp.models import Answer, Attempt, AttemptStatus, Quiz
from eduapp.quiz.answered import is_answered, numbered, numbers_by_key
from tests.conftest import FIXTURES, AuthActions, csrf_token

QUIZ = "/courses/sample-course/quizzes/first-steps"
RIGHT = {"q-q-single": "a", "q-q-multi": ["a", "b"], "q-q-tf": "false"}
SNAPSHOT: dict[str, Any] = {
    "questions": [
        {"key": "case", "type": "description"},
        {"key": "one", "type": "single"},
        {"key": "text", "type": "short"},
        {"key": "match", "type": "matching", "stems": [{"key": "a"}, {"key": "b"}]},
        {"key": "order", "type": "ordering", "items": [{"key": "x"}, {"key": "y"}]},
    ]
}


def test_descriptions_take_no_number_and_blank_rows_are_unanswered() -> None:
    responses = {
        "one": ["a"],
        "text": ["   "],
        "match": ["a:o1", ""],
        "order": ["x:2", "y:1"],
    }
    assert [(q.number, q.key, q.answered) for q in numbered(SNAPSHOT, responses)] == [
        (1, "one", True),
        (2, "text", False),
        (3, "match", False),
        (4, "order", True),
    ]
    assert numbers_by_key(SNAPSHOT) == {"one": 1, "text": 2, "match": 3, "order": 4}
    assert is_answered({"type": "multiple"}, ["", "b"])
    assert not is_answered({"type": "numeric"}, [])


def start(client: FlaskClient, quiz: str = QUIZ) -> str:
    return client.post(quiz + "/start", data={"csrf_token": csrf_token(client, quiz)}).headers[
        "Location"
    ]


def attempt() -> Attempt:
    db.session.rollback()  # see what the requests committed
    return db.session.execute(db.select(Attempt)).scalar_one()


@pytest.fixture
def learner(client: FlaskClient, auth: AuthActions, imported: None) -> FlaskClient:
    auth.signup()
    return client


def test_the_navigator_says_which_questions_are_answered(learner: FlaskClient) -> None:
    path = start(learner)
    html = learner.get(path).get_data(as_text=True)
    assert "<span data-answered>0</span> of 3 answered" in html
    assert html.count(", not answered</span>") == 3
    for number in (1, 2, 3):
        assert f'href="#question-{number}"' in html and f'id="question-{number}"' in html
    assert "Question 2 of 3" in html  # written in the box, not only a list marker

    learner.post(path + "/save", data={"q-q-multi": ["a"], "csrf_token": csrf_token(learner, path)})
    html = learner.get(path).get_data(as_text=True)
    assert "<span data-answered>1</span> of 3 answered" in html
    link = re.search(r'<a href="#question-2"[^>]*>.*?</a>', html, re.S)
    assert link and 'class="is-answered"' in link.group(0) and ", answered<" in link.group(0)
    assert "✓" in link.group(0)  # a shape and words, not colour alone


def test_unanswered_questions_are_summarised_and_kept_before_anything_is_graded(
    learner: FlaskClient,
) -> None:
    path = start(learner)
    response = learner.post(
        path + "/submit",
        data={"q-q-multi": ["a", "b"], "csrf_token": csrf_token(learner, path)},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You answered 1 of 3 questions." in html
    # The attempt's own id: on PostgreSQL ids keep counting across tests.
    assert re.search(rf'Unanswered:\s*<a href="{re.escape(path)}#question-1">', html)
    assert f'href="{path}#question-3"' in html and "#question-2" not in html
    # Nothing is graded; the answers given are saved for "Go back".
    saved = attempt()
    assert saved.status == AttemptStatus.IN_PROGRESS
    assert saved.responses == {"q-multi": ["a", "b"]}
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
    go_back = re.search(r'<a class="button" href="([^"]+)">Go back</a>', html)
    assert go_back and go_back.group(1) == path + "#question-1"
    page = learner.get(path).get_data(as_text=True)
    assert 'id="q-q-multi-a" value="a" checked' in page

    # "Submit anyway" posts the same answers again, confirmed: graded at once.
    carried = re.findall(r'<input type="hidden" name="(q-[^"]+)" value="([^"]*)">', html)
    assert carried == [("q-q-multi", "a"), ("q-q-multi", "b")]
    assert 'name="confirmed" value="yes"' in html
    data: dict[str, Any] = {"q-q-multi": ["a", "b"], "confirmed": "yes"}
    data["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    graded = learner.post(path + "/submit", data=data)
    assert graded.headers["Location"] == path + "/result"
    done = attempt()
    assert done.status == AttemptStatus.GRADED and done.marks == 1


def test_a_fully_answered_quiz_submits_at_once(learner: FlaskClient) -> None:
    path = start(learner)
    response = learner.post(
        path + "/submit", data={**RIGHT, "csrf_token": csrf_token(learner, path)}
    )
    assert response.headers["Location"] == path + "/result"
    assert attempt().status == AttemptStatus.GRADED


def test_answers_saved_earlier_count_as_what_the_page_sends(learner: FlaskClient) -> None:
    """The page shows saved answers ticked, so its post carries them; an answer only saved
    (another tab) but not posted still counts as unanswered here, as it would be graded."""
    path = start(learner)
    token = csrf_token(learner, path)
    learner.post(path + "/save", data={"q-q-single": "a", "csrf_token": token})
    html = learner.post(path + "/submit", data={"q-q-tf": "true", "csrf_token": token}).get_data(
        as_text=True
    )
    assert "You answered 1 of 3 questions." in html
    assert attempt().responses == {"q-single": ["a"], "q-tf": ["true"]}


def test_when_time_is_up_the_attempt_is_graded_without_asking(
    learner: FlaskClient, clock: Any
) -> None:
    db.session.execute(
        db.update(Quiz).where(Quiz.key == "first-steps").values(time_limit_minutes=10)
    )
    db.session.commit()
    path = start(learner)
    learner.post(path + "/save", data={"q-q-single": "a", "csrf_token": csrf_token(learner, path)})
    # Before the deadline the summary still helps, and says how long is left.
    summary = learner.post(path + "/submit", data={"csrf_token": csrf_token(learner, path)})
    assert summary.status_code == 200
    assert re.search(r"Time left: <strong>\d+ min</strong> \(the quiz closes at ", summary.text)
    clock.shift(timedelta(minutes=11))
    # The "See your result" button of a timed-out attempt posts no answers at all.
    response = learner.post(path + "/submit", data={"csrf_token": csrf_token(learner, path)})
    assert response.headers["Location"] == path + "/result"
    graded = attempt()
    assert graded.status == AttemptStatus.GRADED and graded.marks == 1  # what was saved in time


def test_tampered_answers_on_the_way_to_the_summary_change_nothing(
    learner: FlaskClient,
) -> None:
    path = start(learner)
    token = csrf_token(learner, path)
    for bad in ({"q-q-single": "zz"}, {"q-nope": "a"}):
        assert learner.post(path + "/submit", data={**bad, "csrf_token": token}).status_code == 400
    assert attempt().responses == {}


def test_a_summary_for_an_attempt_already_graded_says_so(learner: FlaskClient) -> None:
    path = start(learner)
    token = csrf_token(learner, path)
    learner.post(path + "/submit", data={**RIGHT, "csrf_token": token})
    again = learner.post(path + "/submit", data={"q-q-single": "b", "csrf_token": token})
    assert again.status_code == 409 and b"already submitted" in again.data


def test_someone_elses_attempt_is_missing(learner: FlaskClient, app: Any, make_user: Any) -> None:
    path = start(learner)
    make_user("bob@example.org", "Bob")
    bob = app.test_client()
    AuthActions(bob).login("bob@example.org")
    token = csrf_token(bob, "/my-learning")
    assert (
        bob.post(path + "/submit", data={"q-q-single": "a", "csrf_token": token}).status_code == 404
    )
    assert attempt().responses == {}


def test_descriptions_are_not_counted_in_the_summary(
    client: FlaskClient, auth: AuthActions
) -> None:
    import_courses(load_catalogue(FIXTURES / "types"))
    db.session.commit()
    auth.signup()
    path = start(client, "/courses/types-course/quizzes/types")
    html = client.get(path).get_data(as_text=True)
    assert "of 5 answered" in html and 'id="question-5"' in html and 'id="question-6"' not in html
    summary = client.post(
        path + "/submit",
        data={
            "q-short": "goniometer",
            "q-order": ["intake:1", ""],
            "csrf_token": csrf_token(client, path),
        },
    ).get_data(as_text=True)
    assert "You answered 1 of 5 questions." in summary  # the half-ordered question is not done
