"""Every API request: a bearer token (never the session cookie), its scope, the per-token
rate limit, the log of its use, and ETags on what GETs answer.

Registered on each API blueprint, so the document and the docs page need no token.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, NoReturn

from flask import Response, current_app, g, request
from flask_smorest import Blueprint

from ..database import begin_write
from ..extensions import db
from ..models import ApiToken, User
from . import tokens
from .problems import fail

BEARER = {"type": "http", "scheme": "bearer", "description": "A personal access token."}
# The document's sections, in the order the docs page shows them. flask-smorest would name
# each after its blueprint ("api_clinics"); a reader looks for the thing, not our module.
TAGS = {
    "Clinics": "The clinics your token's owner manages: their ids are in every clinic path.",
    "Staff": "A clinic's staff who share their CE with it, with each licence's compliance "
    "(scope compliance:read).",
    "Completions": "Courses a clinic's staff completed since a date (scope completions:read).",
    "Certificates": "Certificates issued since a date: a clinic's staff's (scope "
    "completions:read), or every one for an admin's token (scope admin:read).",
    "Invitations": "Invite people to a clinic's staff, list and revoke invitations (scope "
    "staff:manage).",
    "Assignments": "Courses a clinic asks its staff to complete by a date (scope staff:manage).",
    "Webhooks": "Where a clinic's events are POSTed (docs/webhooks.md): register an endpoint "
    "(its signing secret is answered once), pause or resume it, delete it (scope "
    "webhooks:manage).",
    "Courses": "The published courses, whose ids assignments take; drafts too for an "
    "admin's token.",
}


class ApiBlueprint(Blueprint):  # type: ignore[misc]
    """Every route documents the errors every route may answer, under one of :data:`TAGS`
    (the blueprint's own unless the route names another)."""

    def __init__(self, *args: Any, tag: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag = tag

    def route(self, rule: str, *, parameters: Any = None, **options: Any) -> Any:
        options.setdefault("tags", [self.tag])
        unknown = set(options["tags"]) - set(TAGS)
        if unknown:
            raise ValueError(f"API tags not in guard.TAGS: {sorted(unknown)}")
        register = super().route(rule, parameters=parameters, **options)

        def documented(func: Any) -> Any:
            for code in (401, 403, 404, 429):
                func = self.alt_response(code, response=HTTPStatus(code).name)(func)
            return func

        def decorator(view: Any) -> Any:
            if isinstance(view, type):  # a MethodView: each method's own documentation
                for method in view.methods or ():
                    name = method.lower()
                    setattr(view, name, documented(getattr(view, name)))
                return register(view)
            return register(documented(view))

        return decorator


def api_blueprint(name: str, import_name: str, tag: str) -> Blueprint:
    """An API blueprint whose routes are listed under ``tag`` (one of :data:`TAGS`, which
    holds the descriptions) unless they name another."""
    blp = ApiBlueprint(name, import_name, url_prefix="/api/v1", tag=tag)
    blp.before_request(_authenticate)
    blp.after_request(_finish)
    return blp


def _unauthorised(detail: str) -> NoReturn:
    fail(401, detail, headers={"WWW-Authenticate": 'Bearer realm="eduapp"'})


def _authenticate() -> None:
    """Only the Authorization header counts: a browser's session cookie alone is a 401, so no
    other site can make a signed-in person's browser call the API."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _unauthorised("Send a live API token: Authorization: Bearer <token>.")
    begin_write()  # SQLite: the log's write lock first, so a busy moment queues, not fails
    found = tokens.authenticate(secret.strip())
    if found is None:
        _unauthorised("This token is not valid: it is unknown, expired or revoked.")
    row, user = found
    try:
        use = tokens.record_use(
            row,
            request.method,
            request.path,
            current_app.config["API_REQUESTS_PER_MINUTE"],  # ints: eduapp.config checks
            current_app.config["API_LOG_DAYS"],
        )
    except tokens.RateLimited as limited:
        db.session.commit()  # the refused request is logged too
        fail(
            429,
            "Too many requests with this token; wait and try again.",
            headers={"Retry-After": str(limited.retry_after)},
        )
    db.session.commit()  # the count is right for the next request, on any server
    g.api_token, g.api_user, g.api_use_id = row, user, use.id


def token() -> ApiToken:
    return g.api_token  # type: ignore[no-any-return]


def user() -> User:
    return g.api_user  # type: ignore[no-any-return]


def require(scope: str) -> None:
    """403 unless the token carries ``scope``."""
    if scope not in token().scopes:
        fail(403, f"This token lacks the scope {scope}.")


def _finish(response: Response) -> Response:
    if request.method == "GET" and response.status_code == 200:
        response.add_etag()  # of the body: any change to what a client sees changes it
        response.make_conditional(request)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Authorization")
    use_id = g.pop("api_use_id", None)
    if use_id is not None:
        if response.status_code >= 400:
            db.session.rollback()  # whatever a failed request added is not kept
        tokens.finish_use(use_id, response.status_code)
        db.session.commit()
    return response


def etag_headers() -> dict[str, Any]:
    """What the document says every GET answers besides its body."""
    return {"ETag": {"schema": {"type": "string"}}}
