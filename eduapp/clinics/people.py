"""Who runs a clinic and who leaves it: creating a clinic with its first manager, naming and
removing co-managers, removing staff, staff leaving, and the audit line a clinic keeps.

A clinic always keeps at least one manager: the count and the change happen in one
transaction that holds the clinic row (``FOR UPDATE`` on PostgreSQL; a POST on SQLite
already holds the write lock), so two managers removing each other cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for

from .. import mail
from ..auth.services import normalise_email
from ..clock import now
from ..extensions import db
from ..models import Assignment, Clinic, ClinicMember, User
from ..models.clinic import MANAGER, STAFF
from .scope import ClinicError, staff_membership


def create_clinic(name: str, manager_email: str, admin: User) -> Clinic:
    """An admin opens a clinic for an existing account, who is emailed as its manager."""
    name = " ".join(name.split())
    if db.session.execute(db.select(Clinic.id).filter_by(name=name)).first():
        raise ClinicError(f"A clinic called {name!r} already exists.")
    manager = _account(manager_email)
    if manager is None:
        raise ClinicError("No account has that email; ask the manager to create one first.")
    clinic = Clinic(name=name, created_by_id=admin.id)
    db.session.add(clinic)
    db.session.flush()
    db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role=MANAGER))
    _queue_named(clinic, manager, admin)
    return clinic


def _account(email: str) -> User | None:
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


def _queue_named(clinic: Clinic, manager: User, by: User) -> None:
    link = current_app.config["BASE_URL"] + url_for("clinics.dashboard_page", clinic_id=clinic.id)
    mail.queue(
        manager.email,
        f"You are now a manager of {clinic.name} on eduapp",
        f"Hello {manager.name},\n\n{by.name} named you a manager of {clinic.name} on eduapp. "
        "You can invite staff, assign courses and follow your staff's CE, and add or remove "
        f"other managers.\n\nOpen the clinic (after signing in):\n{link}\n\nOn every page, "
        'the menu entry "My clinic" leads there too. If you did not expect this, tell '
        f"{by.name}: a clinic's managers can remove you from its Managers page.\n",
    )


@dataclass
class Manager:
    user: User
    member: ClinicMember


def managers(clinic_id: int) -> list[Manager]:
    """The clinic's current managers, by name."""
    return [
        Manager(user, member)
        for user, member in db.session.execute(
            db.select(User, ClinicMember)
            .join(ClinicMember, ClinicMember.user_id == User.id)
            .where(
                ClinicMember.clinic_id == clinic_id,
                ClinicMember.role == MANAGER,
                ClinicMember.left_at.is_(None),
            )
            .order_by(User.name, User.id)
        ).all()
    ]


def _manager_row(clinic_id: int, user_id: int) -> ClinicMember | None:
    return db.session.execute(
        db.select(ClinicMember).filter_by(clinic_id=clinic_id, user_id=user_id, role=MANAGER)
    ).scalar_one_or_none()


def add_manager(clinic: Clinic, email: str, by: User) -> User:
    """Name an existing account a manager at once, and email them a link to the clinic.

    An address without an account is refused with what to do: a manager sees every staff
    member's CE, so the person must first prove the address by creating an account (the
    staff invitation link is a consent to share CE, not a way to hand out management)."""
    person = _account(email)
    if person is None:
        raise ClinicError(
            f"No account uses {normalise_email(email)}. Ask them to create an eduapp account "
            "with that address, then add them here."
        )
    row = _manager_row(clinic.id, person.id)
    if row is not None and row.left_at is None:
        raise ClinicError(f"{person.name} is already a manager of {clinic.name}.")
    if row is None:
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=person.id, role=MANAGER))
    else:
        row.joined_at, row.left_at, row.removed_by_id = now(), None, None
    _queue_named(clinic, person, by)
    return person


def _lock(clinic: Clinic) -> None:
    db.session.execute(db.select(Clinic.id).where(Clinic.id == clinic.id).with_for_update())


