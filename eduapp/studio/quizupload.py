"""A question bank in GIFT or Aiken (what Moodle exports) read into a quiz of the author's draft.

The text is read by the same reader as a ``.quiz.gift`` or ``.quiz.aiken`` course file
(``content.quizfiles.load_text``: Moodle's rules, every problem with its line), checked against
the draft's references as an import checks a quiz file, and built into questions by the same
``build_question`` (so the sanitiser renders every text). Nothing is written unless the whole
bank is accepted. The questions are added to the quiz (or replace its questions); a module
with no quiz gets one. Learners see them once the draft is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import citations, figures
from ..content.questions import build_question
from ..content.quizfiles import load_text
from ..content.quizschema import QuizSettings
from ..content.versions import question_values
from ..content.yamlfile import ContentError
from ..extensions import db
from ..models import FINAL_KEY, Choice, CourseVersion, Module, Question, Quiz
from . import drafts

MAX_BYTES = 1024 * 1024
FORMATS = {"gift": "GIFT", "aiken": "Aiken"}
MODES = {"add": "Add them to the quiz's questions", "replace": "Replace the quiz's questions"}


class BankRefused(Exception):
    """Why the bank was not read into the quiz, with each problem's line; nothing written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Imported:
    quiz: Quiz
    added: int
    warnings: list[str] = field(default_factory=list)


def target_quiz(draft: CourseVersion, key: str) -> tuple[Module | None, Quiz | None]:
    """The draft's module (None for the final) and its quiz, if it has one yet."""
    module = None if key == FINAL_KEY else drafts.module_of(draft, key)
    if key != FINAL_KEY and module is None:
        raise LookupError(key)
    query = db.select(Quiz).filter_by(version_id=draft.id, retired=False)
    query = (
        query.filter_by(key=FINAL_KEY) if module is None else query.filter_by(module_id=module.id)
    )
    return module, db.session.execute(query).scalar_one_or_none()


def import_bank(
    draft: CourseVersion, key: str, raw: bytes, filename: str, kind: str, mode: str
) -> Imported:
    """Read ``raw`` (a GIFT or Aiken file) into the draft's quiz ``key`` (a module's slug, or
    ``final``), adding to or replacing its questions."""
    if not draft.is_draft or kind not in FORMATS or mode not in MODES:
        raise BankRefused("Choose the file's format and what to do with its questions.")
    if len(raw) > MAX_BYTES:
        raise BankRefused("The file is over 1 MB; split the bank into smaller files.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BankRefused(
            "The file is not UTF-8 text. In Moodle, export the bank again; or save it as UTF-8."
        ) from None
    module, quiz = target_quiz(draft, key)
    name = filename or f"bank.{kind}"
    try:
        loaded = load_text(text, name, kind, key)
    except ContentError as error:
        raise BankRefused(
            f"{name} could not be read; nothing was added.", [str(p) for p in error.problems]
        ) from None
    references = {r["id"] for r in draft.references or []}
    problems = [
        str(p)
        for p in citations.check(loaded.text, name, 1, references)
        + figures.refuse_images(loaded.text, name, 1)
    ]
    problems += [
        f"{name}:{loaded.lines[index]}: unknown reference id {ref!r}"
        for index, question in enumerate(loaded.quiz.questions)
        for ref in question.references
        if ref not in references
    ]
    if problems:
        raise BankRefused(
            f"{name} has problems an import would refuse; nothing was added (a source it cites "
            "must first be in the course settings' References).",
            problems,
        )
    if quiz is None:
        quiz = new_quiz(draft, module, key)
    existing = list(
        db.session.execute(
            db.select(Question).filter_by(quiz_id=quiz.id).order_by(Question.position)
        ).scalars()
    )
    if mode == "replace":
        ids = [q.id for q in existing]
        db.session.execute(db.delete(Choice).where(Choice.question_id.in_(ids)))
        db.session.execute(db.delete(Question).where(Question.id.in_(ids)))
        existing = []
    taken = {q.key for q in existing}
    start = (existing[-1].position + 1) if existing else 0
    for offset, question in enumerate(loaded.quiz.questions):
        built = build_question(question, start + offset, loaded.lines[offset])
        values = question_values(built)
        choices = [Choice(**c) for c in values.pop("choices")]
        qkey, n = built.key, 2
        while qkey in taken:
            qkey, n = f"{built.key}-{n}", n + 1
        taken.add(qkey)
        if qkey != built.key:
            values["source"] = {**values["source"], "id": qkey}
        db.session.add(Question(quiz_id=quiz.id, key=qkey, choices=choices, **values))
    db.session.flush()
    if module is not None:
        drafts.rehash(module)
    drafts.touch(draft)
    return Imported(quiz, len(loaded.quiz.questions), [str(w) for w in loaded.warnings])


def new_quiz(draft: CourseVersion, module: Module | None, key: str) -> Quiz:
    """A quiz for a module that has none yet (or the final), with the format's defaults."""
    defaults = QuizSettings()
    position = module.position if module is not None else 0
    quiz = Quiz(
        course_id=draft.course_id,
        version_id=draft.id,
        key=key,
        module_id=module.id if module is not None else None,
        name=FINAL_KEY if module is None else f"{position:02d}-{key}",
        title="Final assessment" if module is None else f"Check your understanding: {module.title}",
        passing_score=draft.passing_score,
        max_attempts=None,
        grading_method=defaults.grading_method,
        review=defaults.review,
        draw=None,
        shuffle_questions=defaults.shuffle_questions,
        shuffle_choices=defaults.shuffle_choices,
        wait_minutes=0,
        time_limit_minutes=None,
    )
    db.session.add(quiz)
    db.session.flush()
    return quiz
