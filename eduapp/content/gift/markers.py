"""GIFT's format markers (``[html]``, ``[plain]``, ``[moodle]``, ``[markdown]``) on each piece of
a question's text, and how the pieces become one question in one markup.

Moodle lets every piece (question text, answer, feedback, matching item, general feedback)
open with its own marker; a piece without one takes the question text's format, and the
question text without one takes the file's default (Moodle's auto-format, or Markdown in a
file that says it is ours). A quiz-file question has one ``markup`` for all its texts, so
while a record is read its pieces are kept as ``Piece`` values, and ``finish`` then picks
the markup (Markdown when every piece is Markdown or plain text, HTML otherwise) and writes
each piece in it. Nothing here trusts HTML: the texts are sanitised when the question is
rendered (``content.questions``), as every quiz text is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import nh3

from ..plain import plain_to_markdown
from .record import unescape

MARKER = re.compile(r"\s*\[(markdown|html|plain|moodle)\]")
# Formats whose pieces are HTML (Moodle's auto-format is HTML with its line breaks kept).
HTML_FORMATS = ("html", "moodle")


@dataclass(frozen=True)
class Piece:
    """One piece of rich text as read: its text (escapes undone, marker removed) and format."""

    text: str
    format: str
    inline: bool = False


def take_marker(raw: str, default: str) -> tuple[str, str]:
    """The text without its opening marker, and the format the marker (or ``default``) says."""
    match = MARKER.match(raw)
    if not match:
        return raw, default
    return raw[match.end() :], match.group(1)


class Texts:
    """Reads the pieces of one question, each in its own format or the question's."""

    def __init__(self, question_format: str) -> None:
        self.format = question_format

    def rich(self, raw: str, *, inline: bool = False) -> Piece:
        """A text learners read as formatted (prompt, choice, feedback, explanation)."""
        text, kind = take_marker(raw, self.format)
        return Piece(unescape(text).strip(), kind, inline)

    def plain(self, raw: str, *, inherit: bool = True) -> str:
        """A text eduapp keeps as plain text (a matching item); HTML becomes its words.

        ``inherit=False`` is for a matching answer, which Moodle reads as plain text whatever
        the question's format, unless it has its own marker.
        """
        text, kind = take_marker(raw, self.format if inherit else "plain")
        text = unescape(text).strip()
        return html_to_text(text) if kind in HTML_FORMATS else text

    def verbatim(self, raw: str) -> str:
        """A short answer: compared with what the learner types, so only the marker goes."""
        return unescape(take_marker(raw, self.format)[0]).strip()


def html_to_text(text: str) -> str:
    return html.unescape(nh3.clean(text, tags=set())).strip()


def moodle_to_html(text: str) -> str:
    """Moodle's auto-format as HTML, following its ``text_to_html``: whitespace between tags
    goes, a line break next to a tag becomes a space, and every other line break is kept."""
    text = re.sub(r">\s+<", "><", text)
    text = re.sub(r"[\r\n]<", " <", text)
    text = re.sub(r">[\r\n]", "> ", text)
    return text.replace("\n", "<br>\n")


def plain_to_html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def _pieces(value: Any) -> list[Piece]:
    if isinstance(value, Piece):
        return [value] if value.text else []
    if isinstance(value, dict):
        return [p for v in value.values() for p in _pieces(v)]
    if isinstance(value, list):
        return [p for v in value for p in _pieces(v)]
    return []


def _written(piece: Piece, markup: str) -> str:
    if not piece.text:
        return ""
    if markup == "markdown":
        return plain_to_markdown(piece.text) if piece.format == "plain" else piece.text
    if piece.format == "html":
        return piece.text
    if piece.format == "moodle":
        return moodle_to_html(piece.text)
    if piece.format == "plain":
        return plain_to_html(piece.text)
    from .. import markdown  # only a Markdown piece inside an HTML question needs the renderer

    return markdown.render(piece.text, inline=piece.inline).html


def _replace(value: Any, markup: str) -> Any:
    if isinstance(value, Piece):
        return _written(value, markup)
    if isinstance(value, dict):
        return {k: _replace(v, markup) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, markup) for v in value]
    return value


def finish(question: dict[str, Any]) -> dict[str, Any]:
    """The question with every piece written in one markup, and that markup when it is HTML."""
    formats = {p.format for p in _pieces(question)}
    markup = "html" if formats - {"markdown", "plain"} else "markdown"
    done = _replace(question, markup)
    if markup == "html":
        done["markup"] = "html"
    return done
