"""The browsable API documentation at /api/v1/docs: Swagger UI, vendored under
static/vendor/swagger-ui (see its VERSION file), started by a static script.

The page keeps the site's strict Content-Security-Policy: Swagger UI 5.35 needs nothing more
(no inline script or style, no eval, nothing from elsewhere; tests/browser/test_api_docs.py
fails on any CSP report), so relaxing it for this page would be more than needed. A later
version that needs more should set its own header here, for this page only.
"""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/docs")
def docs() -> str:
    return render_template("api/docs.html")
