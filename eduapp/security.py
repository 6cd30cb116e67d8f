"""Request checks that run before any view, and the hardening headers every page carries."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# A DNS name (labels of letters, digits and hyphens), an IPv4 address or a bracketed IPv6
# address, with an optional port. 253 characters is DNS's own limit for a name.
HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
    r"[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?"
)
HOST_MAX = 253 + len(":65535")
BAD_HOST_BODY = b"400 Bad Request: the Host header is not a valid host name.\n"


def host_is_valid(host: str) -> bool:
    return len(host) <= HOST_MAX and HOST.fullmatch(host) is not None


class HostCheck:
    """WSGI middleware: refuse a missing, oversized or malformed ``Host`` with a plain 400.

    It runs before Flask, because Werkzeug cannot bind the URL map to such a host, and then
    even the error page (which builds links) would fail.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not host_is_valid(host):
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(BAD_HOST_BODY))),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return [BAD_HOST_BODY]
        return self.wsgi_app(environ, start_response)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Endpoints that take a file, and the body they allow; every other form keeps
# MAX_CONTENT_LENGTH. Set before anything parses the form, or the small limit answers 413.
UPLOAD_LIMITS: dict[str, int] = {}
# Endpoints whose text fields may be longer than MAX_FORM_MEMORY_SIZE (a module's Markdown).
TEXT_LIMITS: dict[str, int] = {}


def allow_upload(endpoint: str, max_bytes: int) -> None:
    UPLOAD_LIMITS[endpoint] = max_bytes


def allow_long_text(endpoint: str, max_bytes: int) -> None:
    """Let one endpoint's form carry text up to ``max_bytes`` (encoded), in body and field."""
    TEXT_LIMITS[endpoint] = max_bytes


def form_has_control_characters() -> bool:
    """NUL and other control characters never belong in a form; PostgreSQL refuses NUL."""
    return any(CONTROL.search(v) for values in request.form.listvalues() for v in values)


def query_has_control_characters() -> bool:
    """The same for the query string: a search box's ``?q=`` or ``?code=`` goes into SQL
    as a parameter, and a NUL there made PostgreSQL raise (a 500) where SQLite matched
    nothing."""
    return any(CONTROL.search(v) for values in request.args.listvalues() for v in values)


def form_is_utf8() -> bool:
    """Werkzeug keeps undecodable %-escapes as text; we refuse them instead of storing junk."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return True
    for pair in request.get_data(cache=True).split(b"&"):
        try:
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def init_app(app: Flask) -> None:
    proxies = int(app.config["TRUSTED_PROXIES"])
    if not proxies and app.config["ENV"] == "production":
        app.logger.warning(
            "EDUAPP_TRUSTED_PROXIES is 0: behind a reverse proxy every client shares the proxy's "
            "address, and ten failed sign-ins from anyone would block sign-in for everyone"
        )
    app.wsgi_app = HostCheck(app.wsgi_app)  # type: ignore[method-assign]
    if proxies:
        # Behind N proxies, the client's address (used for sign-in limits) is in X-Forwarded-For.
        # The forwarded host becomes Host here, so HostCheck (inside) checks it too.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    @app.before_request
    def _refuse_non_utf8() -> None:
        if request.endpoint in UPLOAD_LIMITS:
            request.max_content_length = UPLOAD_LIMITS[request.endpoint]
        if request.endpoint in TEXT_LIMITS:
            request.max_content_length = TEXT_LIMITS[request.endpoint]
            request.max_form_memory_size = TEXT_LIMITS[request.endpoint]
        if request.method == "POST" and not form_is_utf8():
            abort(400, "The form contained text that is not valid UTF-8.")
        if request.method == "POST" and form_has_control_characters():
            abort(
                400, "The form contained control characters (such as NUL), which we do not accept."
            )
        if query_has_control_characters():
            abort(
                400,
                "The address contained control characters (such as NUL), which we do not accept.",
            )

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_user and current_user.is_authenticated:
            # Personal pages must not be shown again from a shared computer's cache.
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config["ENV"] == "production":
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
