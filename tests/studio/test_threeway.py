"""The three-way merge of ordered lists behind "Bring my draft up to date", without an app."""

from __future__ import annotations

import pytest

from eduapp.studio.threeway import NotKeyed, arrange, merge_items

BASE = ["a", "b", "c", "d"]


def everything(*orders: list[str]) -> frozenset[str]:
    return frozenset(key for order in orders for key in order)


@pytest.mark.parametrize(
    ("mine", "theirs", "expected"),
    [
        # Nobody reordered.
        (BASE, BASE, BASE),
        # Only the author reordered: their order, exactly (a swap; one to the top; one to the end).
        (["b", "a", "c", "d"], BASE, ["b", "a", "c", "d"]),
        (["d", "a", "b", "c"], BASE, ["d", "a", "b", "c"]),
        (["b", "c", "d", "a"], BASE, ["b", "c", "d", "a"]),
        # Only the newest version reordered: its order.
        (BASE, ["c", "a", "b", "d"], ["c", "a", "b", "d"]),
        # Both reordered different modules: both moves stand.
        (["d", "a", "b", "c"], ["b", "a", "c", "d"], ["d", "b", "a", "c"]),
        # Both moved the same module: the author's move wins.
        (["d", "a", "b", "c"], ["a", "b", "d", "c"], ["d", "a", "b", "c"]),
        # A module the newest version added stays between the neighbours it gave it.
        (["c", "a", "b", "d"], ["a", "x", "b", "c", "d"], ["c", "a", "x", "b", "d"]),
        # A module the author added stays after the one it followed in their draft.
        (["a", "y", "b", "c", "d"], ["d", "c", "b", "a"], ["d", "c", "b", "a", "y"]),
        (["y", "a", "b", "c", "d"], ["a", "x", "b", "c", "d"], ["y", "a", "x", "b", "c", "d"]),
    ],
)
def test_the_merged_order(mine: list[str], theirs: list[str], expected: list[str]) -> None:
    assert arrange(BASE, mine, theirs, everything(mine, theirs)) == expected


def test_only_what_is_kept_is_placed() -> None:
    # "b" was removed by the newest version; "y" was the author's, placed after "a" (its
    # predecessor "b" is gone); "z" is in neither order.
    mine = ["a", "b", "y", "c", "d"]
    assert arrange(BASE, mine, ["a", "c", "d"], frozenset({"a", "c", "d", "y", "z"})) == [
        "a",
        "y",
        "c",
        "d",
    ]


def test_without_a_base_the_authors_modules_follow_their_predecessors() -> None:
    assert arrange([], ["p", "q"], ["a", "b"], frozenset({"a", "b", "p", "q"})) == [
        "p",
        "q",
        "a",
        "b",
    ]


def ref(ref_id: str, citation: str) -> dict[str, str]:
    return {"id": ref_id, "citation": citation}


def by_id(item: dict[str, str]) -> str:
    return item["id"]


def unchosen(key: str) -> None:
    return None


def test_items_one_side_added_removed_or_changed_follow_that_side() -> None:
    base = [ref("a", "A"), ref("b", "B"), ref("c", "C")]
    mine = [ref("a", "A, corrected"), ref("c", "C"), ref("m", "Mine")]  # changed a, removed b
    theirs = [ref("a", "A"), ref("b", "B"), ref("t", "Theirs"), ref("c", "C, fixed")]
    merged = merge_items(base, mine, theirs, by_id, unchosen)
    assert merged.conflicts == []
    expected = [ref("a", "A, corrected"), ref("t", "Theirs"), ref("c", "C, fixed")]
    assert merged.items == [*expected, ref("m", "Mine")]


def test_an_item_both_changed_alike_is_no_conflict() -> None:
    base = [ref("a", "A")]
    same = [ref("a", "A2"), ref("n", "New")]
    merged = merge_items(base, same, same, by_id, unchosen)
    assert (merged.items, merged.conflicts) == (same, [])


def test_an_item_both_changed_differently_is_a_conflict_settled_by_the_choice() -> None:
    base = [ref("a", "A"), ref("b", "B")]
    mine = [ref("a", "A mine"), ref("b", "B")]
    theirs = [ref("a", "A theirs")]  # and they removed b
    merged = merge_items(base, mine, theirs, by_id, unchosen)
    assert [(c.key, c.mine, c.theirs) for c in merged.conflicts] == [
        ("a", ref("a", "A mine"), ref("a", "A theirs"))
    ]
    assert merged.items == [ref("a", "A mine")]
    taken = merge_items(base, mine, theirs, by_id, lambda key: "theirs")
    assert taken.items == [ref("a", "A theirs")]
    # One side removed what the other changed: a conflict too, "(removed)" on one side.
    gone = merge_items(base, [ref("b", "B")], theirs, by_id, unchosen)
    assert [(c.key, c.mine) for c in gone.conflicts] == [("a", None)]
    assert merge_items(base, [ref("b", "B")], theirs, by_id, lambda key: "mine").items == []


def test_a_list_with_a_repeated_key_is_not_merged_item_by_item() -> None:
    with pytest.raises(NotKeyed):
        merge_items([], [ref("a", "1"), ref("a", "2")], [], by_id, unchosen)
