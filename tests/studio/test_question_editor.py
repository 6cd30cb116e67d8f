"""The question editor in the browser's terms (forms posted as a browser posts them): every
type we grade written, checked by the files' schema, saved as a quiz file's question that the
export writes and an import reads back; errors beside their field with nothing written;
edits that keep ids, saves that never overwrite a newer save, and the lint beside each
question."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.content.quizschema import QuestionFile
from eduapp.extensions import db
from eduapp.models import Choice, Question, Quiz
from eduapp.studio import drafts, quizedit
from tests.conftest import csrf_token
from tests.studio.test_publishing import STUDIO, course, person, signed_in

DRAFT = STUDIO + "/draft"
QUIZ = DRAFT + "/quizzes/first-steps"

# One posted form per type, as a browser sends it, and what the saved question must hold.
TYPES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "single": (
        {
            "prompt": "Which stroke glides over the skin?",
            "row-0-text": "Effleurage",
            "row-0-feedback": "Right: long gliding strokes.",
            "row-1-text": "Tapotement",
            "row-1-feedback": "No: that is percussion.",
            "row-2-text": "Petrissage",
            "correct": "0",
            "references": "furlan2015",
            "tags": "strokes, basics",
        },
        {
            "choices": [
                {
                    "id": "a",
                    "text": "Effleurage",
                    "correct": True,
                    "feedback": "Right: long gliding strokes.",
                },
                {"id": "b", "text": "Tapotement", "feedback": "No: that is percussion."},
                {"id": "c", "text": "Petrissage"},
            ],
            "references": ["furlan2015"],
            "tags": ["strokes", "basics"],
        },
    ),
    "multiple": (
        {
            "prompt": "Which of these are strokes of Swedish massage?",
            "row-0-text": "Effleurage",
            "row-0-correct": "on",
            "row-1-text": "Petrissage",
            "row-1-correct": "on",
            "row-2-text": "Acupuncture",
            "row-2-credit": "-50",
        },
        {
            "choices": [
                {"id": "a", "text": "Effleurage", "correct": True, "fraction": 0.5},
                {"id": "b", "text": "Petrissage", "correct": True, "fraction": 0.5},
                {"id": "c", "text": "Acupuncture", "fraction": -0.5},
            ]
        },
    ),
    "true_false": (
        {
            "prompt": "Massage cures low back pain for good.",
            "answer": "false",
            "feedback_false": "Right: the benefit fades by six to twelve months.",
        },
        {"answer": False, "feedback_false": "Right: the benefit fades by six to twelve months."},
    ),
    "short": (
        {
            "prompt": "Name the stroke that kneads.",
            "row-0-text": "Petrissage",
            "row-0-credit": "100",
            "row-1-text": "Kneading",
            "row-1-credit": "50",
            "row-1-feedback": "Say its name.",
            "feedback_wrong": "It starts with P.",
        },
        {
            "answers": [
                {"text": "Petrissage"},
                {"text": "Kneading", "fraction": 0.5, "feedback": "Say its name."},
            ],
            "feedback_wrong": "It starts with P.",
        },
    ),
    "numeric": (
        {
            "prompt": "How many minutes is a standard session?",
            "row-0-value": "60",
            "row-0-tolerance": "5",
            "row-0-credit": "100",
            "row-1-min": "30",
            "row-1-max": "50",
            "row-1-credit": "50",
        },
        {
            "answers": [
                {"value": 60.0, "tolerance": 5.0},
                {"min": 30.0, "max": 50.0, "fraction": 0.5},
            ]
        },
    ),
    "matching": (
        {
            "prompt": "Match each stroke with what it does.",
            "row-0-prompt": "Effleurage",
            "row-0-answer": "Glides",
            "row-1-prompt": "Petrissage",
            "row-1-answer": "Kneads",
            "distractors": "Burns\n\n",
        },
        {
            "pairs": [
                {"id": "p1", "prompt": "Effleurage", "answer": "Glides"},
                {"id": "p2", "prompt": "Petrissage", "answer": "Kneads"},
            ],
            "distractors": ["Burns"],
        },
    ),
    "ordering": (
        {
            "prompt": "Put the steps of a session in order.",
            "row-0-text": "Intake",
            "row-0-order": "1",
            "row-1-text": "Treatment",
            "row-1-order": "3",
            "row-2-text": "Consent",
            "row-2-order": "2",
        },
        {
            "items": [
                {"id": "intake", "text": "Intake"},
                {"id": "consent", "text": "Consent"},
                {"id": "treatment", "text": "Treatment"},
            ]
        },
    ),
    "description": (
        {"prompt": "A client of 52 arrives with low back pain of six weeks."},
        {},
    ),
}


def start(client: FlaskClient) -> None:
    client.post(STUDIO + "/draft", data={"csrf_token": csrf_token(client, STUDIO)})


def post_new(client: FlaskClient, key: str, kind: str, fields: dict[str, Any], **extra: str):
    url = f"{DRAFT}/quizzes/{key}/questions/new"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, f"{url}?type={kind}"),
            "type": kind,
            "based_on": quizedit.state_hash(None),
            "action": "save",
            **fields,
            **extra,
        },
    )


def saved(key: str, question: str) -> Question:
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    return db.session.execute(
        db.select(Question)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .where(Quiz.version_id == draft.id, Quiz.key == key, Question.key == question)
    ).scalar_one()


@pytest.fixture
def ivy(app: Flask, imported: None, make_user) -> FlaskClient:
    client = signed_in(app, make_user, "ivy@example.org", "Ivy")
    start(client)
    return client


@pytest.mark.parametrize("kind", list(TYPES))
def test_every_type_is_written_in_the_browser_and_saved_as_the_files_have_it(
    ivy: FlaskClient, kind: str
) -> None:
    fields, expected = TYPES[kind]
    response = post_new(ivy, "first-steps", kind, fields, id=f"new-{kind.replace('_', '-')}")
    assert response.status_code == 302, response.get_data(as_text=True)
    row = saved("first-steps", f"new-{kind.replace('_', '-')}")
    assert row.type == kind
    for name, value in expected.items():
        assert row.source[name] == value
    # The files' schema reads it back unchanged: one schema for both.
    assert (
        QuestionFile.model_validate(row.source).model_dump(mode="json", exclude_defaults=True)
        == row.source
    )
    page = ivy.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved question" in page and "As the learner sees it" in page
    assert "Put the steps" not in page or kind == "ordering"


def test_a_choice_question_keeps_per_choice_feedback_and_shows_it_in_the_preview(
    ivy: FlaskClient,
) -> None:
    fields, _ = TYPES["single"]
    post_new(ivy, "first-steps", "single", fields, id="gliding")
    page = ivy.get(f"{QUIZ}/questions/gliding").get_data(as_text=True)
    # The learner's controls, then the key with each choice's feedback.
    assert 'type="radio" name="q-gliding"' in page
    assert "No: that is percussion." in page and "✓ Right" in page
    row = saved("first-steps", "gliding")
    choices = db.session.execute(
        db.select(Choice).filter_by(question_id=row.id).order_by(Choice.position)
    ).scalars()
    assert [c.feedback_html for c in choices][:2] == [
        "<p>Right: long gliding strokes.</p>\n",
        "<p>No: that is percussion.</p>\n",
    ]


def test_an_id_is_made_from_the_prompt_and_is_fixed_once_saved(ivy: FlaskClient) -> None:
    fields, _ = TYPES["true_false"]
    response = post_new(ivy, "first-steps", "true_false", fields)
    assert response.headers["Location"].endswith("/questions/massage-cures-low-back-pain#preview")
    row = saved("first-steps", "massage-cures-low-back-pain")
    url = f"{QUIZ}/questions/{row.key}"
    changed = ivy.post(
        url,
        data={
            "csrf_token": csrf_token(ivy, url),
            "based_on": quizedit.state_hash(row),
            "action": "save",
            **fields,
            "id": "something-else",  # tampered: the id stays
            "answer": "true",
        },
    )
    assert changed.status_code == 302
    again = saved("first-steps", "massage-cures-low-back-pain")
    assert again.source["answer"] is True and again.id == row.id


def test_wrong_input_is_named_beside_its_field_and_nothing_is_written(
    ivy: FlaskClient, table_counts
) -> None:
    before = table_counts()
    cases = [
        (
            "single",
            {"prompt": "", "row-0-text": "A", "row-1-text": "B", "correct": "0"},
            'id="prompt-error"',
        ),
        (
            "single",
            {"prompt": "Pick one.", "row-0-text": "A", "row-1-text": "B"},
            "needs exactly one correct choice",
        ),
        (
            "multiple",
            {
                "prompt": "Pick.",
                "row-0-text": "A",
                "row-0-correct": "on",
                "row-1-text": "B",
                "row-1-credit": "lots",
            },
            'id="row-1-credit-error"',
        ),
        ("numeric", {"prompt": "How many?", "row-0-value": "ten"}, 'id="row-0-value-error"'),
        (
            "short",
            {"prompt": "Name it.", "row-0-feedback": "Only feedback"},
            'id="row-0-text-error"',
        ),
        (
            "ordering",
            {"prompt": "Order.", "row-0-text": "One", "row-1-text": "Two"},
            "at least 3 items",
        ),
        (
            "single",
            {
                "prompt": "Pick.",
                "row-0-text": "A",
                "row-1-text": "B",
                "correct": "1",
                "references": "nobody2020",
            },
            "Not among the course",
        ),
        (
            "single",
            {
                "prompt": "Pick.",
                "row-0-text": "A",
                "row-1-text": "B",
                "correct": "1",
                "id": "Not A Slug",
            },
            'id="id-error"',
        ),
        (
            "single",
            {
                "prompt": "Pick.",
                "row-0-text": "A",
                "row-1-text": "B",
                "correct": "1",
                "points": "2.5",
            },
            "Write a whole number.",
        ),
    ]
    for kind, fields, shown in cases:
        response = post_new(ivy, "first-steps", kind, fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, (kind, fields)
        assert "Not saved" in page and shown in page, (kind, shown)
    assert table_counts() == before


def test_an_id_used_twice_in_a_quiz_is_refused(ivy: FlaskClient) -> None:
    fields, _ = TYPES["true_false"]
    assert post_new(ivy, "first-steps", "true_false", fields, id="twice").status_code == 302
    again = post_new(ivy, "first-steps", "true_false", fields, id="twice")
    assert "Another question in this quiz has the id" in again.get_data(as_text=True)


def test_a_save_over_a_question_saved_since_is_refused(ivy: FlaskClient, table_counts) -> None:
    fields, _ = TYPES["true_false"]
    post_new(ivy, "first-steps", "true_false", fields, id="statement")
    row = saved("first-steps", "statement")
    stale = quizedit.state_hash(row)
    url = f"{QUIZ}/questions/statement"
    first = {"csrf_token": csrf_token(ivy, url), "based_on": stale, "action": "save", **fields}
    assert ivy.post(url, data={**first, "answer": "true"}).status_code == 302
    before = table_counts()
    second = ivy.post(url, data={**first, "feedback_true": "From the other tab"})
    assert "saved somewhere else" in second.get_data(as_text=True)
    assert table_counts() == before
    assert saved("first-steps", "statement").source["answer"] is True


def test_preview_shows_the_learner_view_and_lint_of_what_is_typed_and_saves_nothing(
    ivy: FlaskClient, table_counts
) -> None:
    before = table_counts()
    response = post_new(
        ivy,
        "first-steps",
        "single",
        {
            "prompt": "Which of these helps low back pain?",
            "row-0-text": "Massage, in the short term, for many adults with chronic pain",
            "row-1-text": "Ice",
            "row-2-text": "Rest",
            "correct": "0",
        },
        action="preview",
    )
    page = response.get_data(as_text=True)
    assert "Preview (not saved yet)" in page and 'name="q-which-of-these-helps-low' in page
    assert "key-length" in page and "Warning" in page
    assert table_counts() == before


def test_add_more_rows_keeps_what_was_typed(ivy: FlaskClient) -> None:
    fields, _ = TYPES["single"]
    page = post_new(ivy, "first-steps", "single", fields, action="more").get_data(as_text=True)
    assert ">Tapotement</textarea>" in page and 'name="row-5-text"' in page
    assert "Not saved" not in page


def test_the_quiz_page_lists_questions_with_their_lint_and_reorders_and_removes(
    ivy: FlaskClient,
) -> None:
    post_new(
        ivy,
        "first-steps",
        "single",
        {
            "prompt": "Which of these helps low back pain?",
            "row-0-text": "Massage, in the short term, for many adults with chronic pain",
            "row-1-text": "Ice",
            "row-2-text": "Rest",
            "correct": "0",
        },
        id="cued",
    )
    page = ivy.get(QUIZ).get_data(as_text=True)
    assert 'id="q-cued"' in page and "key-length" in page
    keys = quiz_keys("first-steps")
    assert keys[-1] == "cued" and len(keys) >= 2
    move = f"{QUIZ}/questions/cued/move"
    token = csrf_token(ivy, QUIZ)
    assert ivy.post(move, data={"csrf_token": token, "direction": "up"}).status_code == 302
    assert quiz_keys("first-steps") == [*keys[:-2], "cued", keys[-2]]
    assert ivy.post(move, data={"csrf_token": token, "direction": "sideways"}).status_code == 400
    remove = f"{QUIZ}/questions/cued/remove"
    asked = ivy.post(remove, data={"csrf_token": token})
    assert "Remove the question" in asked.get_data(as_text=True)
    assert "cued" in quiz_keys("first-steps")
    done = ivy.post(remove, data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 302 and quiz_keys("first-steps") == keys[:-1]
    assert ivy.post(remove, data={"csrf_token": token, "confirmed": "yes"}).status_code == 404


def test_a_module_without_a_quiz_gets_one_with_its_first_question_and_loses_it_with_its_last(
    ivy: FlaskClient,
) -> None:
    url = DRAFT + "/quizzes/second-module"
    assert "has no questions yet" in ivy.get(url).get_data(as_text=True)
    fields, _ = TYPES["true_false"]
    assert post_new(ivy, "second-module", "true_false", fields, id="only").status_code == 302
    assert quiz_keys("second-module") == ["only"]
    token = csrf_token(ivy, url)
    done = ivy.post(f"{url}/questions/only/remove", data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 302
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    assert (
        db.session.execute(
            db.select(Quiz).filter_by(version_id=draft.id, key="second-module")
        ).scalar_one_or_none()
        is None
    )


def test_quiz_settings_are_checked_by_the_files_rules_and_saved(ivy: FlaskClient) -> None:
    url = f"{QUIZ}/settings"
    token = csrf_token(ivy, QUIZ)
    good = {
        "csrf_token": token,
        "title": "Check yourself",
        "passing_score": "70",
        "max_attempts": "3",
        "grading_method": "last",
        "review": "after_pass",
        "draw": "",
        "shuffle_choices": "y",
        "wait_hours": "1.5",
        "time_limit": "20",
    }
    assert ivy.post(url, data=good).status_code == 302
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    quiz = db.session.execute(
        db.select(Quiz).filter_by(version_id=draft.id, key="first-steps")
    ).scalar_one()
    assert (quiz.title, quiz.passing_score, quiz.max_attempts, quiz.grading_method) == (
        "Check yourself",
        70,
        3,
        "last",
    )
    assert (quiz.review, quiz.shuffle_choices, quiz.shuffle_questions) == (
        "after_pass",
        True,
        False,
    )
    assert (quiz.wait_minutes, quiz.time_limit_minutes, quiz.draw) == (90, 20, None)
    for field, value, message in [
        ("passing_score", "150", "at most 100"),
        ("max_attempts", "two", "Write a whole number."),
        ("wait_hours", "-1", "at least 0"),
        ("draw", "99", "Draw at most"),
        ("title", " ", "Give the quiz a title."),
    ]:
        page = ivy.post(url, data={**good, field: value}).get_data(as_text=True)
        assert message in page and f'id="{field}-error"' in page, field
    assert ivy.post(url, data={**good, "review": "whenever"}).status_code == 400  # tampered
    db.session.rollback()
    assert db.session.get_one(Quiz, quiz.id).passing_score == 70


def test_no_draft_or_no_such_quiz_or_question_is_404(ivy: FlaskClient, app: Flask, make_user):
    assert ivy.get(DRAFT + "/quizzes/no-such-module").status_code == 404
    assert ivy.get(QUIZ + "/questions/no-such-question").status_code == 404
    assert ivy.get(QUIZ + "/questions/new?type=essay").status_code == 404
    other = signed_in(app, make_user, "otto@example.org", "Otto")  # co-author, no draft
    assert other.get(QUIZ).status_code == 404


def quiz_keys(key: str) -> list[str]:
    db.session.rollback()
    draft = drafts.draft_of(course(), person("ivy@example.org"))
    assert draft is not None
    quiz = db.session.execute(
        db.select(Quiz).filter_by(version_id=draft.id, key=key)
    ).scalar_one_or_none()
    return [q.key for q in quizedit.questions_of(quiz)]
