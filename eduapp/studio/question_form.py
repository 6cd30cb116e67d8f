"""The question editor's form: what an author types, turned into a quiz file's question and
checked by the files' own schema (``content.quizschema.QuestionFile``): one set of rules for
the browser and the files, so the studio can save nothing an import would refuse.

A question's answers are rows (choices, accepted answers, pairs, steps); the form shows the
rows there are plus a few blank ones, and an "Add more rows" button asks for more without
JavaScript. Blank rows are dropped; each error the schema finds is put beside the field and
row it belongs to. Pure: no request, no database.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from ..content.quizschema import MIN_ORDERING_ITEMS, QuestionFile

TYPES = {
    "single": "Single answer: one correct choice",
    "multiple": "Multiple answers: tick every correct choice",
    "true_false": "True or false",
    "short": "Short answer: the learner types a word or phrase",
    "numeric": "Numeric: the learner types a number",
    "matching": "Matching: pair each item with its answer",
    "ordering": "Ordering: put steps in their order",
    "description": "Description: a case or text that later questions refer to (no answer)",
}
KINDS = {
    "": "Not set",
    "recall": "Recall: a fact",
    "concept": "Concept: understanding why",
    "vignette": "Vignette: a client's case",
    "myth": "Myth: a common belief tested",
}
# The columns of each type's rows, and the form's scalar fields.
ROW_FIELDS = {
    "single": ("id", "text", "correct", "credit", "feedback"),
    "multiple": ("id", "text", "correct", "credit", "feedback"),
    "short": ("text", "credit", "feedback"),
    "numeric": ("value", "tolerance", "min", "max", "credit", "feedback"),
    "matching": ("id", "prompt", "answer"),
    "ordering": ("id", "text", "order"),
}
ROW_LIST = {
    "single": "choices",
    "multiple": "choices",
    "short": "answers",
    "numeric": "answers",
    "matching": "pairs",
    "ordering": "items",
}
# Fields of a row that, left empty, make it a blank row the form drops.
_CONTENT = {"text", "prompt", "answer", "value", "min", "max", "feedback"}
SCALARS = (
    "id",
    "prompt",
    "kind",
    "points",
    "explanation",
    "tags",
    "answer",
    "feedback_true",
    "feedback_false",
    "feedback_wrong",
    "distractors",
)
BLANK_ROWS = 2
MAX_ROWS = 40
MIN_ROWS = {"single": 4, "multiple": 4, "short": 2, "numeric": 1, "matching": 3, "ordering": 4}
_ROW_KEY = re.compile(r"^row-(\d{1,2})-([a-z]+)$")
_ANSWER_ERROR = re.compile(r"^answers\.(\d+)(?:\.(\w+))?: (.*)$", re.S)
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass
class QuestionForm:
    """What the editor shows and what was posted: scalar values, rows, and errors by field
    (``row-N-column`` for a cell, ``rows`` for the answers as a whole, ``form`` for the rest)."""

    type: str
    values: dict[str, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Carried as written: how the texts are written (GIFT's [html]) and a Moodle name.
    markup: str = "markdown"
    name: str = ""

    @property
    def row_fields(self) -> tuple[str, ...]:
        return ROW_FIELDS.get(self.type, ())

    def error(self, where: str, message: str) -> None:
        self.errors.setdefault(where, []).append(message)


def blank(kind: str) -> QuestionForm:
    """An empty form for a new question of type ``kind``."""
    form = QuestionForm(type=kind, values={"points": "1", "answer": "true"})
    _pad(form)
    return form


def from_source(source: dict[str, Any]) -> QuestionForm:
    """The form for a stored question (its quiz-file shape, ``Question.source``)."""
    kind = source["type"]
    values = {
        "id": source["id"],
        "prompt": source.get("prompt", ""),
        "kind": source.get("kind") or "",
        "points": str(source.get("points", 1)),
        "explanation": source.get("explanation", ""),
        "tags": ", ".join(source.get("tags", [])),
        "feedback_true": source.get("feedback_true", ""),
        "feedback_false": source.get("feedback_false", ""),
        "feedback_wrong": source.get("feedback_wrong", ""),
        "distractors": "\n".join(source.get("distractors") or []),
    }
    if kind == "true_false":
        values["answer"] = "true" if source.get("answer") else "false"
    rows: list[dict[str, str]] = []
    for entry in source.get(ROW_LIST.get(kind, "")) or []:
        row = {k: _text(v) for k, v in entry.items() if k != "fraction"}
        if "fraction" in entry:
            row["credit"] = _percent(entry["fraction"])
        elif kind in ("short", "numeric"):
            row["credit"] = "100"
        if kind in ("single", "multiple"):
            row["correct"] = "on" if entry.get("correct") or _positive(entry) else ""
        rows.append(row)
    if kind == "ordering":
        for position, row in enumerate(rows, start=1):
            row["order"] = str(position)
    form = QuestionForm(
        type=kind,
        values=values,
        references=list(source.get("references", [])),
        rows=rows,
        markup=source.get("markup", "markdown"),
        name=source.get("name", ""),
    )
    _pad(form)
    return form


def from_post(posted: MultiDict[str, str], kind: str) -> QuestionForm:
    """The form as posted; unknown row numbers or columns are ignored, not trusted."""
    form = QuestionForm(
        type=kind,
        values={name: posted.get(name, "").replace("\r\n", "\n") for name in SCALARS},
        references=posted.getlist("references"),
        markup="html" if posted.get("markup") == "html" else "markdown",
        name=posted.get("name", "")[:255],
    )
    cells: dict[int, dict[str, str]] = {}
    for key, value in posted.items(multi=False):
        match = _ROW_KEY.match(key)
        if match and match[2] in form.row_fields and int(match[1]) < MAX_ROWS:
            cells.setdefault(int(match[1]), {})[match[2]] = value.replace("\r\n", "\n")
    if kind == "single":
        chosen = posted.get("correct", "")
        for index, row in cells.items():
            row["correct"] = "on" if chosen == str(index) else ""
    count = max(cells, default=-1) + 1
    form.rows = [cells.get(i, {}) for i in range(count)]
    return form


def more_rows(form: QuestionForm, extra: int = 3) -> None:
    """Room for ``extra`` more answers ("Add more rows"), up to ``MAX_ROWS``."""
    form.rows += [{} for _ in range(min(extra, MAX_ROWS - len(form.rows)))]


def _pad(form: QuestionForm) -> None:
    if form.type in ROW_FIELDS:
        wanted = max(MIN_ROWS[form.type], len(form.rows) + BLANK_ROWS)
        form.rows += [{} for _ in range(min(wanted, MAX_ROWS) - len(form.rows))]


def check(form: QuestionForm, taken: set[str], references: set[str]) -> QuestionFile | None:
    """The question as the files' schema reads it, or None with ``form.errors`` filled.

    ``taken`` are the other questions' ids in the quiz (a new question needs its own);
    ``references`` the ids of the course's sources, which is all a question may cite."""
    source, used = _source(form, taken)
    unknown = [r for r in form.references if r not in references]
    if unknown:
        form.error("references", f"Not among the course's sources: {', '.join(unknown)}.")
    if form.errors:
        return None
    try:
        return QuestionFile.model_validate(source)
    except ValidationError as error:
        for problem in error.errors():
            _place(form, problem, used)
        return None


