"""Plain text (Aiken, GIFT [plain]) renders as exactly the characters that were written."""

from __future__ import annotations

import html

import pytest

from eduapp.content import markdown
from eduapp.content.plain import plain_to_markdown


@pytest.mark.parametrize(
    "text",
    [
        "1. Not a list",
        "2) Nor this",
        "- not a bullet",
        "+ nor this",
        "# not a heading",
        "> not a quote",
        "::: evidence strong [@x]",
        "a *b* _c_ `d` [e](f) <g> h|i ~~j~~ &amp; \\k",
        "===",
    ],
)
def test_markup_characters_are_shown_literally(text: str) -> None:
    rendered = markdown.render(plain_to_markdown(text)).html
    assert rendered == f"<p>{html.escape(text, quote=False)}</p>\n"
