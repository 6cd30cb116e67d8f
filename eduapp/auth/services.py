"""Accounts: sign-up, sign-in with brute-force limits, password changes and resets.

Typed functions that never touch ``request`` or ``current_user`` and never commit; the views
pass in what they know (the client's IP) and commit once.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from functools import cache
from zoneinfo import available_timezones

from flask import current_app, url_for
from sqlalchemy import or_

from .. import mail, tokens
from ..clock import now
from ..extensions import db
from ..models import AccountRequest, LoginFailure, PasswordResetToken, Role, User
from ..models.user import new_session_token
from . import passwords, remember
from .limits import TooManyAttempts, serialise_on, throttle

FAILURE_LIMIT = 10
FAILURE_WINDOW = timedelta(minutes=15)
RESET_TOKEN_LIFETIME = timedelta(hours=1)
SIGNUP_MEMORY = timedelta(hours=24)  # as long as a sign-up's confirmation link works


class AccountError(Exception):
    """A rule was broken; the message is safe and useful to show to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def check_printable_name(name: str) -> None:
    """Refuse a name the certificate fonts cannot draw, naming the character, so that no
    certificate ever prints a name with a character missing (see certificates/glyphs.py)."""
    from ..certificates.glyphs import describe, undrawable

    missing = undrawable(name)
    if missing:
        listed = ", ".join(describe(char) for char in missing[:5])
        raise AccountError(
            f"Certificates cannot print {listed} yet: no font they use has "
            f"{'this character' if len(missing) == 1 else 'these characters'}. Write your "
            "name with other characters (a transliteration, for example), or ask us to add a "
            "font.",
            "name",
        )


def normalise_email(email: str) -> str:
    """Trimmed, NFKC, lower-cased: ``Ann@x.org `` and ``ann@x.org`` are one account."""
    return unicodedata.normalize("NFKC", email).strip().lower()


@cache
def valid_timezones() -> frozenset[str]:
    """IANA zones (reading tzdata takes milliseconds, so once per process)."""
    return frozenset(available_timezones())


def find_user(email: str) -> User | None:
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


def register(
    name: str, email: str, password: str, timezone: str, role: Role = Role.LEARNER
) -> User:
    """An account made by an operator (``flask users create``), who vouches for the address;
    people signing themselves up go through :mod:`.signup` and its emailed link instead."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise AccountError("An account with this email already exists. Sign in instead.", "email")
    check_new_account(password, timezone)
    check_printable_name(name)
    user = User(
        name=name.strip(),
        email=email,
        password_hash=passwords.hash_password(password),
        role=role.value,
        timezone=timezone,
        email_verified_at=now(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def check_new_account(password: str, timezone: str) -> None:
    check_password_rules(password)
    if timezone not in valid_timezones():
        raise AccountError(f"Unknown time zone {timezone!r}.", "timezone")


def check_password_rules(password: str) -> None:
    if len(password) < passwords.MIN_LENGTH:
        raise AccountError(f"Use at least {passwords.MIN_LENGTH} characters.", "password")
    if len(password) > passwords.MAX_LENGTH:
        raise AccountError(f"Use at most {passwords.MAX_LENGTH} characters.", "password")


def recent_failures(email: str, ip: str) -> tuple[int, int]:
    since = now() - FAILURE_WINDOW
    rows = db.session.execute(
        db.select(LoginFailure.email, LoginFailure.ip).where(
            LoginFailure.created_at >= since,
            or_(LoginFailure.email == email, LoginFailure.ip == ip),
        )
    ).all()
    return sum(r.email == email for r in rows), sum(r.ip == ip for r in rows)


class Unconfirmed(Exception):
    """The password is right for an account whose address is not confirmed yet, or it is the
    one a recent sign-up for this address gave. Both answer alike (and take as long), so
    signing up with an address and then signing in with it does not reveal whether the
    address had an account already. ``user`` is the account in the first case only."""

    def __init__(self, email: str, user: User | None) -> None:
        super().__init__(email)
        self.email, self.user = email, user


def authenticate(email: str, password: str, ip: str) -> User | None:
    """The user for these credentials, or None. Raises TooManyAttempts while limited, and
    Unconfirmed for an account (or a sign-up) waiting for its address to be confirmed.

    A failure is recorded as a row, so that the limit holds across every worker and server.
    The caller must commit even when None is returned, to keep the failure.
    """
    email = normalise_email(email)
    serialise_on(f"login-account:{email}", f"login-ip:{ip}")
    by_account, by_ip = recent_failures(email, ip)
    if by_account >= FAILURE_LIMIT or by_ip >= FAILURE_LIMIT:
        raise TooManyAttempts
    user = find_user(email)
    right = passwords.verify_password(user.password_hash if user else None, password)
    if right and user and user.deactivated_at is None:
        if user.email_verified_at is None:
            passwords.verify_password(None, password)  # the other way here checks two hashes
            raise Unconfirmed(email, user)
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return user
    # A deactivated account fails exactly as a wrong password does (message, count, limit),
    # so the sign-in page tells nobody, not even someone with the password, what an admin did.
    if _signup_password(email, password):
        raise Unconfirmed(email, None)
    db.session.add(LoginFailure(email=email[:254], ip=ip[:45]))
    return None


def record_sign_in(user: User) -> None:
    """Note when this account last signed in with its password, for its admins' page."""
    user.last_sign_in_at = now()


