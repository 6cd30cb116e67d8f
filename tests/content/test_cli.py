"""``flask courses check|import|schema`` as an instructor runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from eduapp.content.schema import json_schema
from eduapp.extensions import db
from eduapp.models import Course
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def test_check_prints_each_course_with_its_word_count(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["courses", "check"])
    assert result.exit_code == 0, result.output
    assert (
        "sample-course: 2 modules, 2 quizzes, 4 questions, 41 words (supports 0 CE; declares 0)"
        in result.output
    )
    assert "ok: 1 course valid" in result.output
    # The fixture is not a CE course: its shortfalls are warnings, not errors.
    assert "warning: " in result.output
    assert "01-first-steps.quiz.yml:1: a quiz needs at least 6 questions, not 3" in result.output


def test_shipped_catalogue_is_valid(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["courses", "check", str(ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "massage-pain-rehab:" in result.output


def test_bad_file_exits_nonzero_names_the_line_and_writes_nothing(
    runner: FlaskCliRunner, tmp_path: Path, table_counts
) -> None:
    target = tmp_path / "sample-course"
    shutil.copytree(FIXTURES / "courses" / "sample-course", target)
    (target / "course.yml").write_text(
        (target / "course.yml").read_text().replace("title:", "titel:")
    )
    before = table_counts()
    result = runner.invoke(args=["courses", "import", str(target)])
    assert result.exit_code == 1
    assert f"error: {target}/course.yml:3: titel: unknown key (check its spelling)" in result.output
    assert f"error: {target}/course.yml:1: title: is required" in result.output
    assert "2 problems found; nothing was imported" in result.output
    assert table_counts() == before


def test_import_twice(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["courses", "import"])
    assert first.exit_code == 0, first.output
    assert "sample-course: 1 course created" in first.output
    second = runner.invoke(args=["courses", "import"])
    assert second.output == "sample-course: unchanged\n"
    assert db.session.scalar(db.select(db.func.count()).select_from(Course)) == 1


def test_committed_json_schema_matches_the_models(runner: FlaskCliRunner, tmp_path: Path) -> None:
    committed = json.loads((ROOT / "docs" / "course-format.schema.json").read_text())
    assert committed == json_schema(), "run: flask courses schema -o docs/course-format.schema.json"
    out = tmp_path / "schema.json"
    result = runner.invoke(args=["courses", "schema", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text()) == committed
    printed = runner.invoke(args=["courses", "schema"])
    assert json.loads(printed.output)["$defs"]["QuizFile"]["title"] == "QuizFile"


def test_two_item_ordering_is_refused_with_file_and_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Shuffled so that it never shows the answer, a two-item question can only be shown
    reversed, so the learner could read the key off the page."""
    target = tmp_path / "types-course"
    shutil.copytree(FIXTURES / "types" / "types-course", target)
    quiz = target / "01-types.quiz.yml"
    quiz.write_text(
        quiz.read_text()
        .replace("      - {id: treat, text: Treat}\n", "")
        .replace("      - {id: record, text: Record the session}\n", "")
    )
    result = runner.invoke(args=["courses", "check", str(target)])
    assert result.exit_code == 1
    assert (
        f"error: {quiz}:46: questions.5: an ordering question needs at least 3 items, not 2 "
        "(shuffled, two items can only be shown reversed, which gives the answer away)"
    ) in result.output


def test_json_schema_asks_ordering_questions_for_three_items() -> None:
    """Editors that check files against the schema flag a two-item list as it is typed."""
    committed = json.loads((ROOT / "docs" / "course-format.schema.json").read_text())
    items = committed["$defs"]["QuestionFile"]["properties"]["items"]["anyOf"]
    assert {"type": "array", "items": {"$ref": "#/$defs/OrderItem"}, "minItems": 3} in items
