"""Who a clinic sees and who runs it: the tenant boundary of the clinics area.

A clinic sees a person only while they are its staff, have consented and have not left or
been removed (:func:`shared_staff`). Every page and export about a clinic's staff starts from
that one query, so ending a membership hides the person from all of them at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select

from ..extensions import db
from ..models import Clinic, ClinicMember, User
from ..models.clinic import MANAGER, STAFF


class ClinicError(Exception):
    """A rule stops this action; the message is for the person who tried."""


def shared_staff(clinic_id: int) -> Select:
    """The clinic's staff who share their CE with it: consented, and not left."""
    return (
        db.select(User)
        .join(ClinicMember, ClinicMember.user_id == User.id)
        .where(
            ClinicMember.clinic_id == clinic_id,
            ClinicMember.role == STAFF,
            ClinicMember.consented_at.is_not(None),
            ClinicMember.left_at.is_(None),
        )
    )


def is_manager(user: User, clinic_id: int) -> bool:
    """Whether this person runs the clinic today (a manager who left or was removed does not)."""
    return (
        db.session.execute(
            db.select(ClinicMember.id).where(
                ClinicMember.clinic_id == clinic_id,
                ClinicMember.user_id == user.id,
                ClinicMember.role == MANAGER,
                ClinicMember.left_at.is_(None),
            )
        ).first()
        is not None
    )


def managed_clinics(user: User) -> list[Clinic]:
    """The clinics this person manages, by name: the My clinics list."""
    return list(
        db.session.execute(
            db.select(Clinic)
            .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
            .where(
                ClinicMember.user_id == user.id,
                ClinicMember.role == MANAGER,
                ClinicMember.left_at.is_(None),
            )
            .order_by(Clinic.name)
        ).scalars()
    )


def _managing(user_id: Any) -> Select:
    return db.select(ClinicMember.clinic_id).where(
        ClinicMember.user_id == user_id,
        ClinicMember.role == MANAGER,
        ClinicMember.left_at.is_(None),
    )


def manager_nav_columns() -> tuple[ColumnElement[int], ColumnElement[int | None]]:
    """How many clinics the user manages and the first one's id, as columns the user loader
    selects with the user: the navigation entry then costs no query of its own."""
    where = _managing(User.id).whereclause
    return (
        db.select(db.func.count(ClinicMember.id)).where(where).correlate(User).scalar_subquery(),
        db.select(db.func.min(ClinicMember.clinic_id))
        .where(where)
        .correlate(User)
        .scalar_subquery(),
    )


def remember_manager_nav(user: User, count: int, first_id: int | None) -> None:
    """Keep what :func:`manager_nav_columns` found on the user object, for this request."""
    user.__dict__["_manager_nav"] = (int(count or 0), first_id)


def manager_nav(user: User) -> tuple[int, int | None]:
    """(clinics managed, the first one's id) for the navigation entry; one query at most per
    request, and none when the user loader already selected it."""
    cached = user.__dict__.get("_manager_nav")
    if cached is None:
        ids = list(db.session.execute(_managing(user.id).limit(2)).scalars())
        cached = (len(ids), min(ids, default=None))
        user.__dict__["_manager_nav"] = cached
    return cached


def memberships(user: User) -> list[tuple[Clinic, ClinicMember]]:
    """The clinics this person shares CE with (as staff), for their account page."""
    return [
        (clinic, member)
        for clinic, member in db.session.execute(
            db.select(Clinic, ClinicMember)
            .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
            .where(
                ClinicMember.user_id == user.id,
                ClinicMember.role == STAFF,
                ClinicMember.left_at.is_(None),
            )
            .order_by(Clinic.name)
        ).all()
    ]


def staff_membership(clinic_id: int, user: User) -> ClinicMember | None:
    """The user's current staff membership of this clinic, if they are on its staff."""
    return db.session.execute(
        db.select(ClinicMember).filter_by(
            clinic_id=clinic_id, user_id=user.id, role=STAFF, left_at=None
        )
    ).scalar_one_or_none()
