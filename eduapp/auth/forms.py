"""Account forms. Lengths are checked here; account rules live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .passwords import MAX_LENGTH, MIN_LENGTH
from .services import normalise_email

PASSWORD_HELP = f"At least {MIN_LENGTH} characters. A long passphrase is best."


def _new_password(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters.",
            ),
        ],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )


def _email() -> EmailField:
    return EmailField(
        "Email",
        # Normalised before validation, so the length and format checks see what is stored.
        filters=[lambda value: normalise_email(value) if isinstance(value, str) else value],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(
                message="Enter an email address like name@example.org.",
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


class SignupForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired(), Length(max=120)], render_kw={"autocomplete": "name"}
    )
    email = _email()
    password = _new_password()
    timezone = SelectField("Time zone", validate_choice=False)
    next = HiddenField()  # where to go once signed in (an invitation, say); checked there


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in for 30 days")
    next = HiddenField()


class AccountForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    timezone = SelectField("Time zone", validate_choice=False)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password("New password")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class ResetRequestForm(FlaskForm):
    email = _email()


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmForm(FlaskForm):
    """A button: confirming an address, or asking for a new link, is a POST with CSRF."""


class LogoutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token; GET never changes state."""
