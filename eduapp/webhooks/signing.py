"""Signatures a receiver can check: HMAC-SHA256 of ``"<t>.<body>"`` with the endpoint's secret.

Pure (no app): the header is ``Eduapp-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]``, one
``v1`` per secret still valid, the current first. During a rotation's overlap both secrets
sign, so a receiver holding either accepts the delivery; ``t`` lets it refuse old replays.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Eduapp-Signature"


def digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secrets: list[str], timestamp: int, body: bytes) -> str:
    """The header value signing ``body`` at ``timestamp`` with each of ``secrets``."""
    return ",".join([f"t={timestamp}"] + [f"v1={digest(s, timestamp, body)}" for s in secrets])


def verify(value: str, secret: str, body: bytes) -> bool:
    """Whether one of the header's ``v1`` signatures is ``body``'s with ``secret``."""
    parts = [part.partition("=") for part in value.split(",")]
    stamps = [v for k, _, v in parts if k == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    expected = digest(secret, int(stamps[0]), body)
    return any(k == "v1" and hmac.compare_digest(v, expected) for k, _, v in parts)
