"""Three-way merging of ordered lists: what the author's draft did to the version it started
from (the base), combined with what the newest version did to the same base.

Pure functions, tested without an app; ``rebase`` uses them for the modules' order and
``rebase_settings`` for the settings that are lists of items with an identity (references by
id, board approvals by body and number, CE categories by themselves).

The order rule, simple enough to say on the page: **modules (or items) you moved stay right
after the one that came before them in your draft; everything else keeps the newest version's
order.** "Moved" means outside the longest run of the base's items that your draft keeps in
their old order (on a tie, the later one in your draft counts as moved; a swap of two
neighbours therefore moves the lower one). So when only you reordered, the result is exactly
your order, with what the newest version added placed where it put it relative to its
neighbours; when only the newest version reordered, its order stands and your additions sit
after the item they followed in your draft; when both reordered, your moves win for the items
you moved and its order stands for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def _steady(mine: Sequence[K], base: Sequence[K]) -> set[K]:
    """The base's items that the author left in their old order: the longest increasing run
    of base positions along the draft's order (earliest predecessor on a tie)."""
    where = {key: i for i, key in enumerate(base)}
    common = [key for key in mine if key in where]
    length = [1] * len(common)
    before: list[int | None] = [None] * len(common)
    for i, key in enumerate(common):
        for j in range(i):
            if where[common[j]] < where[key] and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
    if not common:
        return set()
    end: int | None = length.index(max(length))
    run: set[K] = set()
    while end is not None:
        run.add(common[end])
        end = before[end]
    return run


def arrange(
    base: Sequence[K], mine: Sequence[K], theirs: Sequence[K], keep: set[K] | frozenset[K]
) -> list[K]:
    """The merged order of the items in ``keep`` (the module docstring gives the rule).

    Items in ``keep`` that are in neither ``mine`` nor ``theirs`` are left out: the caller
    decides what exists, this decides only where it goes.
    """
    steady = _steady(mine, base)
    placed = [key for key in theirs if key in keep and (key in steady or key not in mine)]
    for i, key in enumerate(mine):
        if key not in keep or key in placed:
            continue
        after = next((p for p in reversed(mine[:i]) if p in placed), None)
        placed.insert(placed.index(after) + 1 if after is not None else 0, key)
    return placed


@dataclass
class ItemConflict(Generic[K, T]):
    """One item both sides changed differently (None: that side removed it)."""

    key: K
    mine: T | None
    theirs: T | None


@dataclass
class ItemsMerged(Generic[K, T]):
    items: list[T]
    conflicts: list[ItemConflict[K, T]]


class NotKeyed(Exception):
    """Two items of one list share a key: the list cannot be merged item by item."""


def merge_items(
    base: Sequence[T],
    mine: Sequence[T],
    theirs: Sequence[T],
    key: Callable[[T], K],
    chosen: Callable[[K], str | None],
) -> ItemsMerged[K, T]:
    """Merge a list item by item: an item only one side added, removed or changed follows that
    side; one both changed alike is taken once; one both changed differently is a conflict,
    settled by ``chosen(key)`` ("mine" or "theirs") when given, else kept as mine for now and
    reported. Raises ``NotKeyed`` when a key is not unique within a side."""
    sides = [_keyed(items, key) for items in (base, mine, theirs)]
    old, ours, new = sides
    values: dict[K, T] = {}
    conflicts: list[ItemConflict[K, T]] = []
    for k in dict.fromkeys([*ours, *new, *old]):
        before, after_mine, after_theirs = old.get(k), ours.get(k), new.get(k)
        if after_mine == before:
            value = after_theirs
        elif after_theirs == before or after_mine == after_theirs:
            value = after_mine
        else:
            conflicts.append(ItemConflict(k, after_mine, after_theirs))
            value = after_theirs if chosen(k) == "theirs" else after_mine
        if value is not None:
            values[k] = value
    order = arrange(list(old), list(ours), list(new), frozenset(values))
    return ItemsMerged([values[k] for k in order], conflicts)


def _keyed(items: Sequence[T], key: Callable[[T], K]) -> dict[K, T]:
    keyed = {key(item): item for item in items}
    if len(keyed) != len(items):
        raise NotKeyed
    return keyed
