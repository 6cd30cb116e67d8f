"""The forms of clinic pages: creating a clinic, naming managers, inviting, assigning,
consenting, correcting."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length

from ..bounds import BoundedDateField
from ..ce.forms import LICENCE_NUMBER


class ClinicForm(FlaskForm):
    name = StringField("Clinic name", validators=[DataRequired(), Length(max=200)])
    manager_email = EmailField(
        "First manager's email (they need an account)",
        validators=[DataRequired(), Email(), Length(max=254)],
    )


class InviteForm(FlaskForm):
    emails = TextAreaField(
        "Email addresses",
        description="One per line, or separated by commas. A spreadsheet's column works.",
        validators=[Length(max=100_000)],
    )
    file = FileField("…or upload a .csv or .txt list")


class ManagerForm(FlaskForm):
    email = EmailField(
        "Email of the new manager (they need an eduapp account)",
        validators=[DataRequired(), Email(), Length(max=254)],
    )


SAVE_ANYWAY = "Save anyway: the date is in the past on purpose"


class AssignmentForm(FlaskForm):
    course = SelectField("Course", validators=[DataRequired()])
    due_on = BoundedDateField("Due by", validators=[DataRequired()])
    who = SelectMultipleField(
        "Who",
        description="All staff, or choose people (Ctrl or Cmd to pick several).",
        validators=[DataRequired(message="Choose all staff or at least one person.")],
    )
    save_anyway = BooleanField(SAVE_ANYWAY)


class AssignmentEditForm(FlaskForm):
    course = SelectField("Course", validators=[DataRequired()])
    due_on = BoundedDateField("Due by", validators=[DataRequired()])
    who = SelectField("Who", validators=[DataRequired()])
    save_anyway = BooleanField(SAVE_ANYWAY)


class AcceptForm(FlaskForm):
    consent = BooleanField(
        "I agree to share my licences, CE hours and certificates with this clinic until I leave.",
        validators=[DataRequired(message="Tick the box to agree, or close this page.")],
    )


class StaffLicenceForm(FlaskForm):
    # The same rules as the learner's own licence form: a manager's edit is no looser.
    number = StringField("Licence number", validators=LICENCE_NUMBER)
    renewal_date = BoundedDateField("Next renewal (expiry) date", validators=[DataRequired()])
    reason = StringField(
        "What changed, for the staff member", validators=[DataRequired(), Length(max=300)]
    )
