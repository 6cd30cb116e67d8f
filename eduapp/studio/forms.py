"""The studio's forms: each names the field a refusal belongs to, so errors sit beside it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length


def _strip(value: str | None) -> str | None:
    """Addresses pasted from an email often carry spaces around them."""
    return value.strip() if isinstance(value, str) else value


class CoAuthorForm(FlaskForm):
    email = EmailField(
        "Email of the co-author (an instructor account)",
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )


class OwnerForm(FlaskForm):
    owner_email = EmailField(
        "Email of the new owner (an instructor account)",
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )
