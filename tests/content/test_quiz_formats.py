"""GIFT and Aiken quizzes in a course folder, and ``flask quiz convert|export``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eduapp.content import export
from eduapp.extensions import db
from eduapp.models import Choice, Course, CourseVersion, Question, Quiz
from tests.conftest import FIXTURES, AuthActions, csrf_token

GIFT_COURSE = FIXTURES / "gift" / "gift-course"
STROKES = GIFT_COURSE / "01-strokes.quiz.gift"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    target = tmp_path / "gift-course"
    shutil.copytree(GIFT_COURSE, target)
    return target


def quiz(name: str) -> Quiz:
    return db.session.execute(db.select(Quiz).filter_by(name=name)).scalar_one()


def test_import_reads_gift_and_aiken_with_settings_from_course_yml(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["courses", "import", str(GIFT_COURSE)])
    assert result.exit_code == 0, result.output
    assert "13 questions added" in result.output
    strokes = quiz("01-strokes")
    assert (strokes.title, strokes.max_attempts, strokes.shuffle_choices, strokes.review) == (
        "Strokes: check your understanding",
        2,
        True,
        "after_last_attempt",
    )
    safety = quiz("02-safety")
    assert (safety.title, safety.max_attempts, safety.review) == (
        "Quiz: Safety",
        None,
        "immediately",
    )
    rows = {
        q.key: q
        for q in db.session.execute(db.select(Question).filter_by(quiz_id=strokes.id)).scalars()
    }
    assert rows["stroke-names"].type == "matching"
    assert rows["kneading-name"].spec["feedback_wrong_html"] == (
        "<p>Review the strokes at the start of the module.</p>\n"
    )
    # [html] text is sanitised like rendered Markdown.
    step = rows["case-first-step"]
    assert step.prompt_html == "For Ana, what comes <em>first</em>?"
    choice = db.session.execute(
        db.select(Choice).filter_by(question_id=step.id, position=0)
    ).scalar_one()
    assert choice.text_html == "Screening for red flags "
    assert rows["case-intro"].prompt_html.startswith("<p>Case: Ana, 42")
    assert "&amp; asks for *deep* work" in rows["case-intro"].prompt_html
    assert rows["escapes"].source["prompt"].startswith("Braces { }, signs = ~ # and a colon:")
    again = runner.invoke(args=["courses", "import", str(GIFT_COURSE)])
    assert again.output == "gift-course: unchanged\n"


def test_check_warns_that_unnamed_questions_are_identified_by_position(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["courses", "check", str(GIFT_COURSE)])
    assert result.exit_code == 0, result.output
    assert "02-safety.quiz.aiken: Aiken has no question names" in result.output
    assert "reordering the file retires those questions" in result.output


def test_a_moodle_bank_with_a_repeated_name_passes_check_with_a_warning_and_imports(
    app: Flask, runner: FlaskCliRunner, course: Path
) -> None:
    gift = course / "01-strokes.quiz.gift"
    gift.write_text(
        "// question: 1  name: Stroke\n// [tag:strokes]\n"
        "::Stroke::Which stroke glides?{=Effleurage ~Tapotement}\n\n"
        "// question: 2  name: Stroke\n::Stroke::Which stroke kneads?{=Petrissage ~Effleurage}\n"
    )
    result = runner.invoke(args=["courses", "check", str(course)])
    assert result.exit_code == 0, result.output
    assert f"warning: {gift}:6: the questions on lines 3 and 6 both give the id 'stroke'" in (
        result.output
    )
    result = runner.invoke(args=["courses", "import", str(course)])
    assert result.exit_code == 0, result.output
    questions = db.session.execute(
        db.select(Question).filter_by(quiz_id=quiz("01-strokes").id)
    ).scalars()
    rows = {q.key: q for q in questions}
    assert set(rows) == {"stroke", "stroke-2"}
    assert rows["stroke"].source["tags"] == ["strokes"]
    assert rows["stroke-2"].source["name"] == "Stroke"


def test_a_bad_gift_file_names_file_and_line_and_imports_nothing(
    runner: FlaskCliRunner, course: Path, table_counts
) -> None:
    gift = course / "01-strokes.quiz.gift"
    gift.write_text(gift.read_text().replace("{#60:15}", "{#sixty}"))
    before = table_counts()
    result = runner.invoke(args=["courses", "import", str(course)])
    assert result.exit_code == 1
    assert f"error: {gift}:33: numeric answer 'sixty' is not a number" in result.output
    assert table_counts() == before


def test_course_yml_settings_must_name_a_gift_or_aiken_quiz(
    runner: FlaskCliRunner, course: Path
) -> None:
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text + "  final:\n    max_attempts: 3\n")
    result = runner.invoke(args=["courses", "check", str(course)])
    assert result.exit_code == 1
    assert "course.yml:19: quizzes.final: settings here are for GIFT and Aiken quizzes" in (
        result.output
    )
    assert "(final.quiz.gift or final.quiz.aiken)" in result.output


def test_one_quiz_in_two_formats_is_refused(runner: FlaskCliRunner, course: Path) -> None:
    (course / "01-strokes.quiz.yml").write_text(
        "title: T\nquestions:\n- {id: q, type: true_false, prompt: P, answer: true}\n"
    )
    result = runner.invoke(args=["courses", "check", str(course)])
    assert result.exit_code == 1
    assert "01-strokes.quiz.gift is also quiz '01-strokes'; keep one of the two" in result.output


def test_convert_gift_to_yaml_and_back(runner: FlaskCliRunner, tmp_path: Path) -> None:
    as_yaml = runner.invoke(args=["quiz", "convert", str(STROKES), "--to", "yaml"])
    assert as_yaml.exit_code == 0, as_yaml.output
    data = yaml.safe_load(as_yaml.stdout)
    assert data["title"] == "01 strokes"
    assert [q["id"] for q in data["questions"]][:2] == ["opening-stroke", "soreness-outcomes"]
    yml = tmp_path / "strokes.quiz.yml"
    yml.write_text(as_yaml.stdout)
    as_gift = runner.invoke(args=["quiz", "convert", str(yml), "--to", "gift"])
    assert as_gift.exit_code == 0, as_gift.output
    assert "::kneading-name::[markdown]What is the kneading stroke called? {" in as_gift.stdout
    exported = tmp_path / "bank.txt"  # Moodle exports GIFT as .txt
    exported.write_text(as_gift.stdout)
    back = runner.invoke(
        args=[
            "quiz",
            "convert",
            str(exported),
            "--from",
            "gift",
            "--to",
            "yaml",
            "--title",
            "01 strokes",
        ]
    )
    assert back.stdout == as_yaml.stdout


def test_convert_aiken_to_gift(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["quiz", "convert", str(GIFT_COURSE / "02-safety.quiz.aiken"), "--to", "gift"]
    )
    assert result.exit_code == 0, result.output
    assert "::02-safety-2::[markdown]Fragile bones call for which change? {" in result.stdout
    assert "\t=Lighter pressure\n" in result.stdout


def test_convert_refuses_a_bad_file_and_prints_nothing(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.quiz.gift"
    bad.write_text("// fine\n\nQ one {T}\n\nQ two {\n~only one\n}\n")
    result = runner.invoke(args=["quiz", "convert", str(bad), "--to", "yaml"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"error: {bad}:5: multiple choice needs at least two answers" in result.output
    assert f"{bad} was not converted" in result.output
    unknown = tmp_path / "bank.txt"
    unknown.write_text("Q {T}")
    result = runner.invoke(args=["quiz", "convert", str(unknown), "--to", "yaml"])
    assert result.exit_code == 1
    assert "a quiz file ends in .quiz.yml, .quiz.gift or .quiz.aiken" in result.output


def test_export_writes_the_stored_quiz_as_gift_or_yaml(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["courses", "import", str(GIFT_COURSE)])
    args = ["quiz", "export", "--course", "gift-course", "--quiz", "01-strokes"]
    as_yaml = runner.invoke(args=[*args, "--format", "yaml"])
    assert as_yaml.exit_code == 0, as_yaml.output
    data = yaml.safe_load(as_yaml.stdout)
    assert data["max_attempts"] == 2 and data["review"] == "after_last_attempt"
    as_gift = runner.invoke(args=[*args, "--format", "gift"])
    assert as_gift.exit_code == 0, as_gift.output
    assert "//   01-strokes:\n//     title: 'Strokes: check your understanding'" in as_gift.stdout
    file = tmp_path / "01-strokes.quiz.gift"
    file.write_text(as_gift.stdout)
    back = runner.invoke(args=["quiz", "convert", str(file), "--to", "yaml"])
    assert yaml.safe_load(back.stdout)["questions"] == data["questions"]


def test_export_refuses_what_gift_cannot_hold_and_unknown_quizzes(
    app: Flask, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["courses", "import", str(FIXTURES / "types")])
    args = ["quiz", "export", "--course", "types-course", "--quiz", "01-types"]
    result = runner.invoke(args=[*args, "--format", "gift"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "question 'order': GIFT has no ordering questions" in result.output
    assert runner.invoke(args=[*args, "--format", "yaml"]).exit_code == 0
    missing = runner.invoke(args=["quiz", "export", "--course", "types-course", "--quiz", "x"])
    assert "no quiz 'x' in course 'types-course'" in missing.output
    db.session.execute(db.update(Question).values(source=None))
    db.session.commit()
    stale = runner.invoke(args=[*args, "--format", "yaml"])
    assert stale.exit_code == 1
    assert "run `flask courses import` and export again" in stale.output


def test_export_refuses_a_question_stored_before_a_rule_was_added(
    app: Flask, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["courses", "import", str(FIXTURES / "types")])
    question = db.session.execute(db.select(Question).filter_by(key="order")).scalar_one()
    question.source = {**question.source, "items": question.source["items"][:2]}
    db.session.commit()
    args = ["quiz", "export", "--course", "types-course", "--quiz", "01-types"]
    result = runner.invoke(args=[*args, "--format", "yaml"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        "the stored quiz breaks a rule of today's file format (questions.5: an ordering "
        "question needs at least 3 items, not 2" in result.output
    )


def test_a_learner_takes_a_gift_quiz_and_sees_the_catch_all_feedback(
    app: Flask, client: FlaskClient, auth: AuthActions, runner: FlaskCliRunner
) -> None:
    runner.invoke(args=["courses", "import", str(GIFT_COURSE)])
    auth.signup()
    page = "/courses/gift-course/quizzes/strokes"
    results = []
    for _ in range(2):  # course.yml: 2 attempts, feedback after the last one
        start = client.post(page + "/start", data={"csrf_token": csrf_token(client, page)})
        path = start.headers["Location"]
        html = client.get(path).get_data(as_text=True)
        # Neither the key nor its feedback is in the page; the [html] script is gone.
        assert "Review the strokes" not in html and "That describes it" not in html
        assert "<script>" not in html
        client.post(
            path + "/submit",
            data={
                "confirmed": "yes",
                "q-kneading-name": "stroking",
                "csrf_token": csrf_token(client, path),
            },
        )
        results.append(client.get(path + "/result").get_data(as_text=True))
    feedback = "Review the strokes at the start of the module."
    assert feedback not in results[0]
    assert feedback in results[1]


def test_both_exports_write_the_quiz_settings_as_stored(
    app: Flask, runner: FlaskCliRunner, imported: None
) -> None:
    """``flask quiz export`` and the course's export write a quiz's settings alike; the course
    file leaves out a passing score that is the course's own."""
    final = db.session.execute(db.select(Quiz).filter_by(key="final")).scalar_one()
    final.wait_minutes, final.time_limit_minutes, final.shuffle_questions = 90, 20, True
    db.session.commit()
    args = ["quiz", "export", "--course", "sample-course", "--quiz", "final", "--format", "yaml"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    alone = yaml.safe_load(result.stdout)
    course = db.session.get_one(Course, final.course_id)
    version = db.session.get_one(CourseVersion, course.current_version_id)
    in_course = yaml.safe_load(export.files_of(course, version)["final.quiz.yml"])
    for data in (alone, in_course):
        assert (data["wait_hours"], data["time_limit"], data["shuffle_questions"]) == (
            1.5,
            20,
            True,
        )
        assert data["max_attempts"] == 3 and data["passing_score"] == 50
