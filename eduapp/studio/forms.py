"""The studio's forms: each names the field a refusal belongs to, so errors sit beside it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
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


class PreviewForm(FlaskForm):
    """A module's Markdown body, previewed; the length bound is the view's (413, unrendered)."""

    body = TextAreaField(
        "Module text (Markdown)",
        description="Headings, lists, tables, evidence callouts, [@id] citations and figures "
        "render as learners will see them.",
        render_kw={"rows": 24, "spellcheck": "true"},
    )
