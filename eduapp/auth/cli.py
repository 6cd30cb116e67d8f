"""``flask users ...``: create accounts and set roles from the command line, each recorded in
the account's history as the admin pages' changes are."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import AppGroup

from ..admin import shell
from ..admin.forms import REASON_MAX
from ..extensions import db
from ..models import Role
from . import services

users_cli = AppGroup("users", help="Create users and change their roles.")
ROLES = click.Choice([r.value for r in Role])


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as it appears on certificates.")
@click.option("--role", type=ROLES, default=Role.LEARNER.value, show_default=True)
@click.option("--timezone", default=None, help="IANA time zone (default: EDUAPP_TIMEZONE).")
def create_command(email: str, name: str, role: str, timezone: str | None) -> None:
    """Create an account. The password comes from EDUAPP_NEW_PASSWORD, or a prompt."""
    password = os.environ.get("EDUAPP_NEW_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = services.register(
            name, email, password, timezone or current_app.config["TIMEZONE"], Role(role)
        )
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    shell.record_creation(user)
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
@click.option("--reason", default="", help="Why, for the account's history (optional).")
def set_role_command(email: str, role: str, reason: str) -> None:
    """Change a user's role (learner, instructor or admin)."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user with email {services.normalise_email(email)}")
    if len(reason.strip()) > REASON_MAX:
        raise click.BadParameter(f"keep it under {REASON_MAX} characters", param_hint="--reason")
    if not shell.change_role(user, Role(role), reason):
        click.echo(f"{user.email} is already {role}; nothing changed")
        return
    db.session.commit()
    click.echo(f"{user.email} is now {role}")
