"""Accounts as admins manage them: search, role, deactivation, reset links, lockouts.

Typed functions that never touch ``request`` or ``current_user`` and never commit. Every
change adds an :class:`~eduapp.models.AccountChange` row in the same transaction, so a change
and its audit line stand or fall together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import aliased

from ..auth import services as auth_services
from ..auth.limits import serialise_on
from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..models import AccountChange, EmailVerification, LoginFailure, Role, User
from ..tokens import retire

PAGE_SIZE = 50
ACTIONS = {
    "role": "Role changed",
    "deactivate": "Deactivated",
    "reactivate": "Reactivated",
    "reset_link": "Password reset link sent",
    "clear_lockout": "Sign-in lockout cleared",
    "cebroker_reported": "Completion reported to CE Broker",
    # Made on the server's command line (see .shell): the account's history shows them as
    # made by the shell, not by the account whose id the required admin_id column holds.
    "shell_create": "Account created",
    "shell_role": "Role changed",
}
SHELL_ACTIONS = frozenset(action for action in ACTIONS if action.startswith("shell_"))
BY_THE_SHELL = "the shell"


class Refused(Exception):
    """The change would break a rule (an admin's own account, the last admin); the message
    says which, and nothing was changed."""


@dataclass(frozen=True)
class Lockout:
    """Recent failed sign-ins for the account's address; ``until`` is set while they lock it."""

    failures: int
    until: datetime | None

    @property
    def locked(self) -> bool:
        return self.until is not None


@dataclass(frozen=True)
class UserRow:
    user: User
    lockout: Lockout


@dataclass(frozen=True)
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    pages: int


def _failures_by_email():  # type: ignore[no-untyped-def]
    """Per address: failed sign-ins inside the limit's window, and the latest of them."""
    since = now() - auth_services.FAILURE_WINDOW
    return (
        db.select(
            LoginFailure.email,
            db.func.count().label("failures"),
            db.func.max(LoginFailure.created_at).label("latest"),
        )
        .where(LoginFailure.created_at >= since)
        .group_by(LoginFailure.email)
        .subquery()
    )


def search_users(query: str, page: int) -> UserPage:
    """Accounts whose name or email contains ``query`` (any case), by name, a page at a time,
    each with its lockout state: two statements whatever the number of accounts."""
    failures = _failures_by_email()
    where = []
    if query.strip():
        needle = query.strip().lower()
        where.append(
            or_(
                db.func.lower(User.name).contains(needle, autoescape=True),
                User.email.contains(needle, autoescape=True),  # stored lower-cased
            )
        )
    total = db.session.scalar(db.select(db.func.count()).select_from(User).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        db.select(User, failures.c.failures, failures.c.latest)
        .outerjoin(failures, failures.c.email == User.email)
        .where(*where)
        .order_by(db.func.lower(User.name), User.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return UserPage(
        [UserRow(user, _lockout_from(count or 0, latest)) for user, count, latest in rows],
        total,
        page,
        pages,
    )


def _lockout_from(count: int, latest: datetime | None) -> Lockout:
    """Locked while the window holds the limit's number of failures. ``until`` here is the
    latest failure plus the window, an upper bound (the list shows only "Locked"); the
    account's page asks :func:`lockout` for the exact moment."""
    locked = count >= auth_services.FAILURE_LIMIT and latest is not None
    return Lockout(count, latest + auth_services.FAILURE_WINDOW if locked else None)


def lockout(user: User) -> Lockout:
    """The account's lockout, with the exact moment it lifts by itself."""
    since = now() - auth_services.FAILURE_WINDOW
    times = list(
        db.session.scalars(
            db.select(LoginFailure.created_at)
            .where(LoginFailure.email == user.email, LoginFailure.created_at >= since)
            .order_by(LoginFailure.created_at.desc())
        )
    )
    if len(times) < auth_services.FAILURE_LIMIT:
        return Lockout(len(times), None)
    return Lockout(
        len(times), times[auth_services.FAILURE_LIMIT - 1] + auth_services.FAILURE_WINDOW
    )


def history(user: User) -> list[tuple[AccountChange, str]]:
    """The account's audit lines, newest first, with the name of the admin who made each (or
    "the shell" for a change made on the server's command line)."""
    admin = aliased(User)
    return [
        (change, BY_THE_SHELL if change.action in SHELL_ACTIONS else name)
        for change, name in db.session.execute(
            db.select(AccountChange, admin.name)
            .join(admin, admin.id == AccountChange.admin_id)
            .where(AccountChange.user_id == user.id)
            .order_by(AccountChange.changed_at.desc(), AccountChange.id.desc())
        )
    ]


def _audit(
    user: User, admin: User, action: str, before: str | None, after: str | None, reason: str
) -> None:
    db.session.add(
        AccountChange(
            user_id=user.id,
            admin_id=admin.id,
            action=action,
            before=before,
            after=after,
            reason=reason.strip() or None,
        )
    )


def _take_turns_on_admins() -> None:
    """Changes that could leave no admin take turns (SQLite's write lock, PostgreSQL's
    advisory lock), so two admins demoting each other at once cannot both succeed. Must run
    before anything is read or changed: it starts the transaction afresh."""
    begin_write()
    serialise_on("admins")


def _check_admin_stays(user: User, admin: User, doing: str) -> None:
    if user.id == admin.id:
        raise Refused(f"You cannot {doing} your own account: ask another admin.")
    if user.role == Role.ADMIN and user.deactivated_at is None:
        active_admins = db.session.scalar(
            db.select(db.func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.deactivated_at.is_(None))
        )
        if (active_admins or 0) <= 1:
            raise Refused(
                f"You cannot {doing} the last active admin: make another account an admin first."
            )


def check_role_change(user: User, admin: User, role: Role) -> None:
    """Raise Refused if this role change breaks a rule: asked before the confirmation page,
    so an admin is not asked to confirm what would be refused, and again under the lock."""
    if user.role == role.value:
        raise Refused(f"{user.name} is already {article(role.value)} {role.value}.")
    if user.role == Role.ADMIN:
        _check_admin_stays(user, admin, "remove the admin role of")


def check_deactivation(user: User, admin: User) -> None:
    """Raise Refused if deactivating this account breaks a rule (see check_role_change)."""
    if user.deactivated_at is not None:
        raise Refused(f"{user.name}'s account is already deactivated.")
    _check_admin_stays(user, admin, "deactivate")


def change_role(user_id: int, admin_id: int, role: Role, reason: str) -> User:
    """Give the account another role; an admin cannot take away their own admin role, nor
    anyone take the last active admin's."""
    _take_turns_on_admins()
    user, admin = db.session.get_one(User, user_id), db.session.get_one(User, admin_id)
    check_role_change(user, admin, role)
    before = user.role
    user.role = role.value
    _audit(user, admin, "role", before, role.value, reason)
    return user


def article(word: str) -> str:
    """ "a learner", "an admin": the messages name roles in sentences."""
    return "an" if word[0] in "aeiou" else "a"


def deactivate(user_id: int, admin_id: int, reason: str) -> User:
    """The account can no longer sign in, and every session, remember-me cookie and mailed
    link of it stops working; its records (attempts, certificates, CE, clinics) stay."""
    _take_turns_on_admins()
    user, admin = db.session.get_one(User, user_id), db.session.get_one(User, admin_id)
    check_deactivation(user, admin)
    user.deactivated_at = now()
    auth_services.end_other_sessions(user)
    retire(EmailVerification, user.id)
    _audit(user, admin, "deactivate", "active", "deactivated", reason)
    return user


def reactivate(user: User, admin: User, reason: str) -> None:
    """The account may sign in again with its password (or a reset link)."""
    if user.deactivated_at is None:
        raise Refused(f"{user.name}'s account is active already.")
    user.deactivated_at = None
    _audit(user, admin, "reactivate", "deactivated", "active", reason)


def send_reset_link(user: User, admin: User, reason: str) -> None:
    """Mail the account the same one-hour reset link the reset page sends (after commit, as
    all mail). A deactivated account would get a password it cannot use: refused."""
    if user.deactivated_at is not None:
        raise Refused(f"{user.name}'s account is deactivated: reactivate it first.")
    auth_services.send_reset_link(
        user, "An administrator sent it. If you did not expect it, you may ignore it"
    )
    _audit(user, admin, "reset_link", None, None, reason)


def clear_lockout(user: User, admin: User, reason: str) -> None:
    """Forget the address's failed sign-ins, so its owner may try again now."""
    found = lockout(user)
    if not found.failures:
        raise Refused(f"{user.name} has no recent failed sign-ins to clear.")
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == user.email))
    _audit(
        user,
        admin,
        "clear_lockout",
        f"{'locked, ' if found.locked else ''}{found.failures} failed sign-in"
        f"{'s' if found.failures != 1 else ''}",
        "cleared",
        reason,
    )
