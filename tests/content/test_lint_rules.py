"""Each item-writing rule, with items that should and should not trip it, at its threshold."""

from __future__ import annotations

import pytest

from eduapp.content.lint import rules
from tests.content.lintkit import item, items, multiple, single, true_false

D = "d" * 100  # a distractor of 100 characters


@pytest.mark.parametrize(
    ("key_length", "trips"),
    [(130, True), (129, False), (100, False), (71, False), (70, True)],
)
def test_key_length_both_ways_at_the_ratio(key_length: int, trips: bool) -> None:
    """1.3 and 0.7 times the mean distractor length are the limits, both included."""
    found = rules.key_length(item(single("q", "k" * key_length, [D, D, D])))
    assert bool(found) is trips
    if found:
        assert ("1.3" if key_length > 100 else "0.7") in found


def test_key_length_of_multiple_select_compares_the_means() -> None:
    long_keys = multiple("m", [("k" * 140, True), ("k" * 120, True), (D, False), (D, False)])
    assert rules.key_length(item(long_keys))
    even = multiple("m", [("k" * 100, True), ("k" * 110, True), (D, False), (D, False)])
    assert rules.key_length(item(even)) is None
    assert rules.key_length(item(true_false("t", "A claim.", True))) is None


@pytest.mark.parametrize(
    ("options", "trips"),
    [
        ([True, True, True, False], True),
        ([True, True, False, False], False),
        ([True, True, False], True),
        ([True, False], False),  # two options: one right, one wrong is not "all but one"
        ([True, True, True, True, False], True),
    ],
)
def test_every_option_but_one_correct(options: list[bool], trips: bool) -> None:
    question = multiple("m", [(f"option {i}", c) for i, c in enumerate(options)])
    assert bool(rules.all_but_one(item(question))) is trips


@pytest.mark.parametrize(
    ("text", "trips"),
    [
        ("All of the above", True),
        ("None of the above.", True),
        ("Massage the area above the knee", False),
        ("none of these would help", False),
    ],
)
def test_all_or_none_of_the_above(text: str, trips: bool) -> None:
    question = single("q", "The right answer", ["A wrong answer", text])
    assert bool(rules.above(item(question))) is trips


@pytest.mark.parametrize(
    ("prompt", "trips"),
    [
        ("Which of these is not a red flag?", True),
        ("Which of these is NOT a red flag?", False),
        ("Which of these is **not** a red flag?", False),
        ("Which of these is *not* a red flag?", False),
        ("All of these call for referral except:", True),
        ("All of these call for referral EXCEPT:", False),
        ("Which statement is false?", True),
        ("Which is the least useful next step?", True),
        # The case may say "not"; only the sentence that asks must stress it.
        ("She does not have a fever. What do you do first?", False),
        ('She says, "I\'m not comfortable." What is the best response?', False),
        ("Which claims should go because the evidence does not support them?", False),
        ("What do you do if she does not improve?", False),
        ("Besides doing at least as well, what else did the authors point out?", False),
        ("Which clients should not receive deep pressure if they ask for it?", True),
        ("Which of these calls for referral?", False),
    ],
)
def test_negative_stem_needs_emphasis(prompt: str, trips: bool) -> None:
    question = single("q", "One", ["Two", "Three"], prompt=prompt)
    assert bool(rules.negative_stem(item(question))) is trips


def test_negative_words_in_true_false_statements_are_not_stems() -> None:
    assert rules.negative_stem(item(true_false("t", "Massage is not risk-free.", True))) is None


def test_stem_echo_when_only_the_key_repeats_a_rare_word() -> None:
    echoing = single(
        "q",
        "Refer her today about the popliteal swelling",
        ["Massage her calf gently", "Stretch the hamstrings"],
        prompt="A client has a warm, swollen popliteal area. What do you do?",
    )
    pool = items(echoing)
    assert "poplit" in rules.stem_echo(pool[0], rules.rare_words(pool))  # type: ignore[operator]
    shared = single(
        "q",
        "Refer her today about the popliteal swelling",
        ["Massage the popliteal area gently", "Stretch the hamstrings"],
        prompt="A client has a warm, swollen popliteal area. What do you do?",
    )
    pool = items(shared)
    assert rules.stem_echo(pool[0], rules.rare_words(pool)) is None


