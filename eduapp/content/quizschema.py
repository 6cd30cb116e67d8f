"""Quiz files and their questions, as pydantic models: the rules every quiz format (YAML,
GIFT, Aiken) is checked against, and the shape the JSON Schema gives editors."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from .fields import FileModel, Slug, Text

Fraction = Annotated[float, Field(ge=-1, le=1)]
FULL_MARKS_TOLERANCE = 1e-6
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", max_length=40)]
# A tag as Moodle allows one: no angle brackets, no control characters.
Tag = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^<>\x00-\x1f\x7f]+$"
    ),
]


class ChoiceFile(FileModel):
    id: Key
    text: Text
    correct: bool = False
    # Share of the question's marks (-1..1); overrides ``correct`` for partial or negative credit.
    fraction: Fraction | None = None
    feedback: str = ""

    @property
    def is_correct(self) -> bool:
        return self.fraction > 0 if self.fraction is not None else self.correct


class TextAnswer(FileModel):
    """An accepted short answer, compared after trimming, case-folding and collapsing spaces.

    ``fraction: 0`` names a known wrong answer, to give it its own feedback.
    """

    text: Text
    fraction: Annotated[float, Field(ge=0, le=1)] = 1
    feedback: str = ""


class NumericAnswer(FileModel):
    """``value`` with an optional ``tolerance``, or a ``min``..``max`` range."""

    value: FiniteFloat | None = None
    tolerance: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0
    min: FiniteFloat | None = None
    max: FiniteFloat | None = None
    fraction: Annotated[float, Field(ge=0, le=1)] = 1
    feedback: str = ""

    @model_validator(mode="after")
    def _value_or_range(self) -> NumericAnswer:
        if (self.value is None) == (self.min is None or self.max is None):
            raise ValueError("a numeric answer needs either value (with tolerance) or min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be larger than max")
        return self


class MatchPair(FileModel):
    id: Key
    prompt: Text
    answer: Text


class OrderItem(FileModel):
    id: Key
    text: Text


# With two items the only shuffled order that is not the answer is its reverse, so the page
# would give the key away; three is the fewest that leaves the learner something to work out.
MIN_ORDERING_ITEMS = 3


QuestionType = Literal[
    "single", "multiple", "true_false", "short", "numeric", "matching", "ordering", "description"
]
# Which answer fields each type takes; every other answer field must be absent.
TYPE_FIELDS = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true_false": {"answer", "feedback_true", "feedback_false"},
    "short": {"answers", "feedback_wrong"},
    "numeric": {"answers", "feedback_wrong"},
    "matching": {"pairs", "distractors"},
    "ordering": {"items"},
    "description": set(),
}
ANSWER_FIELDS = set().union(*TYPE_FIELDS.values())


class QuestionFile(FileModel):
    id: Slug
    # The name the question had where it came from (a GIFT ``::name::``), when its id is not
    # that name as written; Moodle keeps names of up to 255 characters.
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    type: QuestionType
    kind: Literal["vignette", "myth", "concept", "recall"] | None = None
    # How every text of the question is written; HTML is sanitised like rendered Markdown.
    markup: Literal["markdown", "html"] = "markdown"
    prompt: Text
    choices: list[ChoiceFile] | None = None
    answer: bool | None = Field(default=None, description="true_false only: the right answer")
    feedback_true: str = ""
    feedback_false: str = ""
    feedback_wrong: str = Field(
        default="", description="short and numeric: shown when no listed answer matches"
    )
    answers: list[dict[str, Any]] | None = Field(
        default=None, description="short: TextAnswer list; numeric: NumericAnswer list"
    )
    pairs: list[MatchPair] | None = None
    distractors: list[Text] | None = None
    # minItems is stated in the JSON Schema so that editors flag a short list as it is typed;
    # the check itself is _check_ordering's, which can say why.
    items: (
        Annotated[list[OrderItem], Field(json_schema_extra={"minItems": MIN_ORDERING_ITEMS})] | None
    ) = None
    explanation: str = ""
    references: list[Slug] = Field(default_factory=list)
    # Labels for finding questions in a bank (Moodle's ``[tag:]``); learners do not see them.
    tags: list[Tag] = Field(default_factory=list)
    points: Annotated[int, Field(ge=1, le=100)] = 1

    @model_validator(mode="after")
    def _answer_key_fits_type(self) -> QuestionFile:
        allowed = TYPE_FIELDS[self.type]
        extra = sorted(f for f in ANSWER_FIELDS - allowed if getattr(self, f) not in (None, ""))
        if extra:
            raise ValueError(f"a {self.type} question does not take {', '.join(extra)}")
        check = getattr(self, f"_check_{self.type}", None)
        if check is not None:
            check()
        return self

    def _check_true_false(self) -> None:
        if self.answer is None:
            raise ValueError("a true_false question needs 'answer: true' or 'answer: false'")

    def _check_choices(self) -> list[ChoiceFile]:
        choices = self.choices or []
        if len(choices) < 2:
            raise ValueError(f"a {self.type} choice question needs at least two choices")
        ids = [c.id for c in choices]
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids must be unique within a question")
        return choices

    def _check_single(self) -> None:
        choices = self._check_choices()
        correct = sum(c.is_correct and (c.fraction in (None, 1)) for c in choices)
        if correct != 1:
            raise ValueError(
                f"a single choice question needs exactly one correct choice, not {correct}"
            )

    def _check_multiple(self) -> None:
        choices = self._check_choices()
        if not any(c.is_correct for c in choices):
            raise ValueError("a multiple choice question needs at least one correct choice")
        weighted = [c.fraction for c in choices if c.fraction is not None]
        if weighted:
            if len(weighted) != len(choices):
                raise ValueError("give every choice a fraction, or none (then correct: decides)")
            total = sum(f for f in weighted if f > 0)
            # 33.33333% three times is full marks (as in Moodle); 0.33 three times is not.
            if abs(total - 1) > FULL_MARKS_TOLERANCE:
                raise ValueError(f"the positive fractions must add up to 1, not {total:g}")

    def _check_short(self) -> None:
        answers = self.text_answers()
        if not answers:
            raise ValueError("a short answer question needs at least one accepted answer")
        if max(a.fraction for a in answers) != 1:
            raise ValueError("one accepted answer must be worth full marks (fraction: 1)")

    def _check_numeric(self) -> None:
        answers = self.numeric_answers()
        if not answers:
            raise ValueError("a numeric question needs at least one answer")
        if max(a.fraction for a in answers) != 1:
            raise ValueError("one numeric answer must be worth full marks (fraction: 1)")

    def _check_matching(self) -> None:
        pairs = self.pairs or []
        if len(pairs) < 2:
            raise ValueError("a matching question needs at least two pairs")
        if len({p.id for p in pairs}) != len(pairs):
            raise ValueError("pair ids must be unique within a question")
        answers = [p.answer for p in pairs] + list(self.distractors or [])
        if len(set(answers)) != len(answers):
            raise ValueError("every answer and distractor of a matching question must differ")

    def _check_ordering(self) -> None:
        items = self.items or []
        if len(items) < MIN_ORDERING_ITEMS:
            raise ValueError(
                f"an ordering question needs at least {MIN_ORDERING_ITEMS} items, not "
                f"{len(items)} (shuffled, two items can only be shown reversed, which gives the "
                "answer away)"
            )
        if len({i.id for i in items}) != len(items):
            raise ValueError("item ids must be unique within a question")

    def text_answers(self) -> list[TextAnswer]:
        return _answers(TextAnswer, self.answers)

    def numeric_answers(self) -> list[NumericAnswer]:
        return _answers(NumericAnswer, self.answers)


def _answers(model: type[FileModel], answers: list[dict[str, Any]] | None) -> list[Any]:
    """Validate the answers of a short or numeric question, naming the answer at fault."""
    result = []
    for index, answer in enumerate(answers or []):
        try:
            result.append(model.model_validate(answer))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            if first["type"] == "extra_forbidden":
                message = "unknown key (check its spelling)"
            raise ValueError(f"answers.{index}{'.' + where if where else ''}: {message}") from None
    return result


class QuizSettings(FileModel):
    """How a quiz is taken; in a YAML quiz file, or in course.yml for a GIFT or Aiken file."""

    title: Text | None = None
    passing_score: Annotated[int, Field(ge=1, le=100)] | None = None
    max_attempts: Annotated[int, Field(ge=1)] | None = None
    # How the quiz's grade is taken from several attempts.
    grading_method: Literal["highest", "average", "first", "last"] = "highest"
    # When the result page shows the right answers, feedback and explanations.
    review: Literal["immediately", "after_pass", "after_last_attempt", "never"] = "immediately"
    # Questions drawn at random from the pool for each attempt (None: all of them).
    draw: Annotated[int, Field(ge=1)] | None = None
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    # Hours a learner must wait after an attempt before starting the next one.
    wait_hours: Annotated[float, Field(ge=0, le=24 * 365)] = 0
    # Minutes from start to the server's deadline (None: untimed).
    time_limit: Annotated[int, Field(ge=1, le=24 * 60)] | None = None


class QuizFile(QuizSettings):
    """``NN-slug.quiz.yml`` (a module's quiz) or ``final.quiz.yml``."""

    title: Text
    questions: Annotated[list[QuestionFile], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_question_ids(self) -> QuizFile:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question id {question.id!r} is used twice")
            seen.add(question.id)
        asked = sum(q.type != "description" for q in self.questions)
        if self.draw is not None and self.draw > asked:
            raise ValueError(f"draw: {self.draw} is more than the {asked} questions in the pool")
        return self
