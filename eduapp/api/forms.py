"""The browser's form for a new API token (CSRF like every form)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..ce.forms import choices

LIFETIMES = choices(
    [("30", "30 days"), ("90", "90 days"), ("180", "180 days"), ("366", "One year")]
)


class ScopesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        description="What will use it, such as “HR system”: shown in your list of tokens.",
        validators=[DataRequired(message="Give the token a name."), Length(max=100)],
    )
    scopes = ScopesField(
        "What it may do",
        validators=[DataRequired(message="Choose at least one thing the token may do.")],
    )
    days = SelectField(
        "Expires after",
        choices=LIFETIMES,
        default="90",
        validators=[DataRequired(message="Choose when the token expires.")],
    )
