"""What a card shows and the hash that tells whether it changed. Pure.

A question card keeps its attempt-snapshot entry (``quiz.snapshot.question_snapshot``'s
shape), so it shows the question as the learner met it. The hash leaves out what differs
between two snapshots of one unchanged question: its row id (a new version has new rows) and
the orders an attempt shuffles (choices, ordering items).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..quiz.review import ReviewItem, review_item

_VOLATILE = ("question_id", "items", "choices")


def question_hash(question: Mapping[str, Any]) -> str:
    canonical = {k: v for k, v in question.items() if k not in _VOLATILE}
    canonical["choices"] = sorted(question.get("choices", []), key=lambda c: c["key"])
    canonical["items"] = sorted(question.get("items", []), key=lambda i: i["key"])
    text = json.dumps(canonical, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def keypoint_hash(title: str, html: str) -> str:
    return hashlib.sha256(json.dumps([title, html]).encode()).hexdigest()


def answer_of(question: Mapping[str, Any]) -> ReviewItem:
    """The key as the result page shows it (accepted answers, the right pairs or order), with
    no answer of the learner's: a review asks again, it does not replay the attempt."""
    return review_item(question, None)
