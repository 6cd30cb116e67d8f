"""``::: keypoint [TITLE]`` blocks: the one thing to remember from a passage, shown
highlighted in the module and offered to learners as a review card (``eduapp.review``).

Rendered by the Markdown pipeline (registered in ``markdown._parser``); read back out of
the sanitised HTML by :func:`keypoints_of`, which ``Module.body_html`` calls whenever a body is
stored, so every path that stores a module stores its key points too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

# ``::: keypoint`` or ``::: keypoint A title`` (the title is plain text, at most 120 characters).
KEYPOINT_INFO = re.compile(r"^keypoint(?:\s+(.{1,120}?))?\s*$")
KEYPOINT_ID = re.compile(r"kp[1-9][0-9]{0,2}")
KEYPOINT_START = re.compile(
    r'<aside class="keypoint" id="(kp\d+)">\s*<p class="keypoint-label">(.*?)</p>', re.S
)
ASIDE_TAG = re.compile(r"<aside\b|</aside>")
KEYPOINT_LABEL = "Key point"


def validate_keypoint(params: str, *args: Any) -> bool:
    return bool(KEYPOINT_INFO.match(params.strip()))


def render_keypoint(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A key point: the one thing to remember from a passage, shown highlighted in the module
    and offered to learners as a review card. Numbered in order (kp1, kp2...), which is the
    id its card keeps."""
    token = tokens[idx]
    if token.nesting != 1:
        return "</aside>\n"
    env["keypoints"] = env.get("keypoints", 0) + 1
    match = KEYPOINT_INFO.match(token.info.strip())
    assert match  # the validator only lets well-formed blocks through
    title = f": {html.escape(match.group(1))}" if match.group(1) else ""
    return (
        f'<aside class="keypoint" id="kp{env["keypoints"]}">\n'
        f'<p class="keypoint-label">{KEYPOINT_LABEL}{title}</p>\n'
    )


def keypoints_of(rendered_html: str) -> list[dict[str, str]]:
    """The key points of a rendered module: id, title (plain text) and sanitised body HTML,
    read back from the HTML so that every path that stores a body stores its key points."""
    points = []
    for start in KEYPOINT_START.finditer(rendered_html):
        # The body runs to this aside's own end tag: an evidence callout may sit inside.
        depth, end = 1, len(rendered_html)
        for tag in ASIDE_TAG.finditer(rendered_html, start.end()):
            depth += 1 if tag.group() == "<aside" else -1
            if depth == 0:
                end = tag.start()
                break
        label = html.unescape(re.sub(r"<[^>]+>", "", start.group(2)))
        title = label.removeprefix(KEYPOINT_LABEL).removeprefix(": ")
        body = rendered_html[start.end() : end].strip()
        points.append({"id": start.group(1), "title": title, "html": body})
    return points
