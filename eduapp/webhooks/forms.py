"""The manager's form for a new webhook endpoint (CSRF like every form)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..api.forms import ScopesField
from ..ce.forms import choices
from .services import EVENTS


class EndpointForm(FlaskForm):
    url = StringField(
        "Address (URL)",
        description="Where we POST each event: https:// on port 443 or 8443, such as "
        "https://hr.example.com/eduapp-events.",
        validators=[DataRequired(message="Give the address to send events to."), Length(max=500)],
    )
    events = ScopesField(
        "Events",
        choices=choices(list(EVENTS.items())),
        validators=[DataRequired(message="Choose at least one event.")],
    )
