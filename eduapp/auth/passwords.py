"""Password hashing: argon2id at the ASVS 5.0 floor for t=2 (19 MiB, one lane), ~26 ms here."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024  # long passphrases welcome; the cap only stops absurd inputs


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


@cache
def _dummy_hash() -> str:
    return hasher().hash("not a password anyone has")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time on a dummy so that an unknown
    account answers exactly as slowly as a wrong password."""
    try:
        return hasher().verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return hasher().check_needs_rehash(stored)
