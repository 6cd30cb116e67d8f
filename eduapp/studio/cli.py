"""``flask studio owners SLUG``: an admin assigns or removes a course's people from the shell.

For the first owner of an imported course on a new server, where no admin has signed in yet.
Changes made here record no account as their author (the shell has none), only the time.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..auth.services import find_user, normalise_email
from ..database import begin_write
from ..extensions import db
from ..models import Course, CourseRole
from . import owners

studio_cli = AppGroup("studio", help="Manage the studio: who owns and co-authors each course.")


@studio_cli.command("owners")
@click.argument("slug")
@click.option("--add", "add_email", metavar="EMAIL", help="Add this instructor to the course.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in CourseRole]),
    default=CourseRole.CO_AUTHOR.value,
    show_default=True,
    help="The role --add gives.",
)
@click.option("--remove", "remove_email", metavar="EMAIL", help="Take this person off.")
@click.option("--list", "list_only", is_flag=True, help="List the course's people.")
def owners_command(
    slug: str, add_email: str | None, role: str, remove_email: str | None, list_only: bool
) -> None:
    """List, add or remove a course's owners and co-authors."""
    if sum(bool(x) for x in (add_email, remove_email, list_only)) != 1:
        raise click.UsageError("give exactly one of --add EMAIL, --remove EMAIL or --list")
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is None:
        raise click.ClickException(f"no course with slug {slug!r}")
    try:
        if add_email:
            add = owners.assign_owner if role == CourseRole.OWNER else owners.add_co_author
            add(course, add_email, None)
            db.session.commit()
            click.echo(f"{normalise_email(add_email)} is now {role} of {slug}")
        elif remove_email:
            user = find_user(remove_email)
            if user is None:
                raise owners.OwnershipError(f"no account has the address {remove_email}")
            begin_write()
            owners.remove(course, user, None)
            db.session.commit()
            click.echo(f"{user.email} removed from {slug}")
    except owners.OwnershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    _list(course)


def _list(course: Course) -> None:
    people = owners.people(course)
    if not people:
        click.echo(f"{course.slug}: no owners or co-authors; admins manage it")
    for person in people:
        by = person.added_by or "the shell"
        click.echo(
            f"{person.row.role}\t{person.user.email}\tadded {person.row.added_at:%Y-%m-%d %H:%M}"
            f" UTC by {by}"
        )
