"""The course format's refusals (pydantic errors) said as an instructor reads them: which
field, and what to write instead. The rule itself stays in ``content.schema``; only the words
are chosen here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """A refusal and where it belongs: ``("title",)`` or ``("references", row, "link")``."""

    loc: tuple[Any, ...]
    message: str


# The settings an instructor edits, by their names in the course format and the versions
# table, as the settings page labels them (its form, its errors, and rebase's choices).
LABELS = {
    "title": "Title",
    "summary": "Summary",
    "objectives": "Learning objectives",
    "authors": "Authors",
    "reviewed_on": "Evidence reviewed on",
    "ce_hours": "CE hours",
    "ce_type": "CE type",
    "ce_categories": "CE categories",
    "passing_score": "Passing score",
    "references": "References",
    "approvals": "Board approvals",
}
_REFERENCE = {
    "ref_id": "ID",
    "citation": "citation",
    "link": "DOI or web address",
    "label": "label",
}
_APPROVAL = {
    "body": "board",
    "number": "approval number",
    "title": "approved title",
    "ce_hours": "CE hours",
    "valid_from": "valid from",
    "valid_to": "valid to",
    "cebroker": "CE Broker course tracking number",
}
_PATTERNS = {
    "ref_id": "use lowercase letters, digits and single hyphens, like furlan2015",
    "ce_categories": "use lowercase letters, digits and single hyphens",
    "link": "give a DOI (10.1002/14651858.CD001929.pub3) or a web address starting "
    "with https:// and without spaces",
    "cebroker": "give CE Broker's course tracking number, like 20-123456",
}
_LISTS = {
    "objectives": "write at least one learning objective, one per line",
    "authors": "name at least one author, one per line, as printed on certificates",
}


def label_of(loc: tuple[Any, ...]) -> str:
    """The field's name as the page shows it, with the row for table fields."""
    if loc[0] == "references" and len(loc) == 3:
        return f"Reference {loc[1] + 1}, {_REFERENCE.get(loc[2], loc[2])}"
    if loc[0] == "approvals" and len(loc) == 3:
        return f"Approval {loc[1] + 1}, {_APPROVAL.get(loc[2], loc[2])}"
    return LABELS.get(loc[0], str(loc[0]))


def message_for(loc: tuple[Any, ...], item: dict[str, Any]) -> str:
    """``Label: what is wrong`` for one pydantic error at ``loc``."""
    return f"{label_of(loc)}: {_why(loc, item)}."


def _why(loc: tuple[Any, ...], item: dict[str, Any]) -> str:
    kind, ctx, name = item["type"], item.get("ctx") or {}, loc[-1]
    if kind in ("missing", "string_too_short") and name in ("valid_from", "valid_to"):
        return "give a date, like 2026-11-24"
    if kind in ("missing", "string_too_short") or item.get("input") == "":
        return "this cannot be empty"
    if kind == "too_short":
        return _LISTS.get(name, "give at least one")
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(name, "this is not in the expected form")
    if kind.startswith("int_"):
        return "give a whole number, like 80"
    if kind.startswith("decimal_") or kind in ("finite_number", "float_parsing"):
        return "give a number of hours, like 1.5"
    if kind == "multiple_of":
        return "give hours in quarters: 0.25, 0.5, 0.75, 1 and so on"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound(kind, ctx)
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return "give a real date, like 2026-11-24"
    if kind == "value_error":
        text = item["msg"].removeprefix("Value error, ")
        return text.replace("valid_to", "valid to").replace("valid_from", "valid from")
    return item["msg"]


def _bound(kind: str, ctx: dict[str, Any]) -> str:
    words = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    word, key = words[kind]
    return f"must be {word} {ctx.get(key)}"
