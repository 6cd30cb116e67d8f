"""The practice exam's forms: each a POST with a CSRF token."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice

from .blueprint import SIZES


class StartForm(FlaskForm):
    size = RadioField(
        "How many questions",
        choices=[SelectChoice(str(n), f"{n} questions") for n in SIZES],
        default=str(SIZES[0]),
    )
    timed = BooleanField("Timed, as an exam is")


class SubmitForm(FlaskForm):
    """Submit answers: the answer fields are the exam's own (``p1``...), read raw."""
