"""What GIFT comment lines say about the file and its questions.

- ``// eduapp: markdown`` before the first question says the file is ours: its text without
  a format marker is Markdown. Without it, such text is Moodle's auto-format, as Moodle reads
  it. Our exporter writes the line, and a marker on every question too.
- ``// eduapp: kind: myth; references: a, b; points: 2`` just before a question keeps what
  GIFT has no place for.
- ``// [id:...]`` and ``// [tag:...]``, which Moodle's exporter writes in the comment lines of
  a question (no blank line between), give its id and tags; ``\\]`` is a ``]`` inside them.
"""

from __future__ import annotations

import re
from typing import Any

from ..yamlfile import ContentError, Problem

META = "// eduapp:"
META_KEYS = ("kind", "references", "points")
DECLARATION = "// eduapp: markdown"
ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")


def eduapp_meta(file: str, meta: list[tuple[int, str]]) -> dict[str, Any]:
    """``// eduapp: kind: vignette; references: a, b; points: 2``: what GIFT cannot say."""
    values: dict[str, Any] = {}
    for number, line in meta:
        for item in filter(str.strip, line.split(";")):
            key, sep, value = (part.strip() for part in item.partition(":"))
            if not sep or key not in META_KEYS:
                raise ContentError(
                    [
                        Problem(
                            file,
                            number,
                            f"'// eduapp:' takes {', '.join(META_KEYS)}, not {item.strip()!r}",
                        )
                    ]
                )
            values[key] = (
                [v.strip() for v in value.split(",") if v.strip()] if key == "references" else value
            )
    return values


def moodle_meta(comments: list[str]) -> tuple[str, list[str]]:
    """Moodle's idnumber (the first ``[id:]``, or '') and tags (in order, once each)."""
    text = "\n".join(comments)
    found = ID_TOKEN.search(text)
    idnumber = found.group(1).replace("\\]", "]").strip() if found else ""
    tags: list[str] = []
    for raw in TAG_TOKEN.findall(text):
        tag = raw.replace("\\]", "]").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return idnumber, tags


def escape_token(value: str) -> str:
    return value.replace("]", "\\]")
