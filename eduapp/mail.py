"""One small mailer: SMTP when EDUAPP_SMTP_HOST is set, otherwise an outbox folder.

The outbox (``EDUAPP_FILES_DIR/outbox``) is how development and tests read the mail the app
sends; each message is one ``.eml`` file.
"""

from __future__ import annotations

import secrets
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from .clock import now


def outbox_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "outbox"


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    host = config.get("SMTP_HOST")
    if host:
        with smtplib.SMTP(host, int(config.get("SMTP_PORT") or 587), timeout=20) as smtp:
            if config.get("SMTP_TLS", "1") not in ("0", "false", ""):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
            smtp.send_message(message)
        return
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    (folder / name).write_bytes(message.as_bytes())
    current_app.logger.info("mail to outbox: %s", folder / name)
