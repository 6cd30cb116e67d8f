"""One GIFT question's text: escapes, delimiters and the file line of any offset."""

from __future__ import annotations

import re

from ..yamlfile import ContentError, Problem

ESCAPED = "~=#{}:"
TEXT_FORMAT = re.compile(r"\s*\[(markdown|html|plain|moodle)\]")
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