def remove_manager(clinic: Clinic, user_id: int, by: User) -> User:
    """End a manager's role (a co-manager removed, or ``by`` leaving); never the last one."""
    _lock(clinic)
    row = _manager_row(clinic.id, user_id)
    if row is None or row.left_at is not None:
        raise LookupError(user_id)
    count = db.session.scalar(
        db.select(db.func.count(ClinicMember.id)).where(
            ClinicMember.clinic_id == clinic.id,
            ClinicMember.role == MANAGER,
            ClinicMember.left_at.is_(None),
        )
    )
    person = db.session.get_one(User, user_id)
    if count <= 1:
        who = "You are" if user_id == by.id else f"{person.name} is"
        raise ClinicError(
            f"{who} the only manager of {clinic.name}, and a clinic needs one: add another "
            "manager first. Nothing was changed."
        )
    row.left_at = now()
    row.removed_by_id = None if user_id == by.id else by.id
    return person


def remove_staff(clinic: Clinic, user_id: int, by: User) -> User:
    """End a staff member's sharing at once. Their own records (attempts, certificates,
    licences, CE) are theirs and stay untouched; the clinic keeps the membership as an audit
    line and drops the courses it assigned to that person alone."""
    row = db.session.execute(
        db.select(ClinicMember).filter_by(
            clinic_id=clinic.id, user_id=user_id, role=STAFF, left_at=None
        )
    ).scalar_one_or_none()
    if row is None or row.consented_at is None:
        raise LookupError(user_id)
    row.left_at, row.consented_at, row.removed_by_id = now(), None, by.id
    _drop_own_assignments(clinic.id, user_id)
    return db.session.get_one(User, user_id)


def _drop_own_assignments(clinic_id: int, user_id: int) -> None:
    """Courses assigned to this person alone go with the membership: the clinic would
    otherwise still list them by name, and remind them of a clinic they are not in."""
    db.session.execute(
        db.delete(Assignment).where(
            Assignment.clinic_id == clinic_id, Assignment.user_id == user_id
        )
    )


def leave(clinic_id: int, user: User) -> None:
    """A staff member stops sharing with the clinic, on their own."""
    member = staff_membership(clinic_id, user)
    if member is None:
        raise ClinicError("You are not on this clinic's staff.")
    member.left_at = now()
    member.consented_at = None
    member.removed_by_id = None
    _drop_own_assignments(clinic_id, user.id)


@dataclass
class FormerStaff:
    """The audit line a clinic keeps of someone no longer on its staff, and nothing more."""

    name: str
    joined_at: datetime
    left_at: datetime
    removed_by: str | None  # None: they left on their own


def former_staff(clinic_id: int) -> list[FormerStaff]:
    """Everyone who was on the staff and is no longer, latest first."""
    remover = db.aliased(User)
    return [
        FormerStaff(name, joined_at, left_at, removed_by)
        for name, joined_at, left_at, removed_by in db.session.execute(
            db.select(User.name, ClinicMember.joined_at, ClinicMember.left_at, remover.name)
            .join(ClinicMember, ClinicMember.user_id == User.id)
            .outerjoin(remover, remover.id == ClinicMember.removed_by_id)
            .where(
                ClinicMember.clinic_id == clinic_id,
                ClinicMember.role == STAFF,
                ClinicMember.left_at.is_not(None),
            )
            .order_by(ClinicMember.left_at.desc(), User.name)
        ).all()
    ]


def removals(user: User) -> list[tuple[str, datetime]]:
    """Clinics that removed this person from their staff (clinic name, when), for My CE."""
    return [
        (name, left_at)
        for name, left_at in db.session.execute(
            db.select(Clinic.name, ClinicMember.left_at)
            .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
            .where(
                ClinicMember.user_id == user.id,
                ClinicMember.role == STAFF,
                ClinicMember.left_at.is_not(None),
                ClinicMember.removed_by_id.is_not(None),
            )
            .order_by(ClinicMember.left_at.desc())
        ).all()
    ]
