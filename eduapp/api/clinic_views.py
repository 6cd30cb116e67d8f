"""Reading a clinic: its staff's compliance, their completions and certificates.

A clinic answers 404 to any token whose owner does not manage it, admins' included, exactly
as the clinic's pages do; a token of its manager without the scope gets 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..models import Clinic
from . import guard, paging, readers
from .guard import api_blueprint
from .problems import fail
from .schemas import (
    CertificatePage,
    ClinicSchema,
    CompletionPage,
    PageArgs,
    SinceArgs,
    StaffPage,
)
from .tokens import COMPLETIONS, COMPLIANCE

blp = api_blueprint("api_clinics", __name__, tag="Clinics")
BAD_CURSOR = {"errors": {"cursor": ["Not a cursor this list gave; start again without it."]}}


def clinic_or_404(clinic_id: int, scope: str) -> Clinic:
    """The token owner's clinic, then the scope: another clinic is indistinguishable from
    none at all."""
    clinic = readers.clinic_for(guard.user(), clinic_id)
    if clinic is None:
        fail(404, "No clinic with this id that this token's owner manages.")
    guard.require(scope)
    return clinic


def for_clinic(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The view gets the token owner's clinic in place of ``clinic_id``, checked (404, then
    403 without ``scope``) before flask-smorest reads the request's arguments, so a token
    without the scope hears 403 whatever it sent, never 422 about what the route accepts.
    Goes directly under the route, above ``arguments`` and ``response``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def checked(*args: Any, clinic_id: int, **kwargs: Any) -> Any:
            return view(*args, clinic=clinic_or_404(clinic_id, scope), **kwargs)

        return checked

    return decorate


def paged(read: Any, *args: Any) -> readers.Page:
    try:
        return read(*args)  # type: ignore[no-any-return]
    except paging.BadCursor:
        fail(400, "The cursor was altered or belongs to another list.", **BAD_CURSOR)


@blp.get("/clinics")
@blp.response(200, ClinicSchema(many=True))
def clinics() -> list[dict[str, Any]]:
    """The clinics this token's owner manages."""
    return readers.clinics(guard.user())


@blp.get("/clinics/<int:clinic_id>/staff", tags=["Staff"])
@for_clinic(COMPLIANCE)
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, StaffPage)
def staff(clinic: Clinic, limit: int, cursor: str | None = None) -> readers.Page:
    """Staff who share their CE with the clinic, with each licence's compliance (scope
    compliance:read)."""
    return paged(readers.staff, clinic.id, cursor, limit)


@blp.get("/clinics/<int:clinic_id>/completions", tags=["Completions"])
@for_clinic(COMPLETIONS)
@blp.arguments(SinceArgs, location="query", as_kwargs=True)
@blp.response(200, CompletionPage)
def completions(clinic: Clinic, since: Any, limit: int, cursor: str | None = None) -> readers.Page:
    """Courses the staff completed since a date, oldest first (scope completions:read)."""
    return paged(readers.completions, clinic.id, since, cursor, limit)


@blp.get("/clinics/<int:clinic_id>/certificates", tags=["Certificates"])
@for_clinic(COMPLETIONS)
@blp.arguments(SinceArgs, location="query", as_kwargs=True)
@blp.response(200, CertificatePage)
def certificates(clinic: Clinic, since: Any, limit: int, cursor: str | None = None) -> readers.Page:
    """Certificates issued to the staff since a date, oldest first, revoked ones marked
    (scope completions:read)."""
    return paged(readers.certificates, clinic.id, since, cursor, limit)
