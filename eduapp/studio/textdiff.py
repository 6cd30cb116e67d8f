"""A readable difference between two texts, for instructors rather than programmers.

Module text is Markdown whose paragraphs (and lists, tables, callouts) are separated by blank
lines, and one paragraph is often one long line, so a line-by-line diff would show a whole
paragraph removed and re-added for a one-word fix. Paragraphs are matched first; a changed
paragraph is then compared word by word, so the page can strike through the words taken out
and mark the words put in. Unchanged paragraphs are folded away except one either side of a
change.

The result is plain data (kinds and strings): the template escapes every piece of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
CONTEXT = 1  # unchanged paragraphs shown either side of a change


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "del" or "ins"
    text: str


@dataclass
class Line:
    """One paragraph of the comparison: unchanged, removed, added, or changed word by word."""

    kind: str  # "same", "del", "ins" or "change"
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Hunk:
    """A run of changed paragraphs with their context; ``skipped`` unchanged ones come before."""

    skipped: int
    lines: list[Line] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    """The text's paragraphs (a list or a table is one), without the blank lines between."""
    text = text.replace("\r\n", "\n").strip("\n")
    return PARAGRAPH_BREAK.split(text) if text.strip() else []


def words(old: str, new: str) -> list[Piece]:
    """The words of ``old`` and ``new`` merged, each marked unchanged, removed or added."""
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(after[j1:j2])))
    return pieces


def compare(old: str, new: str) -> list[Hunk]:
    """The changes from ``old`` to ``new`` as hunks; empty when the texts are the same."""
    before, after = _lines(old), _lines(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    hunks: list[Hunk] = []
    shown_to = 0  # the index in ``before`` up to which lines are accounted for
    for group in matcher.get_grouped_opcodes(CONTEXT):
        hunk = Hunk(skipped=group[0][1] - shown_to)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.lines += [Line("same", [Piece("same", t)]) for t in before[i1:i2]]
            elif tag == "replace" and i2 - i1 == j2 - j1:
                hunk.lines += [
                    Line("change", words(a, b))
                    for a, b in zip(before[i1:i2], after[j1:j2], strict=True)
                ]
            else:
                hunk.lines += [Line("del", [Piece("del", t)]) for t in before[i1:i2]]
                hunk.lines += [Line("ins", [Piece("ins", t)]) for t in after[j1:j2]]
            shown_to = i2
        hunks.append(hunk)
    return hunks


def skipped_after(hunks: list[Hunk], old: str) -> int:
    """Unchanged paragraphs after the last hunk, so the page can say how many it folded."""
    if not hunks:
        return 0
    accounted = sum(h.skipped for h in hunks) + sum(
        1 for h in hunks for line in h.lines if line.kind in ("same", "del", "change")
    )
    return max(0, len(_lines(old)) - accounted)