def test_a_word_in_many_questions_is_not_rare() -> None:
    """Rare means in at most 5% of the course's questions (and at least 2 may share it)."""
    filler = [single(f"f{i}", f"Answer {i}", ["Other", "Else"]) for i in range(40)]
    common = [single(f"c{i}", "Keep pressure gentle", ["No", "Yes"]) for i in range(2)]
    echo = single("e", "Gentle strokes on the calf", ["Firm", "Skip it"], prompt="How gentle?")
    # 43 questions: the limit is max(2, ceil(5% of 43) = 3) questions.
    pool = items(*filler, *common, echo)
    assert "gentle" in rules.rare_words(pool)
    assert rules.stem_echo(pool[-1], rules.rare_words(pool))
    pool = items(*filler, *common, single("c2", "Gentle", ["x", "y"]), echo)
    assert "gentle" not in rules.rare_words(pool)
    assert rules.stem_echo(pool[-1], rules.rare_words(pool)) is None


def test_near_duplicate_stems_at_the_overlap() -> None:
    base = "alpha bravo charlie delta"
    pool = items(
        single("one", "k", ["x", "y"], prompt=base),
        single("two", "k", ["x", "y"], prompt=base + " echo"),  # 4 of 5 words: 0.8
        single("three", "k", ["x", "y"], prompt="alpha bravo charlie foxtrot"),  # 3 of 5 with one
        single("four", "k", ["x", "y"], prompt="alpha bravo"),  # too short to compare
    )
    found = rules.near_duplicates(pool)
    assert found == [("two", "the stem repeats one (content-word overlap >= 0.8)")]


def test_questions_under_different_cases_are_not_duplicates() -> None:
    """Case-based sets ask the same question about different cases."""
    asked = "Which technique suits this client today best?"

    def case(name: str, text: str) -> dict:
        return {"id": name, "type": "description", "prompt": text}

    pool = items(
        case("case-one", "Ana, 42, has acute back pain after lifting boxes."),
        single("one", "k", ["x", "y"], prompt=asked),
        case("case-two", "Ben, 70, takes warfarin and bruises easily."),
        single("two", "k", ["x", "y"], prompt=asked),
        single("three", "k", ["x", "y"], prompt=asked),  # the same case, the same question
    )
    assert [q for q, _ in rules.near_duplicates(pool)] == ["three"]


def _pool_with_extreme_keys(longest: int, shortest: int, total: int = 20) -> list:
    questions = []
    for i in range(total):
        if i < longest:
            key = "k" * 30
        elif i < longest + shortest:
            key = "k" * 5
        else:
            key = "k" * 15
        questions.append(single(f"q{i}", key, ["d" * 10, "d" * 20, "d" * 25]))
    return items(*questions)


@pytest.mark.parametrize(("count", "trips"), [(7, False), (8, True)])
def test_key_longest_and_shortest_rates_above_35_percent(count: int, trips: bool) -> None:
    assert bool(rules.key_longest(_pool_with_extreme_keys(count, 0))) is trips
    assert bool(rules.key_shortest(_pool_with_extreme_keys(0, count))) is trips
    assert rules.key_shortest(_pool_with_extreme_keys(count, 0)) is None


def test_a_key_tied_for_longest_is_not_the_longest() -> None:
    pool = items(*[single(f"q{i}", "k" * 20, ["d" * 20, "d" * 5, "d" * 6]) for i in range(5)])
    assert rules.key_longest(pool) is None


def test_too_few_single_choice_items_for_a_rate() -> None:
    pool = items(*[single(f"q{i}", "k" * 30, ["d", "dd"]) for i in range(3)])
    assert rules.key_longest(pool) is None
    pool = items(*[single(f"q{i}", "k" * 30, ["d", "dd"]) for i in range(4)])
    assert rules.key_longest(pool)


@pytest.mark.parametrize(
    ("total", "allowed"),
    [
        (1, range(0, 2)),  # one item cannot be balanced
        (2, range(1, 2)),
        (3, range(1, 3)),  # 35-65% holds no whole number: the two nearest half
        (6, range(3, 4)),
        (20, range(7, 14)),  # 7/20 = 35% and 13/20 = 65% are inside
    ],
)
def test_balanced_true_counts(total: int, allowed: range) -> None:
    assert rules.balanced_true_counts(total) == allowed