def _source(form: QuestionForm, taken: set[str]) -> tuple[dict[str, Any], list[int]]:
    """The quiz-file shape of the form, and which form row each listed entry came from."""
    values = form.values
    source: dict[str, Any] = {
        "id": values.get("id", "").strip() or _new_id(values.get("prompt", ""), form.type, taken),
        "type": form.type,
        "markup": form.markup,
        "prompt": values.get("prompt", ""),
        "explanation": values.get("explanation", ""),
        "references": list(dict.fromkeys(form.references)),
        "tags": [t.strip() for t in values.get("tags", "").split(",") if t.strip()],
    }
    if form.name:
        source["name"] = form.name
    if values.get("kind"):
        source["kind"] = values["kind"]
    if form.type != "description":
        source["points"] = _integer(form, "points", values.get("points", ""))
    if source["id"] in taken:
        form.error("id", f"Another question in this quiz has the id {source['id']!r}.")
    used = [i for i, row in enumerate(form.rows) if any(row.get(c, "").strip() for c in _CONTENT)]
    if form.type == "ordering":
        used.sort(key=lambda i: _order(form, i))
    entries = [_entry(form, i) for i in used]
    if form.type == "multiple":
        _share_credit(entries)
    _give_ids(form.type, entries)
    if form.type in ROW_LIST:
        source[ROW_LIST[form.type]] = entries
    if form.type == "true_false":
        source["answer"] = values.get("answer") == "true"
        source["feedback_true"] = values.get("feedback_true", "")
        source["feedback_false"] = values.get("feedback_false", "")
    if form.type in ("short", "numeric"):
        source["feedback_wrong"] = values.get("feedback_wrong", "")
    if form.type == "matching":
        lines = values.get("distractors", "").split("\n")
        source["distractors"] = [d.strip() for d in lines if d.strip()]
    return source, used


def _entry(form: QuestionForm, index: int) -> dict[str, Any]:
    row = form.rows[index]
    entry: dict[str, Any] = {
        column: row.get(column, "").strip()
        for column in form.row_fields
        if column not in ("correct", "credit", "order", "value", "tolerance", "min", "max")
    }
    for column in ("id", "feedback"):
        if column in entry and not entry[column]:
            del entry[column]
    if form.type in ("single", "multiple"):
        entry["correct"] = row.get("correct") == "on"
    if row.get("credit", "").strip():
        percent = _number(form, f"row-{index}-credit", row["credit"])
        if percent is not None:
            entry["fraction"] = float(percent / 100)
    for column in ("value", "tolerance", "min", "max"):
        if column in form.row_fields and row.get(column, "").strip():
            number = _number(form, f"row-{index}-{column}", row[column])
            if number is not None:
                entry[column] = float(number)
    if form.type in ("short", "numeric") and entry.get("fraction") == 1:
        del entry["fraction"]  # full marks, the files' default
    return entry


