"""The learner's forms: each is a POST with a CSRF token."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field
from wtforms.validators import ValidationError


class ActionForm(FlaskForm):
    """Start a course, mark a module as read: no fields beyond the CSRF token."""


def _checkbox_or_nothing(form: FlaskForm, field: Field) -> None:
    """A checkbox sends "y" when ticked and nothing when not; anything else was not sent by
    the page's form, so it decides nothing (the view answers 400)."""
    if field.raw_data not in ([], ["y"]):
        raise ValidationError("Tick the box or leave it empty.")


class ShareForm(FlaskForm):
    """The learner's choice to share their results in this course with its instructors."""

    share = BooleanField(
        "Share my results with this course's instructors", validators=[_checkbox_or_nothing]
    )
