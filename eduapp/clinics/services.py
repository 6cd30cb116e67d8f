"""Clinics: who belongs, invitations, consent and leaving, assignments.

Tenant scoping lives here, in :func:`shared_staff`: a clinic sees a person only while they
are its staff, have consented and have not left. Every page and export about a clinic's
staff starts from that one query.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError

from .. import mail, tokens
from ..auth.services import normalise_email
from ..clock import now
from ..extensions import db
from ..models import (
    Assignment,
    Clinic,
    ClinicInvite,
    ClinicMember,
    Course,
    Licence,
    LicenceEdit,
    User,
)
from ..models.clinic import MANAGER, STAFF

INVITE_DAYS = 14
MAX_INVITES = 500


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


def create_clinic(name: str, manager_email: str, admin: User) -> Clinic:
    name = " ".join(name.split())
    if db.session.execute(db.select(Clinic.id).filter_by(name=name)).first():
        raise ClinicError(f"A clinic called {name!r} already exists.")
    manager = db.session.execute(
        db.select(User).filter_by(email=normalise_email(manager_email))
    ).scalar_one_or_none()
    if manager is None:
        raise ClinicError("No account has that email; ask the manager to create one first.")
    clinic = Clinic(name=name, created_by_id=admin.id)
    db.session.add(clinic)
    db.session.flush()
    db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role=MANAGER))
    return clinic


def _queue_invite(clinic: Clinic, email: str, token: str) -> None:
    link = current_app.config["BASE_URL"] + url_for("clinics.accept", token=token)
    mail.queue(
        email,
        f"{clinic.name} invites you to share your CE on eduapp",
        f"{clinic.name} would like to follow your continuing education on eduapp: your "
        f"licences, CE hours and certificates.\n\nTo accept, open this link within "
        f"{INVITE_DAYS} days (it works once):\n{link}\n\nYou can leave the clinic at any time, "
        "which ends the sharing. If you did not expect this, ignore this message.\n",
    )


def invite(clinic: Clinic, emails: list[str], manager: User) -> tuple[list[str], list[str]]:
    """Invite each address once; returns (invited, skipped with the reason)."""
    if len(emails) > MAX_INVITES:
        raise ClinicError(f"Invite at most {MAX_INVITES} people at a time.")
    invited, skipped = [], []
    pending = {
        row.email
        for row in db.session.execute(
            db.select(ClinicInvite).where(
                ClinicInvite.clinic_id == clinic.id,
                ClinicInvite.accepted_at.is_(None),
                ClinicInvite.revoked_at.is_(None),
                ClinicInvite.expires_at > now(),
            )
        ).scalars()
    }
    members = set(
        db.session.execute(shared_staff(clinic.id).with_only_columns(User.email)).scalars()
    )
    for raw in emails:
        email = normalise_email(raw)
        if email in pending:
            skipped.append(f"{email}: already invited (resend it from the list)")
        elif email in members:
            skipped.append(f"{email}: already on the staff")
        else:
            token = tokens.new_token()
            db.session.add(
                ClinicInvite(
                    clinic_id=clinic.id,
                    email=email,
                    token_hash=tokens.digest(token),
                    created_by_id=manager.id,
                    expires_at=now() + timedelta(days=INVITE_DAYS),
                )
            )
            _queue_invite(clinic, email, token)
            pending.add(email)
            invited.append(email)
    return invited, skipped


def resend(invite_row: ClinicInvite, clinic: Clinic) -> None:
    """A new link (the old one stops working) and a fresh expiry."""
    if invite_row.accepted_at is not None or invite_row.revoked_at is not None:
        raise ClinicError("This invitation was already used or revoked.")
    token = tokens.new_token()
    invite_row.token_hash = tokens.digest(token)
    invite_row.expires_at = now() + timedelta(days=INVITE_DAYS)
    invite_row.sent_count += 1
    _queue_invite(clinic, invite_row.email, token)


def revoke_invite(invite_row: ClinicInvite) -> None:
    if invite_row.accepted_at is not None:
        raise ClinicError("This invitation was already accepted.")
    invite_row.revoked_at = invite_row.revoked_at or now()


def live_invite(token: str) -> ClinicInvite | None:
    row = db.session.execute(
        db.select(ClinicInvite).filter_by(token_hash=tokens.digest(token))
    ).scalar_one_or_none()
    if row is None or row.accepted_at or row.revoked_at or row.expires_at <= now():
        return None
    return row


def accept(invite_row: ClinicInvite, user: User) -> ClinicMember:
    """Join as staff and consent to share CE; the invitation is used up."""
    claimed = db.session.execute(
        db.update(ClinicInvite)
        .where(ClinicInvite.id == invite_row.id, ClinicInvite.accepted_at.is_(None))
        .values(accepted_at=now(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ClinicError("This invitation was already used.")
    member = db.session.execute(
        db.select(ClinicMember).filter_by(
            clinic_id=invite_row.clinic_id, user_id=user.id, role=STAFF
        )
    ).scalar_one_or_none()
    stamp = now()
    if member is None:
        member = ClinicMember(clinic_id=invite_row.clinic_id, user_id=user.id, role=STAFF)
        try:
            with db.session.begin_nested():
                db.session.add(member)
        except IntegrityError:
            raise ClinicError("You are already on this clinic's staff.") from None
    member.consented_at, member.joined_at, member.left_at = stamp, stamp, None
    # The invitation reached this address, which proves it as a sign-up's link would.
    user.email_verified_at = user.email_verified_at or stamp
    return member


def staff_membership(clinic_id: int, user: User) -> ClinicMember | None:
    """The user's current staff membership of this clinic, if they are on its staff."""
    return db.session.execute(
        db.select(ClinicMember).filter_by(
            clinic_id=clinic_id, user_id=user.id, role=STAFF, left_at=None
        )
    ).scalar_one_or_none()


def leave(clinic_id: int, user: User) -> None:
    member = staff_membership(clinic_id, user)
    if member is None:
        raise ClinicError("You are not on this clinic's staff.")
    member.left_at = now()
    member.consented_at = None


def assign(
    clinic: Clinic, course: Course, due_on: date, user_ids: list[int] | None, manager: User
) -> int:
    """Assign a course to all staff (``user_ids`` None) or to chosen staff of this clinic."""
    if user_ids is None:
        db.session.add(
            Assignment(
                clinic_id=clinic.id, course_id=course.id, due_on=due_on, created_by_id=manager.id
            )
        )
        return 1
    allowed = set(
        db.session.execute(
            shared_staff(clinic.id).with_only_columns(User.id).where(User.id.in_(user_ids))
        ).scalars()
    )
    if allowed != set(user_ids):
        raise ClinicError("Choose people on this clinic's staff.")
    db.session.add_all(
        Assignment(
            clinic_id=clinic.id,
            course_id=course.id,
            user_id=user_id,
            due_on=due_on,
            created_by_id=manager.id,
        )
        for user_id in sorted(allowed)
    )
    return len(allowed)


def parse_emails(text: str) -> list[str]:
    """Addresses pasted one per line, or separated by commas or semicolons (a CSV's first
    column also works); blank lines and a header row are skipped."""
    found = []
    for line in text.replace(";", "\n").replace(",", "\n").splitlines():
        cell = line.strip().strip('"')
        if cell and "@" in cell:
            found.append(cell)
    return list(dict.fromkeys(found))


def edit_licence(
    clinic: Clinic, licence: Licence, number: str, renewal: date, reason: str, manager: User
) -> LicenceEdit | None:
    """Change a staff member's licence number or renewal date, audited; None if unchanged."""
    from ..ce.compliance import fixed_renewal_on_or_after, is_renewal_day, version_for
    from ..ce.packs import current_versions

    cycle = version_for(current_versions([licence.pack_id])[licence.pack_id], renewal).cycle
    if not is_renewal_day(cycle, renewal):
        expected = fixed_renewal_on_or_after(cycle, renewal)
        raise ClinicError(f"This licence renews on fixed dates; the next is {expected:%-d %B %Y}.")
    changes = {}
    number = number.strip()
    if number != licence.number:
        changes["number"] = [licence.number, number]
    if renewal != licence.renewal_date:
        changes["renewal_date"] = [licence.renewal_date.isoformat(), renewal.isoformat()]
    if not changes:
        return None
    licence.number, licence.renewal_date, licence.updated_at = number, renewal, now()
    edit = LicenceEdit(
        licence_id=licence.id,
        user_id=licence.user_id,
        clinic_id=clinic.id,
        editor_id=manager.id,
        changes={**changes, "reason": reason.strip()[:300]},
    )
    db.session.add(edit)
    return edit


def licence_edits(user: User) -> list[tuple[LicenceEdit, str, str]]:
    """Changes clinics made to this person's licences: (edit, clinic name, editor name)."""
    editor = db.aliased(User)
    return [
        (edit, clinic_name, editor_name)
        for edit, clinic_name, editor_name in db.session.execute(
            db.select(LicenceEdit, Clinic.name, editor.name)
            .join(Clinic, Clinic.id == LicenceEdit.clinic_id)
            .join(editor, editor.id == LicenceEdit.editor_id)
            .where(LicenceEdit.user_id == user.id)
            .order_by(LicenceEdit.edited_at.desc())
        ).all()
    ]