@pytest.mark.parametrize(("true", "trips"), [(6, True), (7, False), (13, False), (14, True)])
def test_true_false_balance(true: int, trips: bool) -> None:
    pool = items(*[true_false(f"t{i}", f"Claim number {i}.", i < true) for i in range(20)])
    found = rules.true_false_balance(pool)
    assert bool(found) is trips
    if found:
        assert f"{true} of 20" in found


@pytest.mark.parametrize(
    ("counts", "trips"), [([2, 2, 2], True), ([2, 2], False), ([2, 2, 1], False)]
)
def test_multiple_select_all_with_the_same_number_correct(counts: list[int], trips: bool) -> None:
    pool = items(
        *[
            multiple(f"m{i}", [(f"option {j}", j < n) for j in range(4)])
            for i, n in enumerate(counts)
        ]
    )
    assert bool(rules.multiple_same_count(pool)) is trips


def _absolute_pool(in_distractors: int, in_keys: int) -> list:
    """10 single-choice items: 10 keys, 20 distractors."""
    questions = []
    for i in range(10):
        key = "It always helps" if i < in_keys else "It helps a little"
        first = "It never works" if i < in_distractors else "It hardly works"
        second = "It never works" if 10 + i < in_distractors else "It works later"
        questions.append(single(f"q{i}", key, [first, second]))
    return items(*questions)


@pytest.mark.parametrize(
    ("in_distractors", "in_keys", "trips"),
    [
        (3, 1, False),  # 15% of distractors against 10% of keys: exactly 1.5 times
        (4, 1, True),  # 20% against 10%
        (2, 0, False),  # too few distractors to call it a pattern
        (3, 0, True),
    ],
)
def test_absolute_words_rate_in_distractors_against_keys(
    in_distractors: int, in_keys: int, trips: bool
) -> None:
    assert bool(rules.absolute_words(_absolute_pool(in_distractors, in_keys))) is trips


def test_true_false_statements_count_as_keys_when_true() -> None:
    """A false statement worded as an absolute is the true/false form of a caricature."""
    false_absolutes = [
        true_false(f"f{i}", "Massage always cures back pain.", False) for i in range(3)
    ]
    true_hedged = [true_false(f"t{i}", "Massage may ease back pain.", True) for i in range(3)]
    assert rules.absolute_words(items(*false_absolutes, *true_hedged))
    true_absolutes = [
        true_false(f"t{i}", "Massage always carries some risk.", True) for i in range(3)
    ]
    assert rules.absolute_words(items(*false_absolutes, *true_absolutes)) is None


def test_phrases_in_word_lists_match_as_phrases() -> None:
    from eduapp.content.lint.items import count_listed

    assert count_listed("It has no effect at all", frozenset({"no effect", "all"})) == 2
    assert count_listed("There is no clear effect", frozenset({"no effect"})) == 0


def _case(qid: str) -> dict:
    return {"id": qid, "type": "description", "prompt": f"**Case {qid}.** A client arrives."}


def _asks(prefix: str, count: int) -> list[dict]:
    return [
        true_false(f"{prefix}-{n}", f"Statement {prefix} number {n}.", n % 2 == 0)
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("after", "trips"), [(rules.MAX_CASE_QUESTIONS, False), (rules.MAX_CASE_QUESTIONS + 1, True)]
)
def test_a_case_that_takes_in_too_many_questions(after: int, trips: bool) -> None:
    """Stand-alone questions put after a case would be shown and drawn as part of it."""
    pool = items(*_asks("lone", 5), _case("case-a"), *_asks("a", after))
    message = rules.case_length(pool)
    assert bool(message) is trips
    if trips:
        assert "case-a (line " in message and f"takes {after}" in message


def test_cases_at_the_end_each_with_their_own_questions_pass() -> None:
    pool = items(
        *_asks("lone", 12), _case("case-a"), *_asks("a", 3), _case("case-b"), *_asks("b", 4)
    )
    assert rules.case_length(pool) is None
    # The same questions with one case in the middle: it swallows the stand-alone ones after it.
    swallowed = items(*_asks("lone", 6), _case("case-a"), *_asks("a", 3), *_asks("more", 6))
    assert "case-a" in rules.case_length(swallowed)
