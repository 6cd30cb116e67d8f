"""Admins' account forms. Each carries an optional reason, kept in the audit line; their
fields have distinct ids because the account's page shows them all at once."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..models import Role

REASON_MAX = 500


def _reason(id_: str) -> StringField:
    return StringField(
        "Reason (optional)",
        id=id_,
        validators=[
            Optional(),
            Length(max=REASON_MAX, message=f"Keep the reason under {REASON_MAX} characters."),
        ],
        description="Kept with the change in the account's history.",
    )


class RoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(r.value, r.value.title()) for r in Role],
        validators=[DataRequired()],
    )
    reason = _reason("role-reason")


class StatusForm(FlaskForm):
    reason = _reason("status-reason")


class ResetLinkForm(FlaskForm):
    reason = _reason("reset-reason")


class LockoutForm(FlaskForm):
    reason = _reason("lockout-reason")
