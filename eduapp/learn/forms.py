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


SHARE_LABEL = "Share my results with this course's instructors"


class ShareForm(FlaskForm):
    """The learner's choice to share their results in this course with its instructors. The
    course page writes the checkbox itself (with :data:`SHARE_LABEL`): it shows on every
    visit, and building a form to draw one box cost more than the rest of the panel."""

    share = BooleanField(SHARE_LABEL, validators=[_checkbox_or_nothing])
