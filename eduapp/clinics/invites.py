"""Invitations to share CE with a clinic: reading a pasted or uploaded list, sending the
single-use links, resending, revoking and accepting.

A list is reported line by line: every address not invited comes back with the reason (not
an address and what is wrong with it, listed twice, already staff, already invited and
waiting), so a manager with 200 names knows exactly whom to chase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from .. import mail, tokens
from ..auth.services import normalise_email
from ..clock import now
from ..extensions import db
from ..models import Clinic, ClinicInvite, ClinicMember, User
from ..models.clinic import STAFF
from ..security import CONTROL
from .scope import ClinicError, shared_staff

INVITE_DAYS = 14
MAX_INVITES = 500
HEADER_WORDS = frozenset({"email", "e-mail", "email address", "e-mail address", "mail", "address"})


@dataclass
class InviteReport:
    """What a list led to: the addresses invited, and every other entry (line number in the
    list, the entry as written, why not), in the list's order."""

    invited: list[str] = field(default_factory=list)
    not_invited: list[tuple[int, str, str]] = field(default_factory=list)


def _shown(text: str) -> str:
    """An entry as the report shows it: control characters made visible, long ones cut."""
    visible = CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)
    return visible if len(visible) <= 80 else visible[:79] + "…"


def address_problem(text: str) -> str | None:
    """What is wrong with this address, in words a manager can act on; None if it will do.

    Loose on purpose (the invitation itself proves the address), but never with control
    characters: an uploaded list is not checked like form text, and PostgreSQL refuses NUL.
    """
    if CONTROL.search(text):
        return "contains a control character (an invisible character from the file)"
    if len(text) > 254:
        return "is longer than 254 characters"
    if any(c.isspace() for c in text):
        return "contains a space"
    if text.count("@") != 1:
        return "has no @" if "@" not in text else "has more than one @"
    local, _, domain = text.partition("@")
    if not local:
        return "has nothing before the @"
    if not domain:
        return "has nothing after the @"
    if "." not in domain:
        return f"the part after the @ ({domain}) has no dot, as in example.org"
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return f"the part after the @ ({domain}) is not a domain name"
    return None


def read_list(text: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """(entries that hold an address: line number, as written, normalised; lines that hold
    none: line number, the line, why).

    Addresses are one per line or separated by commas, semicolons or tabs; a CSV's other
    columns (names) are ignored, a first line without an address is taken as its header, and
    ``Name <address>`` is read as the address."""
    found: list[tuple[int, str, str]] = []
    problems: list[tuple[int, str, str]] = []
    first = True
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [c.strip().strip('"').strip() for c in re.split(r"[,;\t]", line)]
        cells = [c for c in cells if c]
        if not cells:
            continue
        addresses = [c for c in cells if "@" in c]
        if not addresses:
            header = first and " ".join(cells).casefold() in HEADER_WORDS | {"name email"}
            if not header and not (first and len(cells) > 1):
                problems.append((number, _shown(line.strip()), "No @, so not an address"))
        first = False
        for cell in addresses:
            inner = re.fullmatch(r"[^<>]*<([^<>]+)>", cell)
            address = inner.group(1).strip() if inner else cell
            found.append((number, cell, normalise_email(address)))
    return found, problems


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


def invite_list(clinic: Clinic, text: str, manager: User) -> InviteReport:
    """Invite every new, valid address in a pasted or uploaded list once; report the rest."""
    entries, problems = read_list(text)
    if len(entries) > MAX_INVITES:
        raise ClinicError(f"Invite at most {MAX_INVITES} people at a time.")
    report = InviteReport(not_invited=list(problems))
    pending = {
        row.email: row
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
    seen: set[str] = set()
    for number, written, email in entries:
        problem = address_problem(email)
        if problem:
            report.not_invited.append((number, _shown(written), f"Not an address: it {problem}"))
        elif email in seen:
            report.not_invited.append(
                (number, _shown(written), "Listed more than once (handled once)")
            )
        elif email in members:
            report.not_invited.append((number, _shown(written), "Already on the staff"))
        elif email in pending:
            waiting = pending[email]
            report.not_invited.append(
                (
                    number,
                    _shown(written),
                    f"Already invited on {waiting.created_at:%-d %B %Y} and waiting, until "
                    f"{waiting.expires_at:%-d %B %Y}: not sent again (use Resend in the "
                    "invitations list for a fresh link)",
                )
            )
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
            report.invited.append(email)
        seen.add(email)
    report.not_invited.sort(key=lambda row: row[0])
    return report


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
    """The link stops working; revoking twice keeps the first time."""
    if invite_row.accepted_at is not None:
        raise ClinicError("This invitation was already accepted.")
    invite_row.revoked_at = invite_row.revoked_at or now()


def live_invite(token: str) -> ClinicInvite | None:
    """The invitation this link names, if it can still be accepted."""
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