def _share_credit(entries: list[dict[str, Any]]) -> None:
    """Where some choices of a multiple-answer question carry a credit, the ticked ones
    without share what is left of full marks equally and the others are worth nothing, as
    the files need every choice weighted or none."""
    if not any("fraction" in e for e in entries):
        return
    given = sum(e["fraction"] for e in entries if e.get("fraction", 0) > 0)
    open_keys = [e for e in entries if "fraction" not in e and e["correct"]]
    for entry in entries:
        if "fraction" not in entry:
            share = (1 - given) / len(open_keys) if entry["correct"] and given < 1 else 0.0
            entry["fraction"] = round(share, 7)


def _give_ids(kind: str, entries: list[dict[str, Any]]) -> None:
    """Ids for new rows: letters for choices, p1.. for pairs, and for steps words of their
    text, which say nothing of the order (a step's id is in the quiz page's HTML)."""
    if kind not in ("single", "multiple", "matching", "ordering"):
        return
    taken = {e["id"] for e in entries if "id" in e}
    numbered = (f"p{n}" for n in range(1, 1000))
    for entry in entries:
        if "id" in entry:
            continue
        if kind in ("single", "multiple"):
            entry["id"] = next(c for c in _letters() if c not in taken)
        elif kind == "matching":
            entry["id"] = next(c for c in numbered if c not in taken)
        else:
            base = "-".join(_WORDS.findall(entry.get("text", "").lower())[:3])[:30] or "step"
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            entry["id"] = candidate
        taken.add(entry["id"])


def _letters() -> Any:
    yield from string.ascii_lowercase
    yield from (f"c{n}" for n in range(27, 1000))


def _new_id(prompt: str, kind: str, taken: set[str]) -> str:
    """An id from the prompt's first words (``pain-gate-theory``), unique in the quiz."""
    words = _WORDS.findall(re.sub(r"<[^>]*>", " ", prompt.lower()))[:5]
    base = "-".join(words)[:60].strip("-") or kind.replace("_", "-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _place(form: QuestionForm, problem: Any, used: list[int]) -> None:
    """Put one schema error beside the field (and row) it is about."""
    loc = [str(p) for p in problem["loc"]]
    message = str(problem["msg"]).removeprefix("Value error, ")
    if problem["type"] == "string_too_short" and loc and loc[-1] in ("text", "prompt", "answer"):
        message = "Write something here."
    answer = _ANSWER_ERROR.match(message)
    if answer and int(answer[1]) < len(used):
        column = {"fraction": "credit"}.get(answer[2] or "", answer[2] or "text")
        form.error(f"row-{used[int(answer[1])]}-{column}", _sentence(answer[3]))
    elif len(loc) >= 3 and loc[0] in ROW_LIST.values() and loc[1].isdigit():
        row = used[int(loc[1])] if int(loc[1]) < len(used) else 0
        column = {"fraction": "credit"}.get(loc[2], loc[2])
        form.error(f"row-{row}-{column}", _sentence(message))
    elif loc and loc[0] in SCALARS:
        form.error(loc[0], _sentence(message))
    elif loc and loc[0] == "references":
        form.error("references", _sentence(message))
    elif loc and loc[0] == "distractors":
        form.error("distractors", _sentence(message))
    else:
        form.error("rows", _sentence(message))


def _sentence(message: str) -> str:
    text = message.strip()
    if "String should match pattern" in text:
        text = "use lower-case letters, digits and hyphens only"
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _number(form: QuestionForm, where: str, text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        form.error(where, f"{text.strip()!r} is not a number.")
        return None
    if not value.is_finite():
        form.error(where, "Write a finite number.")
        return None
    return value


def _integer(form: QuestionForm, where: str, text: str) -> int | str:
    value = _number(form, where, text or "1")
    if value is None:
        return text
    if value != value.to_integral_value():
        form.error(where, "Write a whole number.")
        return text
    return int(value)


def _order(form: QuestionForm, index: int) -> tuple[int, int]:
    text = form.rows[index].get("order", "").strip()
    return (int(text), index) if text.isdigit() and len(text) < 4 else (10_000, index)


def _percent(fraction: Any) -> str:
    return format((Decimal(str(fraction)) * 100).normalize(), "f")


def _positive(entry: dict[str, Any]) -> bool:
    return entry.get("fraction") is not None and float(entry["fraction"]) > 0


def _text(value: Any) -> str:
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return "" if value is None else str(value)


__all__ = ["KINDS", "MIN_ORDERING_ITEMS", "TYPES", "QuestionForm", "blank", "check"]
