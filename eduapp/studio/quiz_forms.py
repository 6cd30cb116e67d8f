"""The quiz settings form. Its values are checked by the quiz files' own settings model
(``QuizSettings``), so the browser and the files follow one set of rules; the form only says
what each field means and carries the errors back beside it."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from pydantic import ValidationError
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from ..content.quizschema import QuizSettings
from ..models import Quiz

GRADING = {
    "highest": "The highest attempt",
    "average": "The average of all attempts",
    "first": "The first attempt",
    "last": "The last attempt",
}
REVIEW = {
    "immediately": "Right after each attempt",
    "after_pass": "Once the learner has passed",
    "after_last_attempt": "After the learner's last attempt (or once passed)",
    "never": "Never (the learner sees only the score)",
}


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


NUMBERS = ("passing_score", "max_attempts", "draw", "wait_hours", "time_limit")


class QuizSettingsForm(FlaskForm):
    title = StringField("Title", description="What learners see above the quiz.")
    passing_score = StringField("Passing score (%)", description="From 1 to 100.")
    max_attempts = StringField(
        "Attempts allowed", description="Leave empty for unlimited attempts."
    )
    grading_method = SelectField(
        "The quiz's grade is", choices=[SelectChoice(v, label) for v, label in GRADING.items()]
    )
    review = SelectField(
        "Learners see the right answers and feedback",
        choices=[SelectChoice(v, label) for v, label in REVIEW.items()],
    )
    draw = StringField(
        "Questions drawn for each attempt",
        description="Leave empty to ask every question; a number draws that many at random.",
    )
    shuffle_questions = BooleanField("Shuffle the order of the questions")
    shuffle_choices = BooleanField("Shuffle the order of each question's choices")
    wait_hours = StringField(
        "Wait between attempts (hours)", description="0 lets a learner try again at once."
    )
    time_limit = StringField("Time limit (minutes)", description="Leave empty for no limit.")

    def fill(self, quiz: Quiz) -> None:
        """Show the quiz's current settings."""
        self.title.data = quiz.title
        self.passing_score.data = str(quiz.passing_score)
        self.max_attempts.data = "" if quiz.max_attempts is None else str(quiz.max_attempts)
        self.grading_method.data = quiz.grading_method
        self.review.data = quiz.review
        self.draw.data = "" if quiz.draw is None else str(quiz.draw)
        self.shuffle_questions.data = quiz.shuffle_questions
        self.shuffle_choices.data = quiz.shuffle_choices
        self.wait_hours.data = format(quiz.wait_minutes / 60, "g")
        self.time_limit.data = (
            "" if quiz.time_limit_minutes is None else str(quiz.time_limit_minutes)
        )

    def settings(self) -> QuizSettings | None:
        """The settings as the quiz files' model reads them; None with errors on the fields."""
        raw: dict[str, Any] = {
            "title": self.title.data or "",
            "grading_method": self.grading_method.data,
            "review": self.review.data,
            "shuffle_questions": bool(self.shuffle_questions.data),
            "shuffle_choices": bool(self.shuffle_choices.data),
        }
        for name in NUMBERS:
            text = (getattr(self, name).data or "").strip()
            if text:
                raw[name] = text
        if not raw["title"].strip():
            self.title.errors = ["Give the quiz a title."]
            return None
        try:
            return QuizSettings.model_validate(raw)
        except ValidationError as error:
            for problem in error.errors():
                name = str(problem["loc"][0]) if problem["loc"] else "title"
                target = getattr(self, name, self.title)
                target.errors = [*target.errors, _message(problem)]
            return None


def _message(problem: Any) -> str:
    kind = problem["type"]
    if kind in ("int_parsing", "int_from_float"):
        return "Write a whole number."
    if kind == "float_parsing":
        return "Write a number."
    if kind.startswith(("greater_than", "less_than")):
        limit = problem["ctx"].get("ge", problem["ctx"].get("le", problem["ctx"].get("gt")))
        if kind.startswith("greater"):
            return f"Write a number of at least {limit}."
        return f"Write a number of at most {limit}."
    return str(problem["msg"]).removeprefix("Value error, ") + "."
