"""flask quiz regrade: a corrected key regrades past attempts from their snapshots, audited."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from eduapp.extensions import db
from eduapp.models import Answer, Attempt, ModuleProgress, Regrade
from tests.conftest import AuthActions, csrf_token
from tests.coursefiles import import_folder

QUIZ = "/courses/sample-course/quizzes/first-steps"


def take(app: Flask, email: str, answers: dict) -> str:
    client = app.test_client()
    AuthActions(client).signup(email=email, name=email.split("@")[0])
    page = "/courses/sample-course/modules/first-steps"
    client.post(page + "/read", data={"csrf_token": csrf_token(client, page)})
    path = client.post(QUIZ + "/start", data={"csrf_token": csrf_token(client, QUIZ)}).headers[
        "Location"
    ]
    client.post(
        path + "/submit",
        data={"confirmed": "yes", **answers, "csrf_token": csrf_token(client, path)},
    )
    return path


def fix_key(courses: Path) -> None:
    """Import the fixture catalogue with the first quiz's single-choice key moved to b."""
    quiz = courses / "sample-course" / "01-first-steps.quiz.yml"
    text = quiz.read_text().replace(
        "        text: The right one\n        correct: true\n", "        text: The right one\n"
    )
    quiz.write_text(
        text.replace(
            "        text: The wrong one\n", "        text: The wrong one\n        correct: true\n"
        )
    )
    import_folder(courses)


def test_regrade_after_a_key_fix(
    app: Flask, imported: None, runner: FlaskCliRunner, course_files: Path
) -> None:
    rest = {"q-q-multi": ["a", "b"], "q-q-tf": "false"}
    take(app, "amy@example.org", {"q-q-single": "a", **rest})  # right under the old key
    take(app, "ben@example.org", {"q-q-single": "b", **rest})  # right under the corrected key
    fix_key(course_files)

    result = runner.invoke(
        args=["quiz", "regrade", "--course", "sample-course", "--quiz", "01-first-steps"]
    )
    assert result.exit_code == 0, result.output
    assert "attempt 1 of amy@example.org: 100.00% -> 66.67% (pass -> fail)" in result.output
    assert "attempt 1 of ben@example.org: 66.67% -> 100.00% (fail -> pass)" in result.output
    assert result.output.endswith("2 attempts changed, 1 now pass, 1 now fail\n")

    db.session.rollback()
    audits = db.session.execute(db.select(Regrade).order_by(Regrade.id)).scalars().all()
    assert [(a.old_score, a.new_score, a.old_passed, a.new_passed) for a in audits] == [
        (Decimal("100.00"), Decimal("66.67"), True, False),
        (Decimal("66.67"), Decimal("100.00"), False, True),
    ]
    original = audits[0].old_snapshot["questions"][0]["choices"]
    assert [c["correct"] for c in original] == [True, False]  # the original key is kept
    ben = db.session.execute(
        db.select(Attempt).where(Attempt.score == Decimal("100.00"))
    ).scalar_one()
    assert [c["correct"] for c in ben.snapshot["questions"][0]["choices"]] == [False, True]
    marks = (
        db.session.execute(
            db.select(Answer.mark).where(Answer.attempt_id == ben.id).order_by(Answer.position)
        )
        .scalars()
        .all()
    )
    assert marks == [Decimal(1), Decimal(1), Decimal(1)]
    # Ben now passes, so his read module completes; Amy's completion, once given, stays.
    progress = db.session.execute(
        db.select(ModuleProgress).where(ModuleProgress.user_id == ben.user_id)
    ).scalar_one()
    assert progress.completed_at is not None
    again = runner.invoke(
        args=["quiz", "regrade", "--course", "sample-course", "--quiz", "01-first-steps"]
    )
    assert again.output == "0 attempts changed, 0 now pass, 0 now fail\n"


def test_regrade_unknown_quiz(runner: FlaskCliRunner, imported: None) -> None:
    result = runner.invoke(args=["quiz", "regrade", "--course", "sample-course", "--quiz", "nope"])
    assert result.exit_code == 1
    assert "no quiz 'nope' in course 'sample-course'" in result.output


