"""Forms for licences and CE taken elsewhere."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DecimalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..bounds import BoundedDateField, PlainDecimalField

TOPICS = (
    ("general", "General"),
    ("ethics", "Ethics"),
    ("laws-and-rules", "Laws and rules"),
    ("medical-errors", "Prevention of medical errors"),
    ("human-trafficking", "Human trafficking"),
    ("domestic-violence", "Domestic violence and sexual assault awareness"),
    ("health-equity", "Health equity"),
    ("self-care", "Self-care"),
    ("hands-on", "Hands-on technique"),
    ("cpr-first-aid", "CPR and first aid"),
    ("safety", "Safety"),
)
DELIVERIES = (
    ("live", "Live, in person"),
    ("live-online", "Live online"),
    ("home-study", "Home study"),
)
OTHER_BODY = "Other or none"


def choices(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


LICENCE_NUMBER = [
    DataRequired(),
    Length(max=40),
    Regexp(r"^[A-Za-z0-9][A-Za-z0-9 ./-]*$", message="Use letters, digits, spaces, . / -"),
]


class LicenceForm(FlaskForm):
    pack = SelectField("Licence or certification", validators=[DataRequired()])
    number = StringField("Licence number", validators=LICENCE_NUMBER)
    renewal_date = BoundedDateField(
        "Next renewal (expiry) date",
        validators=[Optional()],
        description="Leave empty for licences that renew on a fixed date (such as Florida's).",
    )


class ExternalCreditForm(FlaskForm):
    title = StringField("Course title", validators=[DataRequired(), Length(max=200)])
    provider = StringField("Provider", validators=[DataRequired(), Length(max=200)])
    completed_on = BoundedDateField("Completed on", validators=[DataRequired()])
    hours = PlainDecimalField(
        "CE hours",
        places=2,
        validators=[DataRequired(), NumberRange(min=Decimal("0.25"), max=Decimal(100))],
    )
    topic = SelectField("Category", choices=choices(TOPICS), validators=[DataRequired()])
    delivery = SelectField("How it was taught", choices=choices(DELIVERIES))
    approved_by = SelectMultipleField(
        "Approved by",
        description="Only hours approved by a licence's own board count toward it.",
        validators=[DataRequired(message="Choose at least one, or “Other or none”.")],
    )
    file = FileField(
        "Certificate (PDF, PNG or JPEG, at most 5 MB)",
        validators=[FileRequired(message="Attach the certificate you were given.")],
    )
    note = TextAreaField("Note (optional)", validators=[Length(max=1000)])

    def validate_hours(self, field: DecimalField) -> None:
        if field.data is not None and (field.data * 4) % 1 != 0:
            raise ValidationError("Give hours in quarters: 0.25, 0.5, 0.75, 1…")


class RuleEditForm(FlaskForm):
    definition = TextAreaField(
        "The version, as in the rule file (YAML)", validators=[DataRequired()]
    )
    note = StringField("Why (kept with the version)", validators=[DataRequired(), Length(max=300)])
