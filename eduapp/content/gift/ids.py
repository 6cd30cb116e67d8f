"""Question ids from GIFT names (or Moodle's ``[id:]``), in any script, and unique in a file.

A quiz-file id is lower-case ASCII letters, digits and hyphens, at most 80 characters, and it
must stay the same each time the file is read, because learners' answers and statistics
follow it. Accented Latin loses its accents (``Café`` gives ``cafe``); a name with letters,
digits or symbols that have no ASCII form (Arabic, Chinese, Cyrillic, emoji), a name with
none at all, and a name too long for an id keep what ASCII they have and gain a short hash
of the whole name (``q-1a2b3c4d`` when nothing is left), so different names give different
ids and the same name always the same one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_ID = 80
HASH_LENGTH = 8


def question_id(name: str) -> str:
    """The id a question's name gives; a name that already is a valid id is kept as it is."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    core = "-".join(re.findall(r"[a-z0-9]+", folded.lower()))
    lost = any(not c.isascii() and unicodedata.category(c)[0] in "LNS" for c in folded)
    if not lost and core and len(core) <= MAX_ID:
        return core
    digest = hashlib.sha256(name.encode()).hexdigest()[:HASH_LENGTH]
    core = core[: MAX_ID - HASH_LENGTH - 1].rstrip("-")
    return f"{core}-{digest}" if core else f"q-{digest}"


def with_suffix(key: str, number: int) -> str:
    suffix = f"-{number}"
    return key[: MAX_ID - len(suffix)].rstrip("-") + suffix


def unique_ids(ids: list[str]) -> list[tuple[str, int | None]]:
    """Each id made unique: a repeat gets ``-2``, ``-3``... (never an id another question has
    of its own), with the index of the question that first had it (None for a first use)."""
    taken = set(ids)
    first: dict[str, int] = {}
    result: list[tuple[str, int | None]] = []
    for index, key in enumerate(ids):
        if key not in first:
            first[key] = index
            result.append((key, None))
            continue
        number = 2
        while with_suffix(key, number) in taken:
            number += 1
        taken.add(with_suffix(key, number))
        result.append((with_suffix(key, number), first[key]))
    return result
