"""Quiz forms. The answers are dynamic (``q-<question key>`` fields) and are validated
against the attempt's snapshot by the grader; those forms only carry the CSRF token."""

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange


class StartForm(FlaskForm):
    pass


class AttemptForm(FlaskForm):
    pass


class AccommodationForm(FlaskForm):
    email = EmailField("Learner's email", validators=[DataRequired(), Length(max=254)])
    extra_attempts = IntegerField(
        "Extra attempts", default=0, validators=[NumberRange(min=0, max=10)]
    )
    extra_minutes = IntegerField(
        "Extra minutes per attempt", default=0, validators=[NumberRange(min=0, max=600)]
    )
    reason = StringField(
        "Reason (kept in the record)", validators=[DataRequired(), Length(max=500)]
    )
