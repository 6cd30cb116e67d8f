"""``flask users ...``: create accounts and set roles from the command line."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import AppGroup

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
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
def set_role_command(email: str, role: str) -> None:
    """Change a user's role (learner, instructor or admin)."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user with email {services.normalise_email(email)}")
    user.role = role
    db.session.commit()
    click.echo(f"{user.email} is now {role}")
