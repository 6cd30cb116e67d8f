"""``flask courses check``'s lint as CI and an instructor meet it: the baseline, --stats."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from eduapp.content.lint import baseline
from tests.content.lintkit import cued_course

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A catalogue holding one CE course whose final trips pool rules (the pre-rewrite pool)."""
    cued_course(tmp_path)
    return tmp_path


def _accept(runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("CI", raising=False)
    result = runner.invoke(args=["courses", "check", str(catalogue), "--write-baseline"])
    assert result.exit_code == 0, result.output
    return result.output


def test_new_errors_fail_and_name_file_line_rule_and_fix(
    runner: FlaskCliRunner, catalogue: Path
) -> None:
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 1
    final = catalogue / "massage-safety" / "final.quiz.yml"
    assert (
        f"error: {final}:1: [key-longest-rate] pool: the key is the longest option in 23 of 23 "
        "(100%) single-choice items (limit 35%); fix: vary which option is longest"
    ) in result.output
    # Item findings, and module quizzes, are warnings.
    assert f"warning: {final}:" in result.output
    module_quiz = catalogue / "massage-safety" / "01-risk-profile.quiz.yml"
    assert f"warning: {module_quiz}:1: [key-longest-rate]" in result.output
    assert "3 lint errors not in lint-baseline.yml" in result.output


def test_ci_may_not_write_the_baseline(
    runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    result = runner.invoke(args=["courses", "check", str(catalogue), "--write-baseline"])
    assert result.exit_code == 1
    assert "--write-baseline is for hand use" in result.output
    assert not (catalogue / baseline.FILE_NAME).exists()


def test_baseline_accepts_todays_findings_and_only_new_errors_fail(
    runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = _accept(runner, catalogue, monkeypatch)
    assert "baseline: added massage-safety/final/*/key-longest-rate" in written
    file = catalogue / baseline.FILE_NAME
    text = file.read_text()
    assert "    key-longest-rate:\n    - '*'\n" in text
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output and "warning: " not in result.output
    assert "lint: massage-safety: " in result.output
    assert "finding(s) accepted in lint-baseline.yml" in result.output
    # Checking the course folder itself finds the baseline beside it.
    alone = runner.invoke(args=["courses", "check", str(catalogue / "massage-safety")])
    assert alone.exit_code == 0, alone.output
    # A finding that appears after the baseline (here: its entry removed) fails again.
    file.write_text(
        baseline.render(k for k in baseline.read(file) if k[1:] != ("final", "*", "absolute-words"))
    )
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 1
    assert "[absolute-words] pool:" in result.output
    assert "1 lint error not in lint-baseline.yml" in result.output


def test_warnings_never_fail(
    runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accept only the errors: every warning still prints, and the check passes."""
    _accept(runner, catalogue, monkeypatch)
    file = catalogue / baseline.FILE_NAME
    file.write_text(baseline.render(k for k in baseline.read(file) if k[1:3] == ("final", "*")))
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "[key-length]" in result.output
    assert "error:" not in result.output


def test_stale_entries_are_reported_for_removal(
    runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _accept(runner, catalogue, monkeypatch)
    file = catalogue / baseline.FILE_NAME
    keys = baseline.read(file) | {
        ("massage-safety", "final", "retired-question", "key-length"),
        ("other-course", "final", "*", "key-longest-rate"),  # not checked here: not stale
    }
    file.write_text(baseline.render(keys))
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 0, result.output
    assert (
        "lint: stale baseline entry massage-safety/final/retired-question/key-length is no "
        "longer found; remove it from lint-baseline.yml"
    ) in result.output
    assert "other-course" not in result.output
    rewritten = _accept(runner, catalogue, monkeypatch)
    assert "baseline: removed massage-safety/final/retired-question/key-length" in rewritten


def test_show_known_lists_accepted_findings(
    runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _accept(runner, catalogue, monkeypatch)
    result = runner.invoke(args=["courses", "check", str(catalogue), "--show-known"])
    assert result.exit_code == 0, result.output
    assert "[key-longest-rate] pool:" in result.output
    assert "(in the baseline)" in result.output


def test_a_malformed_baseline_is_refused(runner: FlaskCliRunner, catalogue: Path) -> None:
    (catalogue / baseline.FILE_NAME).write_text("- just\n- a list\n")
    result = runner.invoke(args=["courses", "check", str(catalogue)])
    assert result.exit_code == 1
    assert "expected course: quiz: rule: [question ids]" in result.output


def test_stats_prints_each_final_with_every_strategy(
    runner: FlaskCliRunner, catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _accept(runner, catalogue, monkeypatch)
    result = runner.invoke(args=["courses", "check", str(catalogue), "--stats"])
    assert result.exit_code == 0, result.output
    assert (
        "massage-safety final: pool of 32 (3 multiple, 23 single, 6 true/false), 20 drawn, "
        "pass mark 80%, 3 attempt(s), options shuffled"
    ) in result.output
    assert "chance score (blind guessing):" in result.output
    assert (
        "  key longest in 23/23, shortest in 0/23 single-choice items; "
        "0/6 true/false items keyed true\n"
    ) in result.output
    for name in (
        "longest",
        "shortest",
        "middle length",
        "most hedged",
        "most overlap with stem",
        "first",
        "last",
        "all true",
        "all false",
        "avoid absolutes",
        "random",
        "best per type",
    ):
        assert f"\n  {name} " in result.output
    # Module quizzes are not finals: one table only.
    assert result.output.count("chance score") == 1


def test_the_catalogue_needs_no_baseline() -> None:
    """Issue 11 is done when the baseline is empty and deleted: every shipped quiz was
    rewritten to pass the lint, so a new finding must be fixed, not accepted."""
    assert not (ROOT / "courses" / baseline.FILE_NAME).exists()
