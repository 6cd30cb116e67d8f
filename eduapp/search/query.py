"""What a person typed, as a query neither full-text engine can misread.

Raw text is never handed to FTS5, whose query language turns ``"``, ``*``, ``NEAR(``, ``OR``
or a stray ``:`` into syntax (or a syntax error, which would be a 500). The search box has a
smaller language of its own, the same on both backends: words, all of which must match (in
any form sharing their stem), and "quoted phrases", whose words must appear in that order.
Everything else is punctuation. Each part is then written in the engine's own syntax from
words that contain only letters and digits, so nothing typed can become an operator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 200  # characters a search may have; more is refused with a message
MAX_PARTS = 12  # words and phrases used from one search; the rest are ignored
MAX_PHRASE = 12  # words kept from one phrase
# Letters and digits; an apostrophe or hyphen inside a word joins its parts into a phrase
# (client's, low-back), as both engines split them there too.
WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
PIECE = re.compile(r"[^\W_]+")
QUOTED = re.compile(r'"([^"]*)"?')
# websearch_to_tsquery reads a bare "or" as an operator; FTS5 would require the word. Neither
# is what the search box promises, so it is dropped on both.
DROPPED = frozenset({"or"})


class QueryTooLong(ValueError):
    """The search is longer than ``MAX_LENGTH``; the page says so instead of searching."""


@dataclass(frozen=True)
class Query:
    """A parsed search: each part is a sequence of lower-case words (one word, or a phrase)."""

    parts: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.parts)

    @property
    def words(self) -> list[str]:
        """Every word of every part, once each, for marking matches in an excerpt."""
        return list(dict.fromkeys(word for part in self.parts for word in part))

    def fts5(self, column: str | None = None) -> str:
        """FTS5 syntax: each part a quoted string (implicitly ANDed); ``column`` limits every
        part to that column. The words hold letters and digits only, so no quote or operator
        can appear inside a string."""
        prefix = f"{column} : " if column else ""
        return " ".join(f'{prefix}"{" ".join(part)}"' for part in self.parts)

    def websearch(self) -> str:
        """Input for PostgreSQL's ``websearch_to_tsquery``: words, and phrases in quotes."""
        return " ".join(f'"{" ".join(part)}"' if len(part) > 1 else part[0] for part in self.parts)


def _part(text: str) -> tuple[str, ...]:
    return tuple(piece.lower() for piece in PIECE.findall(text))[:MAX_PHRASE]


def parse(text: str) -> Query:
    """Words and "quoted phrases" from a search; raises ``QueryTooLong`` past ``MAX_LENGTH``.

    An unclosed quote runs to the end of the search. Duplicates are kept once."""
    if len(text) > MAX_LENGTH:
        raise QueryTooLong(f"Search for at most {MAX_LENGTH} characters (this was {len(text)}).")
    parts: list[tuple[str, ...]] = []
    position = 0
    for quoted in QUOTED.finditer(text):
        parts += _words(text[position : quoted.start()])
        phrase = _part(quoted.group(1))
        if phrase:
            parts.append(phrase)
        position = quoted.end()
    parts += _words(text[position:])
    unique = [p for p in dict.fromkeys(parts) if p and not (len(p) == 1 and p[0] in DROPPED)]
    return Query(tuple(unique[:MAX_PARTS]))


def _words(text: str) -> list[tuple[str, ...]]:
    return [_part(word) for word in WORD.findall(text)]
