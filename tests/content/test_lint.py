"""The lint over loaded courses: severity by quiz, lines in every format, how a finding reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduapp.content.lint import POOL, Finding, lint_course, lint_quiz
from eduapp.content.lint.items import plain
from eduapp.content.loader import load_course
from tests.conftest import FIXTURES
from tests.content.lintkit import cued_course, items, items_from_text, quiz_text, single, true_false

ROOT = Path(__file__).resolve().parents[2]
GIFT_COURSE = FIXTURES / "gift" / "gift-course"


class _Quiz:
    name, file = "final", "courses/x/final.quiz.yml"


def _cued_pool() -> list:
    """A pool that trips an item rule (key length) and a pool rule (true/false balance)."""
    return items(
        single("long-key", "k" * 50, ["d" * 10, "d" * 10]),
        *[true_false(f"t{i}", f"Claim {i}.", False) for i in range(4)],
    )


def test_pool_findings_are_errors_only_on_a_ce_final() -> None:
    on_final = lint_quiz("x", _Quiz(), _cued_pool(), set(), ce_final=True)  # type: ignore[arg-type]
    severity = {f.rule: f.severity for f in on_final}
    assert severity == {"key-length": "warning", "true-false-balance": "error"}
    elsewhere = lint_quiz("x", _Quiz(), _cued_pool(), set(), ce_final=False)  # type: ignore[arg-type]
    assert {f.severity for f in elsewhere} == {"warning"}


def test_a_finding_names_file_line_question_rule_and_fix() -> None:
    found = lint_quiz("x", _Quiz(), _cued_pool(), set(), ce_final=True)  # type: ignore[arg-type]
    item, pool = found
    assert item.key == ("x", "final", "long-key", "key-length")
    assert str(item) == (
        "courses/x/final.quiz.yml:3: [key-length] question 'long-key': the key is 5.00 times "
        "the mean distractor length (limit 1.3); fix: write distractors as long and as "
        "carefully qualified as the key, or trim the key"
    )
    assert pool.question == POOL
    assert str(pool).startswith(
        "courses/x/final.quiz.yml:1: [true-false-balance] pool: 0 of 4 (0%) true/false items "
        "are keyed true"
    )


def test_yaml_lines_are_where_each_question_starts() -> None:
    text = quiz_text([single("first", "a", ["b", "c"]), single("second", "a", ["b", "c"])])
    lines = text.splitlines()
    for found in items_from_text(text):
        assert lines[found.line - 1].endswith(f"id: {found.id}")


def test_gift_and_aiken_keep_each_questions_line() -> None:
    """Both parsers record where a question starts, so no format needs the id looked up."""
    gift = (GIFT_COURSE / "01-strokes.quiz.gift").read_text()
    lines = gift.splitlines()
    for found in items_from_text(gift, "gift"):
        assert f"::{found.id}::" in lines[found.line - 1]
    aiken = (GIFT_COURSE / "02-safety.quiz.aiken").read_text()
    lines = aiken.splitlines()
    for found in items_from_text(aiken, "aiken"):
        assert lines[found.line - 1] == found.stem


def test_lint_reads_every_format_and_type() -> None:
    """A practice course in GIFT and Aiken, with matching, numeric and short questions."""
    findings = lint_course(load_course(GIFT_COURSE))
    assert all(isinstance(f, Finding) and f.severity == "warning" for f in findings)
    by_question = {(f.quiz, f.question, f.rule) for f in findings}
    # "Effleurage" against "Tapotement" and "Deep friction over the spine": a short key.
    assert ("01-strokes", "opening-stroke", "key-length") in by_question
    # Weighted GIFT answers (%50%, %50%, %-100%) count as two of three correct.
    assert ("01-strokes", "soreness-outcomes", "all-but-one-correct") in by_question


def test_ce_final_pool_errors_and_module_quiz_warnings_on_a_real_course(tmp_path: Path) -> None:
    findings = lint_course(load_course(cued_course(tmp_path)))
    errors = {(f.quiz, f.rule) for f in findings if f.severity == "error"}
    assert ("final", "key-longest-rate") in errors
    assert all(f.quiz == "final" and f.question == POOL for f in findings if f.severity == "error")
    assert any(f.quiz != "final" and f.question == POOL for f in findings)


def test_plain_text_drops_markup_and_entities() -> None:
    assert plain("<p>Heat &amp; <strong>ice</strong></p>\n") == "Heat & ice"


SHIPPED = sorted(p.parent.name for p in (ROOT / "courses").glob("*/course.yml"))


def test_the_shipped_catalogue_is_found() -> None:
    assert {"ethics-scope", "body-mechanics-documentation"} <= set(SHIPPED)


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_shipped_quiz_has_no_finding(slug: str) -> None:
    """Issue 11: every final and module quiz was rewritten so that no rule trips on it, not
    even a warning; a regression must not hide in a baseline. Every course folder is covered,
    so a new course cannot ship with findings by being left off a list."""
    assert lint_course(load_course(ROOT / "courses" / slug)) == []
