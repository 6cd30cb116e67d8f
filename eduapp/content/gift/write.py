"""Writing quiz-file questions as GIFT that Moodle and our reader both take."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from ...quiz.grading import default_fractions
from ..schema import QuestionFile
from .record import ESCAPED, META, MISSING_WORD


class GiftExportError(ValueError):
    """A question GIFT cannot express; the message names it."""


def escape(text: str) -> str:
    text = re.sub(r"\r\n?", "\n", text)
    out = "".join("\\" + c if c == "\\" or c in ESCAPED else c for c in text)
    return out.replace("\n", "\\n")


def _percent(fraction: float | Fraction) -> str:
    if isinstance(fraction, Fraction):
        value = (Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)).quantize(
            Decimal("0.00001")
        )
    else:
        value = Decimal(str(fraction)) * 100
    return format(value.normalize(), "f")


def _num(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _feedback(text: str) -> str:
    return f" #{escape(text)}" if text else ""


def _answer_text(marker: str, weight: str | None, text: str) -> str:
    # An answer whose text starts with '%' needs an explicit weight, or it would be read as one.
    if weight is None and text.startswith("%"):
        weight = "100" if marker == "=" else "0"
    return f"{marker}{'%' + weight + '%' if weight is not None else ''}{escape(text)}"


def _meta_line(question: QuestionFile) -> str:
    items = [f"kind: {question.kind}"] if question.kind else []
    if question.references:
        items.append(f"references: {', '.join(question.references)}")
    if question.points != 1:
        items.append(f"points: {question.points}")
    return f"{META} {'; '.join(items)}\n" if items else ""


def write_question(question: QuestionFile) -> str:
    """One question as GIFT, or GiftExportError for what GIFT cannot say.

    Kind, references and points go in a ``// eduapp:`` comment, which Moodle skips.
    """
    head = _meta_line(question) + f"::{question.id}::[{question.markup}]"
    kind = question.type
    if kind == "ordering":
        raise GiftExportError(
            f"question {question.id!r}: GIFT has no ordering questions; export this quiz as YAML"
        )
    if kind == "description":
        if question.explanation:
            raise GiftExportError(
                f"question {question.id!r}: a GIFT description cannot carry an explanation"
            )
        return head + escape(question.prompt)
    lines = _block(question)
    if question.explanation:
        lines.append(f"####{escape(question.explanation)}")
    block = "{\n" + "".join(f"\t{line}\n" for line in lines) + "}"
    before, sep, after = question.prompt.partition(MISSING_WORD)
    if sep and MISSING_WORD not in after and after.strip():
        return f"{head}{escape(before)}{block}{escape(after)}"
    return f"{head}{escape(question.prompt)} {block}"


def _block(question: QuestionFile) -> list[str]:
    kind = question.type
    if kind == "true_false":
        right, wrong = question.feedback_true, question.feedback_false
        if not question.answer:
            right, wrong = wrong, right
        text = "TRUE" if question.answer else "FALSE"
        if right:
            return [f"{text}#{escape(wrong)}#{escape(right)}"]
        return [f"{text}#{escape(wrong)}" if wrong else text]
    if kind in ("single", "multiple"):
        return _write_choices(question)
    if kind == "short":
        if any("->" in a.text for a in question.text_answers()):
            raise GiftExportError(
                f"question {question.id!r}: GIFT reads '->' in a short answer as matching"
            )
        if any("*" in a.text for a in question.text_answers()):
            raise GiftExportError(
                f"question {question.id!r}: GIFT reads '*' in a short answer as a wildcard"
            )
        lines = [
            _answer_text("=", None if a.fraction == 1 else _percent(a.fraction), a.text)
            + _feedback(a.feedback)
            for a in question.text_answers()
        ]
        if question.feedback_wrong:
            lines.append(f"=%0%*{_feedback(question.feedback_wrong)}")
        return lines
    if kind == "numeric":
        return _write_numeric(question)
    return _write_matching(question)


def _write_choices(question: QuestionFile) -> list[str]:

    choices = question.choices or []
    defaults = default_fractions(question.type, [c.is_correct for c in choices])
    lines = []
    for choice, default in zip(choices, defaults, strict=True):
        if question.type == "single" and choice.is_correct and choice.fraction in (None, 1):
            line = _answer_text("=", None, choice.text)
        elif question.type == "single":
            weight = _percent(choice.fraction) if choice.fraction else None
            line = _answer_text("~", weight, choice.text)
        else:
            fraction = choice.fraction if choice.fraction is not None else default
            line = _answer_text("~", _percent(fraction), choice.text)
        lines.append(line + _feedback(choice.feedback))
    return lines


def _write_numeric(question: QuestionFile) -> list[str]:
    answers = question.numeric_answers()
    values = [
        f"{_num(a.min)}..{_num(a.max)}"
        if a.min is not None and a.max is not None
        else _num(a.value or 0) + (f":{_num(a.tolerance)}" if a.tolerance else "")
        for a in answers
    ]
    if len(answers) == 1 and answers[0].fraction == 1 and not question.feedback_wrong:
        return [f"#{values[0]}{_feedback(answers[0].feedback)}"]
    lines = [
        f"={'' if a.fraction == 1 else '%' + _percent(a.fraction) + '%'}{v}{_feedback(a.feedback)}"
        for a, v in zip(answers, values, strict=True)
    ]
    if question.feedback_wrong:
        lines.append(f"~{_feedback(question.feedback_wrong).lstrip()}")
    return ["#", *lines]


def _write_matching(question: QuestionFile) -> list[str]:
    lines = []
    for pair in question.pairs or []:
        if "->" in pair.prompt:
            raise GiftExportError(
                f"question {question.id!r}: a matching prompt cannot contain '->' in GIFT"
            )
        lines.append(f"={escape(pair.prompt)} -> {escape(pair.answer)}")
    lines += [f"= -> {escape(d)}" for d in question.distractors or []]
    return lines


def write(questions: list[QuestionFile], header: list[str] | None = None) -> str:
    """A whole quiz as GIFT; ``header`` lines are written first as ``//`` comments."""
    comments = "".join(f"// {line}".rstrip() + "\n" for line in header or [])
    body = "\n\n".join(write_question(q) for q in questions)
    return f"{comments}\n{body}\n" if comments else f"{body}\n"