def _signup_password(email: str, password: str) -> bool:
    """Whether this is the password the latest sign-up for this address (within a day) gave."""
    stored = db.session.scalar(
        db.select(AccountRequest.password_hash)
        .where(
            AccountRequest.action == "signup",
            AccountRequest.email == email,
            AccountRequest.password_hash.is_not(None),
            AccountRequest.created_at >= now() - SIGNUP_MEMORY,
        )
        .order_by(AccountRequest.created_at.desc(), AccountRequest.id.desc())
        .limit(1)
    )
    return stored is not None and passwords.verify_password(stored, password)


def end_other_sessions(user: User) -> None:
    """Rotate the token sessions carry and end every remember-me series: every old cookie stops
    working. Outstanding password-reset links die too, since they were asked for under the
    old state."""
    user.session_token = new_session_token()
    remember.forget_all(user)
    tokens.retire(PasswordResetToken, user.id)


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.", "current_password")
    check_password_rules(new)
    user.password_hash = passwords.hash_password(new)
    end_other_sessions(user)


def update_profile(user: User, name: str, timezone: str) -> None:
    if timezone not in valid_timezones():
        raise AccountError(f"Unknown time zone {timezone!r}.", "timezone")
    if name.strip() != user.name:  # a name saved before a font was dropped stays editable
        check_printable_name(name)
    user.name = name.strip()
    user.timezone = timezone


def create_reset_token(user: User) -> str:
    """A single-use token valid for one hour; only its hash is stored."""
    return tokens.issue(PasswordResetToken, user.id, RESET_TOKEN_LIFETIME)


def request_reset(email: str, ip: str) -> None:
    """Queue a reset link, or, for an address with no account, a message saying so.

    Either way the same work is done (one request counted, one message queued, one commit),
    so neither the answer nor its timing tells a stranger whether the address has an account;
    the mailbox's owner is the only one who learns it.
    """
    email = normalise_email(email)
    throttle("reset", email, ip)
    user = find_user(email)
    if user is None:
        mail.queue(
            email,
            "About resetting an eduapp password",
            "Someone (perhaps you) asked to reset the eduapp password of this address, but no "
            "account uses it. If it was you, perhaps you signed up with another address.\n\n"
            f"To create an account: {current_app.config['BASE_URL']}{url_for('auth.signup')}\n",
        )
        return
    if user.deactivated_at is not None:
        # Only the mailbox's owner learns why no link came.
        mail.queue(
            user.email,
            "About resetting an eduapp password",
            f"Hello {user.name},\n\nSomeone (perhaps you) asked to reset the password of "
            "your eduapp account, but an administrator has deactivated it, so a new password "
            "would not let you sign in. If you think this is a mistake, ask the person who "
            "runs eduapp for you.\n",
        )
        return
    send_reset_link(user, "If you did not ask for this, ignore this message")


def send_reset_link(user: User, why: str) -> None:
    """Queue the reset mail (its one-hour link) for an account: asked for on the reset page,
    or sent by an admin. ``why`` is the sentence that tells the reader what to do if they
    did not expect it; the password stays as it is until the link is used."""
    token = create_reset_token(user)
    link = current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token)
    mail.queue(
        user.email,
        "Reset your eduapp password",
        f"Hello {user.name},\n\nTo choose a new password, open this link within one "
        f"hour:\n\n{link}\n\n{why}; your password stays as it is.\n",
    )


def reset_token_is_valid(token: str) -> bool:
    return tokens.live(PasswordResetToken, token) is not None


def reset_password(token: str, new: str) -> User:
    row = tokens.live(PasswordResetToken, token)
    if row is None:
        raise AccountError("This reset link is invalid, used or expired. Ask for a new one.")
    check_password_rules(new)
    # Claim the token with a conditional UPDATE: two concurrent uses cannot both succeed.
    if not tokens.claim(PasswordResetToken, row):  # pragma: no cover - needs two racing
        raise AccountError("This reset link is invalid, used or expired. Ask for a new one.")
    user = db.session.get_one(User, row.user_id)
    user.password_hash = passwords.hash_password(new)
    # The link came to the address, which proves it, as the sign-up link would have.
    user.email_verified_at = user.email_verified_at or now()
    end_other_sessions(user)
    return user
