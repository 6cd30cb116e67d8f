"""The review forms: a rating, adding to the deck, the learner's review settings."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from .scheduler import RATINGS, RETENTION_MAX, RETENTION_MIN


class RateForm(FlaskForm):
    # The four buttons' values; validated here, not as a SelectField (no options are drawn).
    rating = StringField(validators=[DataRequired(), AnyOf(list(RATINGS))])
    done = IntegerField(validators=[Optional(), NumberRange(min=0, max=1000)])


class AddQuestionForm(FlaskForm):
    attempt_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    question = HiddenField(validators=[DataRequired(), Length(max=80)])


class AddKeypointForm(FlaskForm):
    keypoint = HiddenField(validators=[DataRequired(), Length(max=20)])


class ReviewSettingsForm(FlaskForm):
    retention = DecimalField(
        "Desired retention",
        places=2,
        validators=[
            InputRequired(message="Give the desired retention, between 0.80 and 0.95."),
            NumberRange(
                # Decimals: the float 0.8 is a hair above Decimal("0.80"), which it would refuse.
                min=Decimal(str(RETENTION_MIN)),
                max=Decimal(str(RETENTION_MAX)),
                message="The desired retention must be between 0.80 and 0.95.",
            ),
        ],
    )
    weekly_mail = BooleanField("Email me once a week when cards are due")
