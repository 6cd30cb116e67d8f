"""Hand one message to the world: SMTP when ``EDUAPP_SMTP_HOST`` is set, else the outbox.

Called only by the sender, outside any database transaction, so that however long the relay
takes, no request and no lock waits for it.
"""

from __future__ import annotations

import secrets
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app

from ..clock import now
from . import outbox_dir

SMTP_TIMEOUT = 20  # seconds per socket operation; a hung relay fails the try, not the sender


class DeliveryError(Exception):
    """The message did not go. ``permanent`` when retrying cannot help (address refused)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def compose(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now())
    message.set_content(body)
    return message


def deliver(message: EmailMessage, message_id: int) -> None:
    """Send by SMTP or write ``.eml``; raises :class:`DeliveryError` on any failure."""
    config = current_app.config
    host = config.get("SMTP_HOST")
    try:
        if host:
            _smtp(message, host, config)
        else:
            _to_outbox(message, message_id)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        raise DeliveryError(_describe(error), permanent=all(c >= 500 for c in codes)) from error
    except smtplib.SMTPDataError as error:
        raise DeliveryError(_describe(error), permanent=error.smtp_code >= 500) from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(_describe(error)) from error


def _smtp(message: EmailMessage, host: str, config: dict) -> None:
    port = int(config.get("SMTP_PORT") or 587)
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT) as smtp:
        if str(config.get("SMTP_TLS", "1")).lower() not in ("0", "false", ""):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        smtp.send_message(message)


def _to_outbox(message: EmailMessage, message_id: int) -> None:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Time first so a listing sorts in sending order; the random part keeps names unique
    # when ids restart (a test database emptied between tests).
    name = f"{now():%Y%m%dT%H%M%S}-{message_id:08d}-{secrets.token_hex(4)}.eml"
    (folder / name).write_bytes(message.as_bytes())
    current_app.logger.info("mail to outbox: %s", folder / name)


def _describe(error: Exception) -> str:
    """The relay's own words where it gave some (code and text), for whoever reads the row."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{to}: {code} {_text(msg)}" for to, (code, msg) in error.recipients.items()
        )
    else:
        text = str(error)
    return f"{type(error).__name__}: {text}"[:1000]


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
