"""Writing quiz-file questions as GIFT that Moodle and our reader both take."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from ...quiz.grading import default_fractions
from ..schema import QuestionFile
from .ids import question_id
from .markers import MARKER
from .meta import DECLARATION, META, escape_token
from .record import ESCAPED, MISSING_WORD


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


def _text(text: str, marker: str | None = None) -> str:
    """``text`` escaped, after ``[marker]`` when one is given, or when the text opens with
    what would be read as a marker (then ``[plain]``, which such texts are read as anyway:
    see ``_rich`` for the texts that take the question's markup)."""
    if marker is None and MARKER.match(text):
        marker = "plain"
    return (f"[{marker}]" if marker else "") + escape(text)


def _rich(text: str, markup: str) -> str:
    """A piece in the question's markup, which it inherits: marked only to protect its start."""
    return _text(text, markup if MARKER.match(text) else None)


def _feedback(text: str, markup: str) -> str:
    return f" #{_rich(text, markup)}" if text else ""


def _answer(marker: str, weight: str | None, text: str, written: str) -> str:
    # An answer whose text starts with '%' needs an explicit weight, or it would be read as one.
    if weight is None and written.startswith("%"):
        weight = "100" if marker == "=" else "0"
    return f"{marker}{'%' + weight + '%' if weight is not None else ''}{written}"


def _meta_lines(question: QuestionFile) -> str:
    """Kind, references and points in a ``// eduapp:`` comment, which Moodle skips; the id
    (when the name does not give it) and tags as Moodle's own ``[id:]`` and ``[tag:]``."""
    items = [f"kind: {question.kind}"] if question.kind else []
    if question.references:
        items.append(f"references: {', '.join(question.references)}")
    if question.points != 1:
        items.append(f"points: {question.points}")
    line = f"{META} {'; '.join(items)}\n" if items else ""
    tokens = [f"[tag:{escape_token(tag)}]" for tag in question.tags]
    if question_id(question.name or question.id) != question.id:
        tokens.insert(0, f"[id:{escape_token(question.id)}]")
    return line + (f"// {' '.join(tokens)}\n" if tokens else "")


def write_question(question: QuestionFile) -> str:
    """One question as GIFT, or GiftExportError for what GIFT cannot say.

    The question text always opens with its marker (``[markdown]`` or ``[html]``), which
    every other piece inherits, in Moodle as in our reader.
    """
    markup = question.markup
    head = _meta_lines(question) + f"::{escape(question.name or question.id)}::[{markup}]"
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
        lines.append(f"####{_rich(question.explanation, markup)}")
    block = "{\n" + "".join(f"\t{line}\n" for line in lines) + "}"
    before, sep, after = question.prompt.partition(MISSING_WORD)
    if sep and MISSING_WORD not in after and after.strip():
        return f"{head}{escape(before)}{block}{escape(after)}"
    return f"{head}{escape(question.prompt)} {block}"


def _block(question: QuestionFile) -> list[str]:
    kind, markup = question.type, question.markup
    if kind == "true_false":
        right, wrong = question.feedback_true, question.feedback_false
        if not question.answer:
            right, wrong = wrong, right
        text = "TRUE" if question.answer else "FALSE"
        if right:
            return [f"{text}#{_rich(wrong, markup)}#{_rich(right, markup)}"]
        return [f"{text}#{_rich(wrong, markup)}" if wrong else text]
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
            _answer("=", None if a.fraction == 1 else _percent(a.fraction), a.text, _text(a.text))
            + _feedback(a.feedback, markup)
            for a in question.text_answers()
        ]
        if question.feedback_wrong:
            lines.append(f"=%0%*{_feedback(question.feedback_wrong, markup)}")
        return lines
    if kind == "numeric":
        return _write_numeric(question)
    return _write_matching(question)


def _write_choices(question: QuestionFile) -> list[str]:
    choices = question.choices or []
    markup = question.markup
    defaults = default_fractions(question.type, [c.is_correct for c in choices])
    lines = []
    for choice, default in zip(choices, defaults, strict=True):
        written = _rich(choice.text, markup)
        if question.type == "single" and choice.is_correct and choice.fraction in (None, 1):
            line = _answer("=", None, choice.text, written)
        elif question.type == "single":
            weight = _percent(choice.fraction) if choice.fraction else None
            line = _answer("~", weight, choice.text, written)
        else:
            fraction = choice.fraction if choice.fraction is not None else default
            line = _answer("~", _percent(fraction), choice.text, written)
        lines.append(line + _feedback(choice.feedback, markup))
    return lines


def _write_numeric(question: QuestionFile) -> list[str]:
    answers = question.numeric_answers()
    markup = question.markup
    values = [
        f"{_num(a.min)}..{_num(a.max)}"
        if a.min is not None and a.max is not None
        else _num(a.value or 0) + (f":{_num(a.tolerance)}" if a.tolerance else "")
        for a in answers
    ]
    if len(answers) == 1 and answers[0].fraction == 1 and not question.feedback_wrong:
        return [f"#{values[0]}{_feedback(answers[0].feedback, markup)}"]
    lines = [
        f"={'' if a.fraction == 1 else '%' + _percent(a.fraction) + '%'}{v}"
        + _feedback(a.feedback, markup)
        for a, v in zip(answers, values, strict=True)
    ]
    if question.feedback_wrong:
        lines.append(f"~{_feedback(question.feedback_wrong, markup).lstrip()}")
    return ["#", *lines]


def _write_matching(question: QuestionFile) -> list[str]:
    """Matching items are plain text: in an HTML question the prompts say so with
    ``[plain]`` (they would inherit ``[html]``); answers are plain text unless marked."""
    lines = []
    prompt_marker = "plain" if question.markup == "html" else None
    for pair in question.pairs or []:
        if "->" in pair.prompt:
            raise GiftExportError(
                f"question {question.id!r}: a matching prompt cannot contain '->' in GIFT"
            )
        lines.append(f"={_text(pair.prompt, prompt_marker)} -> {_text(pair.answer)}")
    lines += [f"= -> {_text(d)}" for d in question.distractors or []]
    return lines


def write(questions: list[QuestionFile], header: list[str] | None = None) -> str:
    """A whole quiz as GIFT, saying it is ours (``// eduapp: markdown``, see ``meta``);
    ``header`` lines are written next as ``//`` comments."""
    comments = "".join(f"// {line}".rstrip() + "\n" for line in header or [])
    body = "\n\n".join(write_question(q) for q in questions)
    return f"{DECLARATION}\n{comments}\n{body}\n"
