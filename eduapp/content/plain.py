"""Plain text (Aiken, GIFT's ``[plain]``) written as Markdown that renders it exactly."""

from __future__ import annotations

import re

# Characters Markdown could read as markup anywhere in a line.
INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# Line starts that open a block: headings, lists, quotes, rules, containers.
LINE_START = re.compile(r"^(\s*)([#+=:-]|\d+(?=[.)]))", re.M)


def plain_to_markdown(text: str) -> str:
    escaped = INLINE.sub(r"\\\1", text)
    return LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), escaped)


def _escape_start(token: str) -> str:
    if token[0].isdigit():
        return token + "\\"  # "1." -> "1\." : the backslash goes before the dot
    return "\\" + token