def test_corrected_question_replaces_only_the_key() -> None:
    from types import SimpleNamespace

    from eduapp.quiz.regrade import corrected_question

    matching = {
        "type": "matching",
        "options": [{"key": "o1", "text": "Gliding"}, {"key": "o2", "text": "Kneading"}],
        "pairs": {"eff": "o2", "pet": "o1"},
        "stems": [],
        "choices": [],
    }
    live = SimpleNamespace(
        choices=[],
        spec={"pairs": [{"key": "eff", "answer": "Gliding"}, {"key": "pet", "answer": "Kneading"}]},
    )
    assert corrected_question(matching, live)["pairs"] == {"eff": "o1", "pet": "o2"}
    ordering = {"type": "ordering", "order": ["a", "b"], "items": [], "choices": []}
    live = SimpleNamespace(choices=[], spec={"items": [{"key": "b"}, {"key": "a"}]})
    assert corrected_question(ordering, live)["order"] == ["b", "a"]
    live = SimpleNamespace(choices=[], spec={"items": [{"key": "c"}]})  # items changed: keep
    assert corrected_question(ordering, live)["order"] == ["a", "b"]
    short = {"type": "short", "answers": [{"text": "old"}], "choices": []}
    live = SimpleNamespace(choices=[], spec={"answers": [{"text": "new"}]})
    assert corrected_question(short, live)["answers"] == [{"text": "new"}]
    assert short["answers"] == [{"text": "old"}]  # the original snapshot is not touched


def test_a_reworded_choice_keeps_the_key_the_learner_was_graded_against() -> None:
    from types import SimpleNamespace

    from eduapp.quiz.regrade import corrected_question

    old = {
        "type": "single",
        "choices": [
            {"key": "a", "text_html": "Right", "correct": True, "fraction": None},
            {"key": "b", "text_html": "Wrong", "correct": False, "fraction": None},
        ],
    }
    # The live question reused key "a" for another text (a positional id, say).
    live = SimpleNamespace(
        choices=[
            SimpleNamespace(key="a", text_html="New distractor", is_correct=False, fraction=None),
            SimpleNamespace(key="b", text_html="Wrong", is_correct=False, fraction=None),
        ],
        spec={},
    )
    new = corrected_question(old, live)
    assert [c["correct"] for c in new["choices"]] == [True, False]


def retire_single(courses: Path) -> None:
    """Import the fixture catalogue with q-single removed from the first quiz (so retired)."""
    quiz = courses / "sample-course" / "01-first-steps.quiz.yml"
    text = quiz.read_text()
    start, end = text.index("  - id: q-single\n"), text.index("  - id: q-multi\n")
    quiz.write_text(text[:start] + text[end:])
    import_folder(courses)


def test_a_withdrawn_question_credits_everyone_and_never_fails_a_pass(
    app: Flask, imported: None, runner: FlaskCliRunner, course_files: Path
) -> None:
    rest = {"q-q-multi": ["a", "b"], "q-q-tf": "false"}
    amy = take(app, "amy@example.org", {"q-q-single": "a", **rest})  # as the course taught
    take(app, "ben@example.org", {"q-q-single": "b", **rest})
    take(app, "cy@example.org", {"q-q-multi": ["a", "b"]})  # q-single unanswered
    command = ["quiz", "regrade", "--course", "sample-course", "--quiz", "01-first-steps"]

    # A question still in the quiz cannot be withdrawn: nothing changes.
    live = runner.invoke(args=[*command, "--withdraw", "q-single"])
    assert live.exit_code == 1
    assert "question 'q-single' is still in quiz '01-first-steps'" in live.output
    unknown = runner.invoke(args=[*command, "--withdraw", "q-nope"])
    assert unknown.exit_code == 1 and "has no question 'q-nope'" in unknown.output
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Regrade.id))) == 0

    retire_single(course_files)
    result = runner.invoke(args=[*command, "--withdraw", "q-single", "--reason", "key was wrong"])
    assert result.exit_code == 0, result.output
    # Amy keeps her marks; Ben and Cy get q-single's mark whatever they answered.
    assert "amy@example.org" not in result.output
    assert "attempt 1 of ben@example.org: 66.67% -> 100.00% (fail -> pass)" in result.output
    assert "attempt 1 of cy@example.org: 33.33% -> 66.67%" in result.output
    assert result.output.endswith("2 attempts changed, 1 now pass, 0 now fail\n")

    db.session.rollback()
    scores = dict(
        db.session.execute(db.select(Attempt.id, Attempt.score).order_by(Attempt.id)).all()
    )
    assert list(scores.values()) == [Decimal("100.00"), Decimal("100.00"), Decimal("66.67")]
    # Amy's snapshot was marked too, and audited, though her grade stayed.
    assert db.session.scalar(db.select(db.func.count(Regrade.id))) == 3
    ben = db.session.execute(
        db.select(Attempt).order_by(Attempt.id).offset(1).limit(1)
    ).scalar_one()
    assert ben.snapshot["questions"][0]["withdrawn"] == "key was wrong"
    # Running it again, with or without the flag, changes nothing: it stays withdrawn.
    assert runner.invoke(args=command).output == "0 attempts changed, 0 now pass, 0 now fail\n"

    # The learner's review says why the question counts for everyone.
    client = app.test_client()
    AuthActions(client).login("amy@example.org")
    html = client.get(amy + "/result").get_data(as_text=True)
    assert "withdrawn after its answer key was found to be wrong" in html
