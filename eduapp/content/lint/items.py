"""Questions as the lint and the strategy simulation see them: plain text, options, the key.

Built from the loader's ``QuestionData``, which every quiz format (YAML, GIFT, Aiken) ends up
as, so the rules never care which format a question was written in. Each question keeps the
line the loader found for it (YAML from the node tree, GIFT and Aiken from their parsers).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..data import QuestionData
from .words import STOPWORDS

TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
EMPHASIS = re.compile(r"<(strong|em|b|i|u)\b[^>]*>(.*?)</\1>", re.S | re.I)
MIN_CONTENT_WORD = 4


def plain(text_html: str) -> str:
    """The text a learner reads, without markup."""
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", text_html))).strip()


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def normal(word: str) -> str:
    """A crude stem, so that "clots" and "clot" count as the same word."""
    word = word.removesuffix("'s")
    if len(word) > MIN_CONTENT_WORD and word[-1] == "s" and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def content_words(text: str) -> set[str]:
    """Words that carry meaning: no stopwords, nothing shorter than four letters."""
    # Stopwords are checked after stemming too, so "questions" goes the way of "question".
    found = {normal(w) for w in words(text) if len(w) >= MIN_CONTENT_WORD}
    return found - STOPWORDS


def count_listed(text: str, listed: frozenset[str]) -> int:
    """How many times words or phrases of ``listed`` occur in ``text``."""
    tokens = words(text)
    joined = f" {' '.join(tokens)} "
    singles = sum(t in listed for t in tokens)
    phrases = sum(joined.count(f" {p} ") for p in listed if " " in p)
    return singles + phrases


def emphasised_words(text_html: str) -> set[str]:
    """Words inside <strong>, <em>, <b>, <i> or <u> (Markdown's **bold** and *italics*)."""
    return {w for _, inner in EMPHASIS.findall(text_html) for w in words(plain(inner))}


@dataclass(frozen=True)
class Option:
    key: str
    text: str
    correct: bool
    position: int


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    line: int
    stem: str
    stem_html: str
    options: tuple[Option, ...]
    points: int = 1
    # The question as quiz/grading.py reads it from a snapshot, so that strategies are scored
    # by the real grading rules (partial credit, negative weights).
    grading: dict[str, Any] = field(default_factory=dict, compare=False)
    # Share of marks a blind guess earns on a question without choices (matching, ordering).
    blind_share: Fraction = Fraction(0)

    @property
    def keys(self) -> list[Option]:
        return [o for o in self.options if o.correct]

    @property
    def distractors(self) -> list[Option]:
        return [o for o in self.options if not o.correct]

    @property
    def asks(self) -> bool:
        return self.type != "description"

    @property
    def has_choices(self) -> bool:
        return self.type in ("single", "multiple", "true_false")


def item_from(question: QuestionData) -> Item:
    """The lint's view of one loaded question."""
    options = tuple(
        Option(c.key, plain(c.text_html), c.is_correct, c.position) for c in question.choices
    )
    grading = {
        "key": question.key,
        "type": question.type,
        "points": question.points,
        "choices": [
            {"key": c.key, "correct": c.is_correct, "fraction": c.fraction}
            for c in question.choices
        ],
    }
    return Item(
        id=question.key,
        type=question.type,
        line=question.line,
        stem=plain(question.prompt_html),
        stem_html=question.prompt_html,
        options=options,
        points=question.points,
        grading=grading,
        blind_share=_blind_share(question),
    )


def _blind_share(question: QuestionData) -> Fraction:
    """Matching: one option in N per stem; ordering: one item in N lands in place; typed
    answers (short, numeric): nothing."""
    spec = question.spec
    if question.type == "matching":
        return Fraction(1, len(spec["pairs"]) + len(spec["distractors"]))
    if question.type == "ordering":
        return Fraction(1, len(spec["items"]))
    return Fraction(0)
