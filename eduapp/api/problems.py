"""API errors as ``application/problem+json`` (RFC 9457), for every error under /api/v1.

The site's error handlers (``eduapp.errors``) ask :func:`is_api_request` first, so an unknown
path under /api/v1, a 405 or a 413 there is a problem document too, while every other page
keeps its HTML error page.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Response, json, request
from flask_smorest import abort
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

PREFIX = "/api/v1"
MEDIA_TYPE = "application/problem+json"


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def problem(status: int, detail: str, **extra: Any) -> Response:
    """A problem document; ``type`` is about:blank, so ``title`` is the status's own name."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response


def fail(status: int, detail: str, **data: Any) -> NoReturn:
    """Stop the request with a problem: ``errors`` (by field) and ``headers`` as given."""
    abort(status, message=detail, **data)
    raise AssertionError  # abort raises


def _field_errors(messages: Any) -> dict[str, Any]:
    """webargs' messages ({location: {field: [...]}} or {location: [...]}) by field."""
    errors: dict[str, Any] = {}
    if isinstance(messages, dict):
        for location, found in messages.items():
            if isinstance(found, dict):
                errors.update(found)
            else:
                errors[location] = found
    return errors


def from_exception(error: HTTPException) -> Response:
    """The problem document for an HTTP error raised anywhere under /api/v1."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    extra: dict[str, Any] = {}
    errors = data.get("errors") or _field_errors(data.get("messages"))
    if errors:
        extra["errors"] = errors
        detail = "Check these fields: " + ", ".join(sorted(errors)) + "."
    elif data.get("message"):
        detail = data["message"]
    elif error.description and error.description != type(error).description:
        detail = error.description  # a specific reason given with abort(code, reason)
    else:
        detail = DETAILS.get(code, error.description or "")
    response = problem(code, detail, **extra)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if error.code == 405 and (allowed := getattr(error, "valid_methods", None)):
        response.headers["Allow"] = ", ".join(allowed)
    return response


DETAILS = {
    400: "The request could not be understood.",
    401: "Send a live API token: Authorization: Bearer <token>.",
    403: "This token may not do that.",
    404: "There is nothing here, or nothing this token may see.",
    405: "This method is not available on this path.",
    413: "The request body is larger than we accept.",
    429: "Too many requests with this token; wait and try again.",
    500: "An unexpected error occurred. It has been logged.",
}
