"""The clinics' API at /api/v1: flask-smorest blueprints on the site's own app.

flask-smorest writes the OpenAPI 3.1 document from the views' schemas. Its own error
handler would answer every error of the whole site in JSON, so it is not registered: the
site's handlers answer problem documents under /api/v1 and pages everywhere else.
"""

from __future__ import annotations

import http

import flask_smorest
from flask import Flask
from flask_smorest.utils import prepare_response

from ..extensions import csrf
from .problems import MEDIA_TYPE
from .schemas import ProblemSchema


class Api(flask_smorest.Api):  # type: ignore[misc]
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """None: ``eduapp.errors`` answers problem documents under /api/v1."""

    def _register_responses(self) -> None:
        """flask-smorest's error responses, documented as the problem documents they are."""
        for status in http.HTTPStatus:
            response: dict[str, object] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    from . import catalogue_views, clinic_views, docs, manage_views, webhook_views
    from .guard import BEARER, TAGS

    app.config.update(
        API_TITLE="eduapp clinics API",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Read your clinics' compliance, completions and certificates, "
                "and manage invitations, assignments and webhook endpoints, with a personal "
                "access token (Account → API tokens). Errors are application/problem+json "
                "(RFC 9457)."
            },
            "servers": [{"url": app.config["BASE_URL"]}],
            "security": [{"bearer": []}],
            # In place of the blueprints' names flask-smorest lists (apispec's top-level keys
            # replace what it built).
            "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        },
    )
    api = Api(app)
    api.spec.components.security_scheme("bearer", BEARER)
    blueprints = (clinic_views.blp, manage_views.blp, webhook_views.blp, catalogue_views.blp)
    for blueprint in blueprints:
        csrf.exempt(blueprint)  # a bearer token, never a cookie: nothing to forge
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
