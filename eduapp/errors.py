"""Friendly error pages; no stack trace ever reaches a user."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .api import problems
from .api.problems import is_api_request
from .extensions import db

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Not allowed", "You do not have permission to see this page."),
    404: ("Page not found", "We could not find that page. It may have moved or never existed."),
    405: ("Not allowed", "That action is not available here."),
    413: ("Too large", "What you sent is larger than we accept."),
    429: ("Too many tries", "Too many attempts in a short time. Please wait and try again."),
    500: ("Something went wrong", "An unexpected error occurred. It has been logged."),
}


def error_page(code: int, title: str, message: str) -> tuple[str | Response, int]:
    """The error page, or plain text if even it cannot be drawn: an error page never fails."""
    try:
        return render_template("errors/error.html", code=code, title=title, message=message), code
    except Exception:
        current_app.logger.exception("the error page for %s failed; answered in plain text", code)
        return Response(f"Error {code}: {title}. {message}\n", mimetype="text/plain"), code


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
    return error_page(
        400,
        "Form expired",
        "Your form could not be verified (missing or expired security token). "
        "Please reload the page and try again.",
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[str | Response, int]:
    if is_api_request():  # the API's clients read problem documents, not pages
        response = problems.from_exception(error)
        return response, response.status_code
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or ""))
    if error.description and error.description != type(error).description:
        message = error.description  # a specific reason given with abort(code, reason)
    return error_page(code, title, message)


@bp.app_errorhandler(500)
def server_error(error: Exception) -> tuple[str | Response, int]:
    # After a database error the session must be rolled back before the page (whose menu
    # reads the signed-in user) can run a query; otherwise the page falls back to plain text.
    db.session.rollback()
    if is_api_request():
        return problems.problem(500, problems.DETAILS[500]), 500
    title, message = MESSAGES[500]
    return error_page(500, title, message)
