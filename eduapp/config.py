"""Configuration: defaults here, then ``instance/config.py``, then ``EDUAPP_*`` variables.

Nothing is read at import time; :func:`load_config` runs inside the factory so that tests
and CLI commands can build apps with different settings in one process.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

# Settings an operator may set from the environment, as EDUAPP_<NAME>.
ENV_SETTINGS = (
    "ENV",
    "DATABASE_URL",
    "SECRET_KEY",
    "BASE_URL",
    "FILES_DIR",
    "TIMEZONE",
    "TRUSTED_PROXIES",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TLS",
    "MAIL_FROM",
    "QUIZ_GRACE_SECONDS",
    "PROVIDER_NAME",
    "PROVIDER_CONTACT",
    "CERTIFICATE_SIGNERS",
    "CREDENTIAL_KEY",
    # CE Broker rosters (docs/cebroker.md): the provider tracking number, and the profession
    # code for column H.
    "CEBROKER_PROVIDER",
    "CEBROKER_PROFESSION",
    "QUEUE_URL",
    # Webhook receivers exempt from the SSRF address and port checks (eduapp.webhooks.guard).
    "WEBHOOK_ALLOW_HOSTS",
    "API_REQUESTS_PER_MINUTE",
    "API_LOG_DAYS",
)
# Whole-number settings and the range each must lie in; read as int once, here, so a typo
# stops the start instead of the first request that needs it.
WHOLE_NUMBERS = {
    "API_REQUESTS_PER_MINUTE": (1, 100_000),
    "API_LOG_DAYS": (1, 3660),
}
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "DATABASE_URL",
    "BASE_URL",
    "PROVIDER_NAME",
    "PROVIDER_CONTACT",
    "CERTIFICATE_SIGNERS",
    # The private key that signs Open Badges credentials (PEM or JWK); development makes one
    # in instance/.
    "CREDENTIAL_KEY",
)


# Development values printed on certificates; production refuses to start with them.
PLACEHOLDERS = {
    "PROVIDER_NAME": "eduapp development provider",
    "PROVIDER_CONTACT": "ce@eduapp.invalid",
    "CERTIFICATE_SIGNERS": "Course Director|eduapp development provider",
}


class ConfigError(RuntimeError):
    """The app cannot start safely with this configuration."""


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV": "development",
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "eduapp.sqlite3"),
        "BASE_URL": "http://127.0.0.1:5000",
        "FILES_DIR": os.path.join(instance_path, "files"),
        "TIMEZONE": "UTC",
        "CEBROKER_PROVIDER": "",
        "CEBROKER_PROFESSION": "",
        "COURSES_DIR": "courses",
        # Practice-exam blueprints (blueprints/*.yml), read when the practice page is shown.
        "BLUEPRINTS_DIR": "blueprints",
        # How many reverse proxies set X-Forwarded-For in front of the app (0: none trusted).
        "TRUSTED_PROXIES": 0,
        "MAIL_FROM": "eduapp <no-reply@eduapp.invalid>",
        # Cookies: Lax, HttpOnly, Path=/; Secure and the __Host- prefix in production below.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "session",
        "SESSION_COOKIE_PATH": "/",
        # Our rotating remember-me cookie (eduapp.auth.cookies); it lives 30 days on the server.
        "REMEMBER_NAME": "remember",
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        # Flask-Login's own, fixed-value remember cookie is never set; a leftover one from
        # before the rotating cookie is ignored, since Flask-Login looks under this name only.
        "REMEMBER_COOKIE_NAME": "retired_remember_token",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        # A quiz page may stay open for its whole time limit; the token lives with the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # Forms are small; an upload route raises its own limit (request.max_content_length).
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        # Seconds after a timed attempt's deadline during which answers are still accepted
        # (network delay, a submit pressed at the last moment).
        "QUIZ_GRACE_SECONDS": 30,
        # Printed on every certificate: who provides the CE, how to reach them (postal address
        # or email), and who signs: "Name|Title" entries separated by ";".
        **PLACEHOLDERS,
        # The clinics' API: requests a token may make in a minute, and how long its log of
        # requests is kept.
        "API_REQUESTS_PER_MINUTE": 120,
        "API_LOG_DAYS": 30,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # The job queue's broker (eduapp.jobs): a SQLite file for one machine; several app
        # servers share one Redis (redis://host:6379/0 or unix:///path/redis.sock).
        "QUEUE_URL": "sqlite:///" + os.path.join(instance_path, "queue.sqlite3"),
        # Webhooks (eduapp.webhooks): hosts exempt from the SSRF checks (a comma list), CA
        # certificates to trust besides the system's (None: the system's only), and how long
        # the deliveries log is kept.
        "WEBHOOK_ALLOW_HOSTS": "",
        "WEBHOOK_CA_FILE": None,
        "WEBHOOK_LOG_DAYS": 30,
    }


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, the instance file, the environment and ``overrides``."""
    app.config.update(defaults(app.instance_path))
    app.config.from_pyfile(os.path.join(app.instance_path, "config.py"), silent=True)
    for name in ENV_SETTINGS:
        value = os.environ.get(f"EDUAPP_{name}")
        if value:
            app.config[name] = value
    if overrides:
        app.config.update(overrides)

    if app.config["ENV"] not in ("development", "production"):
        raise ConfigError("EDUAPP_ENV must be 'development' or 'production'")
    for name, (low, high) in WHOLE_NUMBERS.items():
        app.config[name] = _whole_number(name, app.config[name], low, high)
    production = app.config["ENV"] == "production"
    if production:
        # Unset, or still a development placeholder: production must be told.
        missing = [
            f"EDUAPP_{n}"
            for n in REQUIRED_IN_PRODUCTION
            if not app.config.get(n) or app.config[n] == PLACEHOLDERS.get(n)
        ]
        if missing:
            raise ConfigError("production needs " + ", ".join(missing))
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        # __Host-: the browser accepts these only over HTTPS, for Path=/ and with no Domain, so
        # no subdomain or plain-HTTP page can plant or overwrite them.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["REMEMBER_NAME"] = "__Host-remember"
        from .webhooks.guard import production_check

        loopback = production_check(app.config.get("WEBHOOK_ALLOW_HOSTS") or "")
        if loopback:
            raise ConfigError(f"EDUAPP_WEBHOOK_ALLOW_HOSTS may not name loopback ({loopback})")
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))

    if app.config.get("CREDENTIAL_KEY"):
        _check_credential_key(app.config["CREDENTIAL_KEY"])
    app.config["BASE_URL"] = app.config["BASE_URL"].rstrip("/")
    # Certificates from a development installation say so, and print no approval numbers.
    app.config["CERTIFICATE_SAMPLE"] = not production
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )


def _whole_number(name: str, value: object, low: int, high: int) -> int:
    """The setting as an int from ``low`` to ``high``, else a ConfigError naming it."""
    text = str(value).strip()
    digits = not isinstance(value, bool) and text.isascii() and text.isdigit()
    if not digits or not low <= int(text) <= high:
        raise ConfigError(
            f"EDUAPP_{name} must be a whole number from {low} to {high}, not {text!r}"
        )
    return int(text)


def _development_secret(instance: Path) -> str:
    """Generate a secret once per checkout so development sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _check_credential_key(text: str) -> None:
    """Refuse to start with a key that cannot sign, rather than fail at the first certificate."""
    from .credentials.keys import CredentialKeyError, parse_private_key

    try:
        parse_private_key(text)
    except CredentialKeyError as error:
        raise ConfigError(f"EDUAPP_CREDENTIAL_KEY cannot sign credentials: {error}") from None
