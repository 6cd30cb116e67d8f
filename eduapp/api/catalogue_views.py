"""The platform's side: courses for anyone holding a token (a manager needs their ids to
assign them), and, for admins' tokens with the admin scope, drafts and every certificate."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import guard, readers
from .clinic_views import paged
from .guard import api_blueprint
from .problems import fail
from .schemas import CertificatePage, CourseSchema, SinceArgs
from .tokens import ADMIN

blp = api_blueprint("api_catalogue", __name__, tag="Courses")


def _admin() -> bool:
    """An admin's token with the admin scope; both are checked on every request, so a token
    outlives neither the scope nor its owner's admin role."""
    return guard.user().is_admin and ADMIN in guard.token().scopes


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 for any token but an admin's with the admin scope, before the request's
    arguments are read: such a token hears 403 whatever it sent."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not _admin():
            fail(403, "Only an admin's token with the scope admin:read lists every certificate.")
        return view(*args, **kwargs)

    return checked


@blp.get("/courses")
@blp.response(200, CourseSchema(many=True))
def courses() -> list[dict[str, Any]]:
    """Published courses; an admin token with admin:read also sees drafts."""
    return readers.courses(include_drafts=_admin())


@blp.get("/certificates", tags=["Certificates"])
@admin_only
@blp.arguments(SinceArgs, location="query", as_kwargs=True)
@blp.response(200, CertificatePage)
def certificates(since: Any, limit: int, cursor: str | None = None) -> readers.Page:
    """Every certificate issued since a date, oldest first (admins, scope admin:read)."""
    return paged(readers.certificates, None, since, cursor, limit)
