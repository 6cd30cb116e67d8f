"""Excerpts of stored plain text with the searched words marked, built in Python.

The text comes from the database, so it is escaped here, piece by piece, and only then
wrapped in ``Markup`` with ``<mark>`` around the matches: a template prints the result
without ``|safe``. Both engines stem (Porter in FTS5, the english dictionary in PostgreSQL);
marking follows with a small rule of its own, good enough to show why a result matched:
words match when they share a stem after a common English ending is removed, or when one
starts with the other's stem and runs at most three letters longer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from .query import PIECE, Query

SUFFIXES = (
    "ations", "ation", "ings", "ing", "ments", "ment", "ness", "ies", "ied",
    "ers", "er", "ed", "es", "ly", "s", "e",
)  # fmt: skip
MIN_STEM = 3
BEFORE, AFTER = 8, 22  # words shown around the first match of the best window
MAX_CHARS = 320  # an excerpt never runs longer, however long its words (a DOI, a URL)
FRAGMENT_WORDS = 6  # words quoted in a link's text fragment


def fold(word: str) -> str:
    """Lower case without accents, as FTS5's ``remove_diacritics`` compares."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem(word: str) -> str:
    word = fold(word)
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def matcher(query: Query) -> dict[str, int]:
    """Each searched word's stem, numbered in query order."""
    return {stem(word): n for n, word in enumerate(query.words)}


def _which(word: str, stems: dict[str, int]) -> int | None:
    own = stem(word)
    if own in stems:
        return stems[own]
    folded = fold(word)
    for candidate, n in stems.items():
        if folded.startswith(candidate) and len(folded) - len(candidate) <= 3:
            return n
    return None


@dataclass
class Excerpt:
    html: Markup
    # Words as they stand in one line of the text, from the first match on: a link's text
    # fragment (``#:~:text=``), so the browser scrolls to the place and highlights it.
    fragment: str | None


def _render(text: str, tokens: list[tuple[int, int, int | None]], start: int, end: int) -> Markup:
    out: list[str] = []
    position = start
    for begin, finish, found in tokens:
        if begin < start or finish > end:
            continue
        out.append(str(escape(text[position:begin])))
        word = str(escape(text[begin:finish]))
        out.append(f"<mark>{word}</mark>" if found is not None else word)
        position = finish
    out.append(str(escape(text[position:end])))
    return Markup("".join(out).replace("\n", " "))


def mark(text: str, query: Query) -> Markup:
    """All of ``text`` (a title), escaped, with every matching word marked."""
    stems = matcher(query)
    tokens = [(m.start(), m.end(), _which(m.group(), stems)) for m in PIECE.finditer(text)]
    return _render(text, tokens, 0, len(text))


def excerpt(text: str, query: Query) -> Excerpt | None:
    """The passage of ``text`` where most of the searched words meet, escaped and marked;
    None when no word of the text matches (the row matched on its title)."""
    stems = matcher(query)
    tokens = [(m.start(), m.end(), _which(m.group(), stems)) for m in PIECE.finditer(text)]
    hits = [i for i, token in enumerate(tokens) if token[2] is not None]
    if not hits:
        return None
    phrases = [[stems[stem(w)] for w in part] for part in query.parts if len(part) > 1]

    def score(hit: int) -> tuple[int, int]:
        """Distinct words, and phrases whole, in the window shown around this hit."""
        window = tokens[max(0, hit - BEFORE) : hit + AFTER]
        found = {t[2] for t in window if t[2] is not None}
        sequence = [t[2] for t in window]
        bonus = sum(
            len(p)
            for p in phrases
            if any(sequence[i : i + len(p)] == p for i in range(len(sequence)))
        )
        return len(found) + bonus, -hit

    best = max(hits, key=lambda i: score(i))
    first = max(0, best - BEFORE)
    last = min(len(tokens), best + AFTER) - 1
    start, end = tokens[first][0], tokens[last][1]
    if end - start > MAX_CHARS:
        start = max(start, tokens[best][0] - MAX_CHARS // 4)
        end = start + MAX_CHARS
        while start > 0 and text[start - 1].isalnum():  # not inside a word
            start += 1
    html = _render(text, tokens, start, end)
    html = (Markup("… ") if start > 0 else Markup("")) + html
    html += Markup(" …") if end < len(text) else Markup("")
    return Excerpt(html=html, fragment=_fragment(text, tokens, best))


def _fragment(text: str, tokens: list[tuple[int, int, int | None]], at: int) -> str:
    begin = tokens[at][0]
    line_end = text.find("\n", begin)
    line_end = len(text) if line_end < 0 else line_end
    words = [t for t in tokens[at : at + FRAGMENT_WORDS] if t[1] <= line_end]
    return text[begin : words[-1][1]]


def text_fragment(words: str) -> str:
    """A URL fragment directive that finds ``words`` on the page. ``-``, ``,`` and ``&`` are
    the directive's own syntax, so they are percent-encoded with everything else."""
    return ":~:text=" + quote(words, safe="").replace("-", "%2D")
