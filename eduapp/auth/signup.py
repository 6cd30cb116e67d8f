"""Sign-up that does not tell strangers who has an account.

Every sign-up gets the same answer ("check your email") after the same work: the password is
hashed, the request counted and one message queued, whoever owns the address. A new address
gets an account that works only once the link in that message is followed (24 hours, single
use, stored hashed); an address with an account already gets a note telling its owner that
someone tried to sign up with it. Typed functions that never commit.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for

from .. import mail, tokens
from ..clock import now
from ..extensions import db
from ..models import EmailVerification, Role, User
from . import passwords
from .limits import throttle
from .services import (
    AccountError,
    check_new_account,
    check_printable_name,
    find_user,
    normalise_email,
)

CONFIRM_LIFETIME = timedelta(hours=24)


def request_signup(
    name: str, email: str, password: str, timezone: str, ip: str, invited_as: str | None = None
) -> User | None:
    """Ask for an account; returns the account to sign in only when an invitation stands in
    for the confirmation link.

    ``invited_as`` is the address a live clinic invitation the person followed was sent to.
    Holding that link shows they read that mailbox, as the confirmation link would, so when
    it is this very address and nobody has proved the address yet, no link is mailed and the
    account is returned (still unconfirmed: accepting the invitation confirms it). An address
    that already has a confirmed account gets the owner's note as always, so an invitation
    never lets anyone into someone else's account.
    """
    email = normalise_email(email)
    check_new_account(password, timezone)
    check_printable_name(name)
    request = throttle("signup", email, ip)
    # Hashed and kept with the request whoever owns the address (see services.Unconfirmed).
    request.password_hash = password_hash = passwords.hash_password(password)
    user = find_user(email)
    if user is None:
        user = User(
            name=name.strip(),
            email=email,
            password_hash=password_hash,
            role=Role.LEARNER.value,
            timezone=timezone,
        )
        db.session.add(user)
    elif user.email_verified_at is None:
        # Nobody has proved this address yet, so nobody owns the account: the newest sign-up's
        # details replace the pending ones, and only the newest link works.
        user.name, user.password_hash, user.timezone = name.strip(), password_hash, timezone
    db.session.flush()
    if user.email_verified_at is None and invited_as is not None and invited_as == email:
        tokens.retire(EmailVerification, user.id)  # an earlier sign-up's link stops working
        return user
    # A link is made either way, so the database work matches; an owner's is never sent.
    link = _new_link(user)
    if user.email_verified_at is None:
        _send_link(user, link)
    else:
        _tell_owner(user)
    return None


def _tell_owner(user: User) -> None:
    mail.queue(
        user.email,
        "Someone tried to sign up to eduapp with your address",
        f"Hello {user.name},\n\nSomeone (perhaps you) tried to create an eduapp account with "
        "this address, which already has one. Nothing has changed.\n\nTo sign in: "
        f"{_url('auth.login')}\nForgot your password? {_url('auth.reset_request')}\n",
    )


def send_confirmation(user: User) -> None:
    """A new single-use link; earlier ones stop working."""
    _send_link(user, _new_link(user))


def _new_link(user: User) -> str:
    tokens.retire(EmailVerification, user.id)
    return _url("auth.confirm", token=tokens.issue(EmailVerification, user.id, CONFIRM_LIFETIME))


def _send_link(user: User, link: str) -> None:
    mail.queue(
        user.email,
        "Confirm your email for eduapp",
        f"Hello {user.name},\n\nTo finish creating your eduapp account, open this link within "
        f"24 hours:\n\n{link}\n\nIf you did not sign up, ignore this message: without the "
        "link, no account is made.\n",
    )


def live_confirmation(token: str) -> EmailVerification | None:
    return tokens.live(EmailVerification, token)


def confirm(token: str) -> User:
    """Use the link: the address is proved and the account works from now on."""
    row = live_confirmation(token)
    # Claimed with a conditional UPDATE, so two clicks cannot both use one link.
    claimed = row is not None and tokens.claim(EmailVerification, row)
    if row is None or not claimed:
        raise AccountError("This link is invalid, used or expired. Sign in to get a new one.")
    user = db.session.get_one(User, row.user_id)
    user.email_verified_at = user.email_verified_at or now()
    return user


def resend(email: str, ip: str) -> None:
    """Again what the sign-up sent: a new link for an unconfirmed account, or the note to an
    account's owner (one message either way, as for the sign-up itself)."""
    email = normalise_email(email)
    throttle("confirm", email, ip)
    user = find_user(email)
    if user is not None and user.email_verified_at is None:
        send_confirmation(user)
    elif user is not None:
        _tell_owner(user)


def _url(endpoint: str, **values: str) -> str:
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)
