"""One GIFT question's text: escapes, delimiters and the file line of any offset."""

from __future__ import annotations

import re
from fractions import Fraction
from itertools import pairwise

from ..yamlfile import ContentError, Problem

ESCAPED = "~=#{}:"
WEIGHT = re.compile(r"\s*%(-?\d{1,3}(?:\.\d+)?)%")
BLANK = " \t\x0b\x0c\x00"
MISSING_WORD = "_____"
META = "// eduapp:"
META_KEYS = ("kind", "references", "points")


def mask_escapes(text: str) -> str:
    r"""The text with every backslash escape blanked out (same length), to find delimiters.

    ``\{`` is a brace in the text, not the start of an answer block.
    """
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\x00\x00")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char == "n":
            return "\n"
        if char == "\\" or char in ESCAPED:
            return char
        return match.group(0)  # not a GIFT escape: Markdown's own, kept as written

    return re.sub(r"\\(.)", replace, text, flags=re.S)


class Record:
    """One question's text, with its file lines, and helpers that report at the right line."""

    def __init__(self, file: str, lines: list[tuple[int, str]]) -> None:
        self.file = file
        self.numbers = [n for n, _ in lines]
        self.text = "\n".join(line for _, line in lines)
        self.mask = mask_escapes(self.text)

    def line_at(self, offset: int) -> int:
        return self.numbers[min(self.text.count("\n", 0, offset), len(self.numbers) - 1)]

    def fail(self, offset: int, message: str) -> ContentError:
        return ContentError([Problem(self.file, self.line_at(offset), message)])


def answer_spans(
    record: Record, start: int, end: int, markers: str, bare: str | None = None
) -> list[tuple[str, int, int]]:
    """Split a block into (marker, start, end) answers, each starting with one of ``markers``.

    With ``bare``, text before the first marker is an answer too, read as if it began with
    ``bare``: Moodle takes ``{Frog =Toad}`` and ``{#3:0.5}`` so.
    """
    mask = record.mask
    cuts = [i for i in range(start, end) if mask[i] in markers]
    head = mask[start : cuts[0] if cuts else end]
    spans = [(mask[a], a + 1, b) for a, b in pairwise([*cuts, end])]
    if head.strip():
        if bare is None:
            raise record.fail(start, f"each answer must start with {' or '.join(markers)}")
        spans.insert(0, (bare, start, cuts[0] if cuts else end))
    return spans


def weight(record: Record, start: int, end: int) -> tuple[Fraction | None, int]:
    match = WEIGHT.match(record.mask, start, end)
    if not match:
        return None, start
    percent = Fraction(match.group(1))
    if not -100 <= percent <= 100:
        raise record.fail(start, f"weight %{match.group(1)}% is outside -100..100")
    return percent / 100, match.end()


def split_feedback(record: Record, start: int, end: int) -> tuple[str, str | None]:
    """An answer's raw text and its raw ``#feedback`` (None when it has none)."""
    hash_ = record.mask.find("#", start, end)
    if hash_ < 0:
        return record.text[start:end], None
    return record.text[start:hash_], record.text[hash_ + 1 : end]
