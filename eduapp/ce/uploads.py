"""Certificate files for CE taken elsewhere: PDF, PNG or JPEG only, by their first bytes.

What the browser says a file is counts for nothing: an SVG (which can carry script) or an
HTML page named ``.pdf`` is refused. Files are stored under ``EDUAPP_FILES_DIR/ce/`` with a
random name, and served only as downloads.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import IO

from flask import current_app

MAX_BYTES = 5 * 1024 * 1024
KINDS = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


class UploadError(ValueError):
    """The file is refused; the message says why, for the form."""


def kind_of(head: bytes) -> tuple[str, str]:
    for magic, mimetype, suffix in KINDS:
        if head.startswith(magic):
            return mimetype, suffix
    raise UploadError("Upload the certificate as a PDF, PNG or JPEG file.")


def folder() -> Path:
    path = Path(current_app.config["FILES_DIR"]) / "ce"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(stream: IO[bytes]) -> tuple[str, str, int]:
    """Check and keep an uploaded file: (key, mimetype, size)."""
    data = stream.read(MAX_BYTES + 1)
    if not data:
        raise UploadError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise UploadError(f"The file is larger than {MAX_BYTES // (1024 * 1024) or 1} MB.")
    mimetype, _ = kind_of(data[:16])
    key = secrets.token_hex(16)
    (folder() / key).write_bytes(data)
    return key, mimetype, len(data)


def path_of(key: str) -> Path:
    if not key.isalnum():  # keys are hex; anything else never names a file
        raise FileNotFoundError(key)
    return folder() / key


def remove(key: str | None) -> None:
    if key:
        path_of(key).unlink(missing_ok=True)
