"""Item-writing lint: findings for every quiz of a loaded course, with file, line, question,
rule, severity and how to fix it.

Severity follows what is at stake. In a CE course's final, a pool-level cue (the key is
usually the longest option, true/false items are mostly false) lets someone who read nothing
earn a certificate, so it is an error; everywhere else (module quizzes, practice banks) and
for single items it is a warning. ``flask courses check`` compares errors with a committed
baseline (see ``baseline.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..data import CourseData, QuizData
from . import rules
from .items import Item, item_from

POOL = "*"  # the question id of a finding about the whole pool


@dataclass(frozen=True)
class Rule:
    name: str
    pool: bool
    fix: str


RULES = {
    r.name: r
    for r in (
        Rule(
            "key-length",
            False,
            "write distractors as long and as carefully qualified as the key, or trim the key",
        ),
        Rule(
            "all-but-one-correct",
            False,
            "add plausible wrong options, or make fewer options correct",
        ),
        Rule("above-option", False, "replace 'all/none of the above' with a real option"),
        Rule(
            "negative-stem",
            False,
            "ask positively, or emphasise the negative word (NOT, **not**, *except*)",
        ),
        Rule(
            "stem-echo",
            False,
            "let a distractor use the stem's wording too, or reword the key",
        ),
        Rule("near-duplicate-stem", False, "retire one of the two, or ask something different"),
        Rule(
            "key-longest-rate",
            True,
            "vary which option is longest: make the key the longest in about a quarter of items",
        ),
        Rule(
            "key-shortest-rate",
            True,
            "vary which option is shortest: make the key the shortest in about a quarter of items",
        ),
        Rule(
            "true-false-balance",
            True,
            "make about half the true/false items true (a correct claim worth knowing)",
        ),
        Rule(
            "multiple-same-count",
            True,
            "vary the number of correct options between items (1 to all but one)",
        ),
        Rule(
            "case-length",
            True,
            "put stand-alone questions before the first case, and each case's own questions "
            "right after it",
        ),
        Rule(
            "absolute-words",
            True,
            "write distractors as hedged misconceptions; use absolute words in keys where true",
        ),
    )
}


@dataclass(frozen=True)
class Finding:
    course: str
    quiz: str  # the quiz file's stem: a module's NN-slug, or "final"
    question: str  # a question id, or POOL
    rule: str
    severity: str  # "error" or "warning"
    file: str
    line: int | None
    message: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What the baseline records: stable while lines move and wording is edited."""
        return (self.course, self.quiz, self.question, self.rule)

    @property
    def fix(self) -> str:
        return RULES[self.rule].fix

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        subject = "pool" if self.question == POOL else f"question {self.question!r}"
        return f"{where}: [{self.rule}] {subject}: {self.message}; fix: {self.fix}"


ItemCheck = Callable[[Item], str | None]
ITEM_RULES: dict[str, ItemCheck] = {
    "key-length": rules.key_length,
    "all-but-one-correct": rules.all_but_one,
    "above-option": rules.above,
    "negative-stem": rules.negative_stem,
}
PoolCheck = Callable[[Sequence[Item]], str | None]
POOL_RULES: dict[str, PoolCheck] = {
    "key-longest-rate": rules.key_longest,
    "key-shortest-rate": rules.key_shortest,
    "true-false-balance": rules.true_false_balance,
    "multiple-same-count": rules.multiple_same_count,
    "absolute-words": rules.absolute_words,
    "case-length": rules.case_length,
}


def is_ce_final(course: CourseData, quiz: QuizData) -> bool:
    return course.meta.ce_hours > 0 and quiz.key == "final"


def lint_course(course: CourseData) -> list[Finding]:
    """Every finding for every quiz of the course, in file order."""
    pools = {quiz.name: [item_from(q) for q in quiz.questions] for quiz in course.quizzes}
    rare = rules.rare_words([i for items in pools.values() for i in items])
    findings: list[Finding] = []
    for quiz in course.quizzes:
        ce_final = is_ce_final(course, quiz)
        findings += lint_quiz(course.meta.slug, quiz, pools[quiz.name], rare, ce_final)
    return findings


def lint_quiz(
    course: str, quiz: QuizData, items: Sequence[Item], rare: set[str], ce_final: bool
) -> list[Finding]:
    """One quiz's findings; ``rare`` are the course's uncommon words (``rules.rare_words``)."""

    def finding(rule: str, item: Item | None, message: str) -> Finding:
        severity = "error" if ce_final and RULES[rule].pool else "warning"
        line = item.line if item else 1
        question = item.id if item else POOL
        return Finding(course, quiz.name, question, rule, severity, quiz.file, line, message)

    by_id = {i.id: i for i in items}
    found: list[Finding] = []
    for item in items:
        for name, check in ITEM_RULES.items():
            message = check(item)
            if message:
                found.append(finding(name, item, message))
        message = rules.stem_echo(item, rare)
        if message:
            found.append(finding("stem-echo", item, message))
    for question, message in rules.near_duplicates(items):
        found.append(finding("near-duplicate-stem", by_id[question], message))
    found.sort(key=lambda f: (f.line or 0, f.rule))
    for name, check in POOL_RULES.items():
        message = check(items)
        if message:
            found.append(finding(name, None, message))
    return found


def as_records(found: Sequence[Finding]) -> list[dict[str, Any]]:
    """Findings as a version keeps them (``CourseVersion.lint``): whether they came from an
    import of files or from the studio's rows, in one shape."""
    return [
        {
            "severity": f.severity,
            "rule": f.rule,
            "quiz": f.quiz,
            "question": f.question,
            "message": f.message,
            "fix": f.fix,
        }
        for f in found
    ]
