"""The settings half of bringing a draft up to date (``rebase``): the author's settings
merged with the newest version's, against the version the draft started from.

A setting only one side changed takes that side's value. The lists whose items have an
identity are merged item by item (``threeway.merge_items``): references by their id, board
approvals by body and approval number, CE categories by themselves; an item only one side
added, removed or changed follows that side, and one both changed differently is a conflict.
Every other setting both changed differently (the title, the objectives, the authors...) is a
conflict as a whole: a line of objectives edited on both sides cannot be told from a line
removed and another added, so the author chooses rather than the merge guessing. The derived
totals (module count, minutes, words) are recomputed from the modules by the caller, never a
conflict. Without a base (a draft started before the course had a published version) every
setting that differs is a conflict, and list items are merged as if the base had none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..models import SETTINGS, CourseVersion
from . import threeway
from .course_settings import LABELS

DERIVED = ("module_count", "total_minutes", "word_count")
CHOICES = ("mine", "theirs")


def _approval_key(item: dict[str, Any]) -> tuple[str, str]:
    return (str(item.get("body", "")), str(item.get("number", "")))


# The list settings merged item by item, and what identifies an item.
KEYED: dict[str, Callable[[Any], Hashable]] = {
    "references": lambda item: str(item.get("id", "")),
    "approvals": _approval_key,
    "ce_categories": lambda item: str(item),
}


@dataclass
class SettingConflict:
    """A setting (or one item of a list setting) both sides changed differently, readable.

    ``key`` names the choice on the page: the setting's name, or ``name:item`` for an item.
    """

    key: str
    label: str
    mine: str
    theirs: str


@dataclass
class SettingsMerged:
    values: dict[str, Any]
    conflicts: list[SettingConflict]


_UNKNOWN = object()  # no base: nothing is known about what either side changed


def merge(
    base: CourseVersion | None,
    mine: CourseVersion,
    theirs: CourseVersion,
    chosen: Mapping[str, str],
) -> SettingsMerged:
    """The merged settings (all but the derived ones) and every conflict found; a conflict
    with a choice in ``chosen`` ("mine" or "theirs", by its key) is settled that way, one
    without is settled as "mine" for now, and the caller writes nothing while any is open."""
    values: dict[str, Any] = {}
    conflicts: list[SettingConflict] = []
    for name in SETTINGS:
        if name in DERIVED:
            continue
        before = getattr(base, name) if base is not None else _UNKNOWN
        ours, new = getattr(mine, name), getattr(theirs, name)
        if name in KEYED:
            try:
                values[name] = _merge_items(name, before, ours, new, chosen, conflicts)
                continue
            except threeway.NotKeyed:
                pass  # a list with a repeated key: merged as a whole below
        if _same(ours, before) or _same(ours, new):
            values[name] = new
        elif _same(new, before):
            values[name] = ours
        else:
            shown = SettingConflict(name, label(name), _shown(name, ours), _shown(name, new))
            conflicts.append(shown)
            values[name] = new if chosen.get(name) == "theirs" else ours
    return SettingsMerged(values, conflicts)


def label(name: str) -> str:
    """What the settings page calls the setting."""
    return LABELS[name]


def _merge_items(
    name: str,
    before: Any,
    ours: list[Any],
    new: list[Any],
    chosen: Mapping[str, str],
    conflicts: list[SettingConflict],
) -> list[Any]:
    key = KEYED[name]

    def choice(item_key: Hashable) -> str | None:
        return chosen.get(_item_choice(name, item_key))

    merged = threeway.merge_items(
        [] if before is _UNKNOWN else list(before or []),
        list(ours or []),
        list(new or []),
        key,
        choice,
    )
    for found in merged.conflicts:
        either = found.mine if found.mine is not None else found.theirs
        conflicts.append(
            SettingConflict(
                _item_choice(name, found.key),
                f"{label(name)}: “{_item_name(name, either)}”",
                _shown_item(name, found.mine),
                _shown_item(name, found.theirs),
            )
        )
    return merged.items


def _item_choice(name: str, item_key: Hashable) -> str:
    """An item's choice key: readable where the item's key is a slug (a reference id), a
    short hash where it is free text (an approval's body and number)."""
    if isinstance(item_key, str):
        return f"{name}:{item_key}"
    digest = hashlib.sha256(repr(item_key).encode()).hexdigest()[:12]
    return f"{name}:{digest}"


def _item_name(name: str, item: Any) -> str:
    if name == "approvals":
        return f"{item.get('body', '')} {item.get('number', '')}"
    if name == "references":
        return str(item.get("id", ""))
    return str(item)


def _same(a: Any, b: Any) -> bool:
    return a is not _UNKNOWN and b is not _UNKNOWN and a == b


_ITEM_FIELDS = {
    "references": (
        ("id", "ID"),
        ("citation", "Citation"),
        ("doi", "DOI"),
        ("url", "Web address"),
        ("label", "Label"),
    ),
    "approvals": (
        ("body", "Board"),
        ("number", "Approval number"),
        ("title", "Title approved"),
        ("ce_hours", "CE hours approved"),
        ("valid_from", "Valid from"),
        ("valid_to", "Valid to"),
        ("cebroker", "CE Broker course tracking number"),
    ),
}


def _shown_item(name: str, item: Any) -> str:
    if item is None:
        return "(removed)"
    fields = _ITEM_FIELDS.get(name)
    if fields is None or not isinstance(item, dict):
        return str(item)
    return "\n".join(f"{title}: {item[field]}" for field, title in fields if item.get(field))


def _shown(name: str, value: Any) -> str:
    """A setting's value as the author reads it on the page: a list one item a line (an
    item with fields, such as a reference, one field a line and a blank line between)."""
    if value is None or value == [] or value == "":
        return "(none)"
    if isinstance(value, list):
        between = "\n\n" if name in _ITEM_FIELDS else "\n"
        return between.join(_shown_item(name, item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
