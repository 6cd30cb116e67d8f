"""Excerpts of stored plain text with the searched words marked, built in Python.

The text comes from the database, so it is escaped here, piece by piece, and only then
wrapped in ``Markup`` with ``<mark>`` around the matches: a template prints the result
without ``|safe``. Both engines stem (Porter in FTS5, the english dictionary in PostgreSQL);
marking follows with a small rule of its own, good enough to show why a result matched:
words match when they share a stem after a common English ending is removed, or when one
starts with the other's stem and runs at most three letters longer.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from urllib.parse import quote

from markupsafe import Markup, escape

from .query import PIECE, Query

WORD_CHAR = re.compile(r"[^\W_]")

SUFFIXES = (
    "ations", "ation", "ings", "ing", "ments", "ment", "ness", "ies", "ied",
    "ers", "er", "ed", "es", "ly", "s", "e",
)  # fmt: skip
MIN_STEM = 3
BEFORE, AFTER = 8, 22  # words shown around the first match of the best window
MAX_CHARS = 320  # an excerpt never runs longer, however long its words (a DOI, a URL)
FRAGMENT_WORDS = 6  # words quoted in a link's text fragment
WORD_CHARS = 4  # a short word and its space: a window of words in characters, never more
REGION = MAX_CHARS  # characters read word by word on either side of the best hit
MAX_HITS = 400  # hits considered for the window: a module saying "massage" 600 times


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


class Matcher:
    """Which searched word (by its number) a word of the text is a form of, if any.

    A module runs to thousands of words but a few hundred distinct ones, and a page of results
    repeats most of them: each distinct word is judged once per query."""

    def __init__(self, query: Query) -> None:
        self.stems = {stem(word): n for n, word in enumerate(query.words)}
        self.seen: dict[str, int | None] = {}
        # The stems as plain strings, longest first: every form the matcher accepts starts
        # with one (in lower case).
        alternatives = "|".join(re.escape(s) for s in sorted(self.stems, key=len, reverse=True))
        self.stems_in_text = re.compile(alternatives)

    def __call__(self, word: str) -> int | None:
        if word not in self.seen:
            self.seen[word] = self._judge(word)
        return self.seen[word]

    def _judge(self, word: str) -> int | None:
        own = stem(word)
        if own in self.stems:
            return self.stems[own]
        folded = fold(word)
        for candidate, n in self.stems.items():
            if folded.startswith(candidate) and len(folded) - len(candidate) <= 3:
                return n
        return None


@lru_cache(maxsize=32)
def matcher(query: Query) -> Matcher:
    return Matcher(query)


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
    which = matcher(query)
    tokens = [(m.start(), m.end(), which(m.group())) for m in PIECE.finditer(text)]
    return _render(text, tokens, 0, len(text))


def _matches(text: str, which: Matcher) -> list[tuple[int, int, int]]:
    """Where searched words stand in ``text``: their stems found as plain strings in the text
    in lower case (quick, where a word-by-word reading of a 20,000-character module is not),
    kept where a word starts, and judged whole by the matcher. Every word is read when that
    finds none (an accent in a stem's letters, café for cafe; or a letter whose lower case is
    longer, which would shift every position)."""
    lowered = text.lower()
    found = []
    if len(lowered) == len(text):
        for m in which.stems_in_text.finditer(lowered):
            at = m.start()
            if at and WORD_CHAR.match(text, at - 1):
                continue  # inside a word
            word = PIECE.match(text, at)
            if word is not None and (n := which(word[0])) is not None:
                found.append((at, word.end(), n))
    if found:
        return found
    return [(m.start(), m.end(), n) for m in PIECE.finditer(text) if (n := which(m[0])) is not None]


def _best(text: str, hits: list[tuple[int, int, int]], phrases: list[list[int]]) -> int:
    """The hit whose window holds the most distinct searched words, and whole phrases."""
    starts = [h[0] for h in hits]
    phrase_at: dict[int, list[int]] = {}  # hit index -> lengths of the phrases starting there
    for p in phrases:
        for k in range(len(hits) - len(p) + 1):
            run = hits[k : k + len(p)]
            if [h[2] for h in run] == p and not any(
                c.isalnum() for a, b in pairwise(run) for c in text[a[1] : b[0]]
            ):
                phrase_at.setdefault(k, []).append(len(p))

    def score(k: int) -> tuple[int, int]:
        low = bisect_left(starts, starts[k] - BEFORE * WORD_CHARS)
        high = bisect_right(starts, starts[k] + AFTER * WORD_CHARS)
        words = {h[2] for h in hits[low:high]}
        whole = {n for i in range(low, high) for n in phrase_at.get(i, [])}
        return len(words) + sum(whole), -k

    return max(range(min(len(hits), MAX_HITS)), key=score)


def excerpt(text: str, query: Query) -> Excerpt | None:
    """The passage of ``text`` where most of the searched words meet, escaped and marked;
    None when no word of the text matches (the row matched on its title)."""
    which = matcher(query)
    hits = _matches(text, which)
    if not hits:
        return None
    phrases = [[which.stems[stem(w)] for w in part] for part in query.parts if len(part) > 1]
    at = hits[_best(text, hits, phrases)][0]
    # Only the words around the best hit are read one by one.
    begin = max(0, at - REGION)
    while begin > 0 and text[begin - 1].isalnum():
        begin -= 1
    tokens = [
        (m.start(), m.end(), which(m[0])) for m in PIECE.finditer(text, begin, at + 2 * REGION)
    ]
    best = next(i for i, t in enumerate(tokens) if t[0] == at)
    first = max(0, best - BEFORE)
    last = min(len(tokens), best + AFTER) - 1
    start, end = tokens[first][0], tokens[last][1]
    if end - start > MAX_CHARS:
        start = max(start, at - MAX_CHARS // 4)
        end = start + MAX_CHARS
        while start > 0 and text[start - 1].isalnum():  # not inside a word
            start += 1
    while end < len(text) and not (text[end].isspace() or text[end].isalnum()):
        end += 1  # the sentence's full stop, a closing bracket
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
