"""The course evaluation asked before a CE certificate, and its aggregate for instructors."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..extensions import db
from ..models import Course, CourseEvaluation

# (key, statement): each rated from 1 (strongly disagree) to 5 (strongly agree).
QUESTIONS = (
    ("objectives", "The course met its stated learning objectives."),
    ("relevance", "What I learned is relevant to my practice."),
    ("evidence", "The course was honest about the strength of the evidence."),
    ("clarity", "The material was clear and well organised."),
    ("time", "The time it took matched the CE hours awarded."),
)
SCALE = (
    ("1", "Strongly disagree"),
    ("2", "Disagree"),
    ("3", "Neither"),
    ("4", "Agree"),
    ("5", "Strongly agree"),
)


class EvaluationForm(FlaskForm):
    comment = TextAreaField(
        "Anything else you want the course authors to know? (optional)",
        validators=[Length(max=2000)],
    )


for _key, _statement in QUESTIONS:
    setattr(
        EvaluationForm,
        _key,
        RadioField(
            _statement,
            choices=[SelectChoice(value, label) for value, label in SCALE],
            validators=[InputRequired(message="Choose one answer for this statement.")],
        ),
    )


def ratings_from(form: EvaluationForm) -> dict[str, int]:
    return {key: int(getattr(form, key).data) for key, _ in QUESTIONS}


# Below this many responses, instructors see only the count: with two or three learners, a
# rating or a comment is easily traced to the person who gave it.
MIN_RESPONSES = 5


@dataclass
class Summary:
    """Aggregate figures only: no answer is tied to a learner. Below ``MIN_RESPONSES`` only
    the count is filled in (``shown`` is False)."""

    count: int = 0
    shown: bool = False
    means: dict[str, Fraction] = field(default_factory=dict)
    counts: dict[str, dict[int, int]] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)


def summary(course: Course) -> Summary:
    """The course's evaluations in aggregate, or only how many there are while there are too
    few to keep each learner's answers anonymous (the ratings are then not even read)."""
    count = db.session.scalar(
        db.select(func.count(CourseEvaluation.id)).filter_by(course_id=course.id)
    )
    if count < MIN_RESPONSES:
        return Summary(count=count)
    rows = db.session.execute(
        db.select(CourseEvaluation.ratings, CourseEvaluation.comment)
        .filter_by(course_id=course.id)
        .order_by(CourseEvaluation.submitted_at)
    ).all()
    result = Summary(count=len(rows), shown=True)
    for key, _ in QUESTIONS:
        values = [r.ratings[key] for r in rows if key in r.ratings]
        result.counts[key] = {score: values.count(score) for score in range(1, 6)}
        if values:
            result.means[key] = Fraction(sum(values), len(values))
    # Sorted, not in submission order, so a comment cannot be matched to who finished when.
    result.comments = sorted(r.comment.strip() for r in rows if r.comment.strip())
    return result
