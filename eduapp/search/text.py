"""The plain text of a module's sanitised HTML, one line per block, as a learner reads it.

Indexed instead of the HTML so tags and attributes (``href="#ref-furlan2015"``) never match,
and kept in blocks so an excerpt's link to the place in the module (a text fragment) quotes
words that sit together on the page. The labels the renderer adds to callouts ("Evidence:
moderate", the checked-on date) are left out, as the word count leaves them out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that start a new line of text on the page.
BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
        *("hr", "li", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "ul"),
    }
)
# Paragraphs the renderer writes around an author's text, not the author's words.
LABEL_CLASSES = frozenset({"evidence-level", "checked-on"})
SPACE = re.compile(r"\s+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0  # depth inside a label paragraph

    def _end_line(self) -> None:
        line = SPACE.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.skipping += tag == "p"
            return
        if tag in BLOCKS:
            self._end_line()
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "p" and classes & LABEL_CLASSES:
            self.skipping = 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag == "p"
            return
        if tag in BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_to_text(html: str) -> str:
    """The text of sanitised HTML, blocks on their own lines, spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._end_line()
    return "\n".join(parser.lines)
