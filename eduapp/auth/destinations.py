"""Where a sign-in or sign-up goes next: only a path on this site, and, when that path is a
clinic invitation, what the invitation proves about the address it was sent to."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..clinics import services as clinic_services
from ..extensions import db
from ..models import Clinic, ClinicInvite, User

INVITE_PATH = re.compile(r"/invites/([A-Za-z0-9_-]{20,100})")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no ``//`` or backslash tricks."""
    if not isinstance(target, str) or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


def invitation_for(next_path: str | None) -> ClinicInvite | None:
    """The live clinic invitation a sign-in or sign-up is on its way to, if any: a dead,
    revoked or made-up token, or any other path, is none."""
    match = INVITE_PATH.fullmatch(safe_next(next_path) or "")
    return clinic_services.live_invite(match.group(1)) if match else None


def invitation_note(invite: ClinicInvite | None) -> dict[str, str] | None:
    """What the sign-in and sign-up pages say about the invitation being followed."""
    if invite is None:
        return None
    return {"clinic": db.session.get_one(Clinic, invite.clinic_id).name, "email": invite.email}


def proved_by_invitation(user: User | None, next_path: str | None) -> bool:
    """Signing in to an unconfirmed account on the way to a live clinic invitation sent to
    this very address: the invitation came through that mailbox, as the sign-up's link would
    have, and accepting it confirms the address."""
    invite = invitation_for(next_path) if user else None
    return invite is not None and user is not None and invite.email == user.email
