"""Item-writing rules: cues that let a learner who has read nothing pick the key.

Pure functions of ``Item`` lists. Each rule returns ``(question id or None, message)``; the
caller (``lint.check``) adds file, line, severity and the fix. Thresholds are named constants
and change only with a test that shows why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction

from .items import Item, content_words, count_listed, emphasised_words, words
from .words import ABOVE_PHRASES, ABSOLUTE_WORDS, NEGATIVE_WORDS

# Per item: the key at least this many times the mean distractor length, or at most the other.
KEY_LONGER_RATIO = Fraction(13, 10)
KEY_SHORTER_RATIO = Fraction(7, 10)
# Per pool: the key the longest (or the shortest) option in more than this share of items.
KEY_EXTREME_SHARE = Fraction(35, 100)
MIN_ITEMS_FOR_SHARE = 4  # fewer single-choice items than this say nothing about a pattern
# Per pool: true/false keys within this share of "true" (or as close as the count allows).
TRUE_SHARE_MIN = Fraction(35, 100)
TRUE_SHARE_MAX = Fraction(65, 100)
# Per pool: this many multiple-select items, all with the same number of correct options.
MIN_MULTIPLE_ITEMS = 3
# Per pool: absolute words this many times more common in distractors than in keys.
ABSOLUTE_RATIO = Fraction(3, 2)
MIN_ABSOLUTE_DISTRACTORS = 3  # below this many, a handful of words is not a pattern
# Two stems sharing this share of their content words (Jaccard) are near-duplicates.
DUPLICATE_OVERLAP = Fraction(8, 10)
MIN_STEM_WORDS = 3
# A stem word in at most this share of the course's questions is "rare" (and so a clue).
# A case (a description) takes every question after it, up to the next description, so a
# case followed by more questions than this has almost surely swallowed stand-alone ones:
# the learner would read them as questions about the case. The shipped cases ask 2 to 4.
MAX_CASE_QUESTIONS = 6
RARE_WORD_SHARE = Fraction(5, 100)
MIN_RARE_DOCS = 2

RuleResult = tuple[str | None, str]


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})"


def _length(texts: Iterable[str]) -> Fraction:
    lengths = [len(t) for t in texts]
    return Fraction(sum(lengths), len(lengths))


# Item rules -------------------------------------------------------------------------------


def key_length(item: Item) -> str | None:
    if item.type not in ("single", "multiple") or not item.keys or not item.distractors:
        return None
    key = _length(o.text for o in item.keys)
    ratio = key / max(_length(o.text for o in item.distractors), Fraction(1))
    said = f"the key is {float(ratio):.2f} times the mean distractor length"
    if ratio >= KEY_LONGER_RATIO:
        return f"{said} (limit {float(KEY_LONGER_RATIO)})"
    if ratio <= KEY_SHORTER_RATIO:
        return f"{said} (limit {float(KEY_SHORTER_RATIO)})"
    return None


def all_but_one(item: Item) -> str | None:
    total = len(item.options)
    if item.type == "multiple" and total >= 3 and len(item.keys) == total - 1:
        return f"{total - 1} of {total} options are correct, so the odd one out is the answer"
    return None


def above(item: Item) -> str | None:
    if item.type not in ("single", "multiple"):
        return None
    for option in item.options:
        text = " ".join(words(option.text))
        for phrase in ABOVE_PHRASES:
            if phrase in text:
                return f"an option reads {phrase!r}"
    return None


# A sentence ends at . ? ! or : (and any closing quote) before a space.
SENTENCE = re.compile(r"(?<=[.?!:])[\"'\u201d\u2019)]*\s+")
# Phrases with a negative word that do not ask for the wrong answer.
NOT_NEGATIVE = re.compile(r"\b(at least|not only|whether or not)\b", re.I)
# A clause after these explains the question; a "not" there does not turn it around.
SUBORDINATE = re.compile(r"\b(because|since|although|though|if|unless|when|so that)\b.*", re.I)


def asking_clause(stem: str) -> str:
    """The part of the stem that asks: the last sentence with a question mark (or the last
    sentence), without its subordinate clauses."""
    sentences = [s for s in SENTENCE.split(stem) if s.strip()]
    if not sentences:
        return ""
    asking = next((s for s in reversed(sentences) if "?" in s), sentences[-1])
    return SUBORDINATE.sub("", NOT_NEGATIVE.sub("", asking))


def negative_stem(item: Item) -> str | None:
    """The question asks with NOT or EXCEPT without emphasis, so a reader skimming it answers
    the opposite question."""
    if item.type not in ("single", "multiple"):
        return None
    stressed = emphasised_words(item.stem_html)
    for raw in re.findall(r"[A-Za-z]+", asking_clause(item.stem)):
        word = raw.lower()
        if word in NEGATIVE_WORDS and not (raw.isupper() and len(raw) > 1) and word not in stressed:
            return f"the stem asks with {raw!r}, which is neither capitalised nor emphasised"
    return None


def stem_echo(item: Item, rare: set[str]) -> str | None:
    """Only the key repeats an unusual word of the stem: the learner matches words, not ideas."""
    if item.type not in ("single", "multiple") or not item.keys or not item.distractors:
        return None
    clues = content_words(item.stem) & rare
    if not clues:
        return None
    shared = {w for o in item.keys for w in content_words(o.text) & clues}
    if shared and not any(content_words(o.text) & clues for o in item.distractors):
        listed = ", ".join(sorted(shared))
        return f"only the key repeats the stem's uncommon word(s): {listed}"
    return None


def rare_words(items: Sequence[Item]) -> set[str]:
    """Content words that appear in few questions of the course (stem and options counted once)."""
    documents = [
        content_words(" ".join([i.stem, *(o.text for o in i.options)])) for i in items if i.asks
    ]
    counts = Counter(w for d in documents for w in d)
    limit = max(MIN_RARE_DOCS, math.ceil(RARE_WORD_SHARE * len(documents)))
    return {w for w, n in counts.items() if n <= limit}


def near_duplicates(items: Sequence[Item]) -> list[RuleResult]:
    """Each later stem that shares most of its content words with an earlier one.

    A question after a ``description`` is read with its case, as the learner reads it (and as
    the draw keeps them together), so "What comes first?" under two different cases is not a
    duplicate.
    """
    seen: list[tuple[str, set[str]]] = []
    results: list[RuleResult] = []
    case: set[str] = set()
    for item in items:
        if not item.asks:
            case = content_words(item.stem)
            continue
        mine = content_words(item.stem)
        if len(mine) < MIN_STEM_WORDS:
            continue
        mine |= case
        twins = [
            other
            for other, theirs in seen
            if Fraction(len(mine & theirs), len(mine | theirs)) >= DUPLICATE_OVERLAP
        ]
        if twins:
            results.append(
                (
                    item.id,
                    f"the stem repeats {', '.join(twins)} (content-word overlap >= "
                    f"{float(DUPLICATE_OVERLAP)})",
                )
            )
        seen.append((item.id, mine))
    return results


# Pool rules -------------------------------------------------------------------------------


def case_length(items: Sequence[Item]) -> str | None:
    """Cases that take in more questions than a case asks: the questions after a description
    belong to it until the next description, whatever the author meant."""
    long_cases = []
    case: Item | None = None
    count = 0
    for item in [*items, None]:
        if item is None or not item.asks:
            if case is not None and count > MAX_CASE_QUESTIONS:
                long_cases.append(f"{case.id} (line {case.line}) takes {count}")
            case, count = item, 0
        elif case is not None:
            count += 1
    if not long_cases:
        return None
    return (
        f"a case takes every question after it up to the next case: {'; '.join(long_cases)} "
        f"questions (more than {MAX_CASE_QUESTIONS})"
    )


def key_extremes(items: Sequence[Item]) -> tuple[int, int, int]:
    """How often the key is the longest option, the shortest, of how many single-choice items
    (with at least two distractors; a tie with a distractor is neither)."""
    singles = [i for i in items if i.type == "single" and i.keys and len(i.distractors) >= 2]
    longest = shortest = 0
    for item in singles:
        key = len(item.keys[0].text)
        others = [len(o.text) for o in item.distractors]
        longest += key > max(others)
        shortest += key < min(others)
    return longest, shortest, len(singles)


def true_keys(items: Sequence[Item]) -> tuple[int, int]:
    """True/false items keyed true, of how many."""
    keyed = [i for i in items if i.type == "true_false"]
    return sum(i.keys[0].text.lower() == "true" for i in keyed), len(keyed)


def _extreme(items: Sequence[Item], longest: bool) -> str | None:
    most, least, total = key_extremes(items)
    hits = most if longest else least
    if total < MIN_ITEMS_FOR_SHARE or Fraction(hits, total) <= KEY_EXTREME_SHARE:
        return None
    which = "longest" if longest else "shortest"
    return (
        f"the key is the {which} option in {_share(hits, total)} single-choice items "
        f"(limit {float(KEY_EXTREME_SHARE):.0%})"
    )


def key_longest(items: Sequence[Item]) -> str | None:
    return _extreme(items, longest=True)


def key_shortest(items: Sequence[Item]) -> str | None:
    return _extreme(items, longest=False)


def balanced_true_counts(total: int) -> range:
    """The numbers of true keys that are within 35-65%; when no whole number is (3 items),
    the two closest to half."""
    low, high = math.ceil(TRUE_SHARE_MIN * total), math.floor(TRUE_SHARE_MAX * total)
    if low > high:
        low, high = total // 2, (total + 1) // 2
    return range(low, high + 1)


def true_false_balance(items: Sequence[Item]) -> str | None:
    true, total = true_keys(items)
    if not total or true in balanced_true_counts(total):
        return None
    return (
        f"{_share(true, total)} true/false items are keyed true "
        f"(keep between {float(TRUE_SHARE_MIN):.0%} and {float(TRUE_SHARE_MAX):.0%})"
    )


def multiple_same_count(items: Sequence[Item]) -> str | None:
    counts = {len(i.keys) for i in items if i.type == "multiple"}
    total = sum(i.type == "multiple" for i in items)
    if total >= MIN_MULTIPLE_ITEMS and len(counts) == 1:
        return f"all {total} multiple-select items have exactly {counts.pop()} correct options"
    return None


def _statements(items: Sequence[Item]) -> tuple[list[str], list[str], list[str]]:
    """Keys and distractors as claims: a true/false statement is a key when it is true."""
    keys, distractors, cued = [], [], []
    for item in items:
        if item.type == "true_false":
            (keys if item.keys[0].text.lower() == "true" else distractors).append(item.stem)
        elif item.type in ("single", "multiple"):
            keys += [o.text for o in item.keys]
            distractors += [o.text for o in item.distractors]
            if not any(count_listed(o.text, ABSOLUTE_WORDS) for o in item.keys) and any(
                count_listed(o.text, ABSOLUTE_WORDS) for o in item.distractors
            ):
                cued.append(item.id)
    return keys, distractors, cued


def absolute_words(items: Sequence[Item]) -> str | None:
    keys, distractors, cued = _statements(items)
    if not keys or not distractors:
        return None
    in_keys = sum(count_listed(t, ABSOLUTE_WORDS) > 0 for t in keys)
    in_distractors = sum(count_listed(t, ABSOLUTE_WORDS) > 0 for t in distractors)
    key_rate = Fraction(in_keys, len(keys))
    distractor_rate = Fraction(in_distractors, len(distractors))
    if in_distractors < MIN_ABSOLUTE_DISTRACTORS or distractor_rate <= ABSOLUTE_RATIO * key_rate:
        return None
    examples = f"; e.g. {', '.join(cued[:4])}" if cued else ""
    return (
        f"absolute words are in {_share(in_distractors, len(distractors))} distractors "
        f"but {_share(in_keys, len(keys))} keys (limit: {float(ABSOLUTE_RATIO)} times){examples}"
    )
