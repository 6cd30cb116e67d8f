"""GIFT round trips and fuzzing: generated questions survive being written and read back, and
no text makes the reader crash or report a problem without a line."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from eduapp.content.gift.blocks import choice_key
from eduapp.content.quizfiles import load_text, quiz_data, to_gift
from eduapp.content.schema import QuizFile
from eduapp.content.yamlfile import ContentError

# Hypothesis: generated questions survive GIFT -----------------------------------------

WRITTEN = (
    st.text(
        alphabet=st.one_of(
            st.characters(blacklist_categories=("Cs", "Cc")),
            st.sampled_from(list("~=#{}:\\%->_*[]/$ \n")),
        ),
        min_size=1,
        max_size=24,
    )
    .map(lambda s: s.strip())
    .filter(bool)
)
# Some texts open with what GIFT reads as a format marker: the exporter must protect them.
MARKERS = st.sampled_from(["[html]", "[plain]", "[moodle]", "[markdown]", " [html]"])
TEXT = st.one_of(WRITTEN, st.tuples(MARKERS, WRITTEN).map("".join).map(str.strip))
FEEDBACK = st.one_of(st.just(""), TEXT)
ONE_LINE = TEXT.filter(lambda s: "\n" not in s)
TAG = st.from_regex(r"[a-z\]\[ é-]{0,10}[a-z\]]", fullmatch=True).map(str.strip).filter(bool)
SLUG = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
NUMBER = st.decimals(
    min_value=-10_000, max_value=10_000, places=3, allow_nan=False, allow_infinity=False
).map(float)
POSITIVE_SETS = [[1.0], [0.5, 0.5], [0.25, 0.75], [0.3333333, 0.3333333, 0.3333333]]


def _choice(taken: set[str], text: str, feedback: str, **extra: Any) -> dict[str, Any]:
    choice = {"id": choice_key(text, taken), "text": text, **extra}
    return {**choice, "feedback": feedback} if feedback else choice


@st.composite
def single(draw: Any) -> dict[str, Any]:
    texts = draw(st.lists(ONE_LINE, min_size=2, max_size=5))
    right = draw(st.integers(0, len(texts) - 1))
    choices: list[dict[str, Any]] = []
    taken: set[str] = set()
    for i, text in enumerate(texts):
        extra: dict[str, Any] = {"correct": True} if i == right else {}
        if i != right and (fraction := draw(st.sampled_from([None, 0.5, -0.5, -1.0]))):
            extra["fraction"] = fraction
        choices.append(_choice(taken, text, draw(FEEDBACK), **extra))
    return {"type": "single", "choices": choices}


@st.composite
def multiple(draw: Any) -> dict[str, Any]:
    weights = draw(st.sampled_from(POSITIVE_SETS)) + draw(
        st.lists(st.sampled_from([0.0, -0.5, -1.0]), min_size=1, max_size=3)
    )
    texts = draw(st.lists(ONE_LINE, min_size=len(weights), max_size=len(weights)))
    taken: set[str] = set()
    choices = [
        _choice(taken, t, draw(FEEDBACK), fraction=w) for t, w in zip(texts, weights, strict=True)
    ]
    return {"type": "multiple", "choices": choices}


@st.composite
def true_false(draw: Any) -> dict[str, Any]:
    question: dict[str, Any] = {"type": "true_false", "answer": draw(st.booleans())}
    for key in ("feedback_true", "feedback_false"):
        if feedback := draw(FEEDBACK):
            question[key] = feedback
    return question


def _graded(draw: Any, answer: dict[str, Any], full: bool) -> dict[str, Any]:
    if not full:
        answer["fraction"] = draw(st.sampled_from([0.5, 0.25, 0.0]))
    if feedback := draw(FEEDBACK):
        answer["feedback"] = feedback
    return answer


@st.composite
def short(draw: Any) -> dict[str, Any]:
    texts = draw(st.lists(TEXT.filter(lambda s: "*" not in s), min_size=1, max_size=3))
    answers = [_graded(draw, {"text": t}, i == 0) for i, t in enumerate(texts)]
    question = {"type": "short", "answers": answers}
    if feedback := draw(FEEDBACK):
        question["feedback_wrong"] = feedback
    return question


@st.composite
def numeric(draw: Any) -> dict[str, Any]:
    answers = []
    for i in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            low, high = sorted([draw(NUMBER), draw(NUMBER)])
            answer: dict[str, Any] = {"min": low, "max": high}
        else:
            answer = {"value": draw(NUMBER)}
            if tolerance := abs(draw(NUMBER)):
                answer["tolerance"] = tolerance
        answers.append(_graded(draw, answer, i == 0))
    question = {"type": "numeric", "answers": answers}
    if feedback := draw(FEEDBACK):
        question["feedback_wrong"] = feedback
    return question


@st.composite
def matching(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(2, 4))
    prompts = draw(st.lists(TEXT.filter(lambda s: "->" not in s), min_size=count, max_size=count))
    answers = draw(st.lists(TEXT, min_size=count + 1, max_size=count + 2, unique=True))
    pairs = [
        {"id": f"p{i + 1}", "prompt": p, "answer": a}
        for i, (p, a) in enumerate(zip(prompts, answers, strict=False))
    ]
    return {"type": "matching", "pairs": pairs, "distractors": answers[count:]}


@st.composite
def questions(draw: Any) -> list[dict[str, Any]]:
    ids = draw(st.lists(SLUG, min_size=1, max_size=6, unique=True))
    result = []
    for key in ids:
        kind = draw(
            st.sampled_from(
                ["single", "multiple", "tf", "short", "numeric", "matching", "description"]
            )
        )
        if kind == "description":
            body: dict[str, Any] = {"type": "description"}
        else:
            body = draw(
                {
                    "single": single(),
                    "multiple": multiple(),
                    "tf": true_false(),
                    "short": short(),
                    "numeric": numeric(),
                    "matching": matching(),
                }[kind]
            )
            if explanation := draw(FEEDBACK):
                body["explanation"] = explanation
            if draw(st.booleans()):
                body["kind"] = draw(st.sampled_from(["vignette", "myth", "concept", "recall"]))
                body["references"] = draw(st.lists(SLUG, max_size=2))
                body["points"] = draw(st.integers(1, 5))
        question = {"id": key, "prompt": draw(TEXT), **body}
        if draw(st.booleans()):
            question["markup"] = "html"
        if (name := draw(st.one_of(st.just(""), ONE_LINE))) and name != key:
            question["name"] = name
        if tags := draw(st.lists(TAG, max_size=3, unique=True)):
            question["tags"] = tags
        result.append(question)
    return result


@given(questions())
def test_generated_questions_survive_being_written_as_gift(data: list[dict[str, Any]]) -> None:
    quiz = QuizFile.model_validate({"title": "Generated", "questions": data})
    text = to_gift(quiz, "generated")
    back = load_text(text, "g.quiz.gift", "gift", "g", default_title="Generated").quiz
    assert quiz_data(back) == quiz_data(quiz)


GIFT_ALPHABET = st.sampled_from([*"{}=~#:%->\\ \n\tTF.019ab[]/$_*", "::", "####", "->"])


@given(st.text(max_size=200) | st.lists(GIFT_ALPHABET, max_size=80).map("".join))
def test_the_parser_never_crashes_and_every_error_has_a_line(text: str) -> None:
    found = located_problems(text, "gift")
    assert all(isinstance(p.line, int) and p.line >= 1 for p in found)


def located_problems(text: str, kind: str) -> list:
    """The problems a file has (none if it reads), so fuzzing can check each has a line."""
    try:
        load_text(text, f"fuzz.quiz.{kind}", kind, "fuzz")
    except ContentError as error:
        return error.problems
    return []
