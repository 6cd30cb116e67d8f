"""A clinic's large exports, registered as export kinds (eduapp.exports) so the
``build_export`` job builds them with no request waiting: a ZIP of every staff member's
certificates and transcripts (the audit pack), assessing every staff member (the compliance
CSV, seconds at 10,000 staff), reading every completion.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..exports.kinds import KINDS, ExportKind, Filters, register
from ..exports.services import record_request
from ..models import Clinic, User
from ..models.export import ExportRequest
from . import exports
from .dashboard import SORT_LABELS
from .scope import is_manager
from .summaries import refresh_stale

__all__ = ["KINDS", "describe", "request_export"]


def describe(row: ExportRequest) -> str | None:
    """Whom the export holds, in the words of the dashboard it was asked from; None for one
    that takes no filters (the audit pack: everyone)."""
    filters = row.filters
    if filters is None:
        return None
    chosen = []
    if filters.get("status"):
        chosen.append(f"status “{filters['status']}”")
    if filters.get("q"):
        chosen.append(f"a name or email containing “{filters['q']}”")
    who = "Staff with " + " and ".join(chosen) if chosen else "All staff who share their CE"
    sort = filters.get("sort")
    order = f", sorted by {SORT_LABELS[sort].lower()}" if sort in SORT_LABELS else ""
    return f"{who}{order}: the dashboard's filters when this was asked for."


def _utf8(lines: Iterator[str]) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8")


def _refresh(clinic_id: int, filters: Filters | None) -> bool:
    """The filters read the stored summaries, as the dashboard does: stale ones first."""
    return filters is not None and refresh_stale(clinic_id)


register(
    "audit-pack",
    ExportKind(
        "Audit pack",
        "Download the audit pack (ZIP)",
        "audit-pack",
        "application/zip",
        "zip",
        lambda clinic_id, _filters=None, _asker=None: exports.stream_zip(
            exports.audit_entries(clinic_id)
        ),
        is_manager,
    ),
)
register(
    "dashboard",
    ExportKind(
        "Compliance (CSV)",
        "Download the compliance CSV",
        "compliance",
        "text/csv",
        "csv",
        lambda clinic_id, filters=None, _asker=None: _utf8(
            exports.dashboard_csv(clinic_id, filters)
        ),
        is_manager,
        filtered=True,
        ordered=True,
        prepare=_refresh,
        describe=describe,
    ),
)
register(
    "completions",
    ExportKind(
        "Completions (CSV)",
        "Download the completions (CSV)",
        "completions",
        "text/csv",
        "csv",
        lambda clinic_id, filters=None, _asker=None: _utf8(
            exports.completions_csv(clinic_id, filters)
        ),
        is_manager,
        filtered=True,
        prepare=_refresh,
        describe=describe,
    ),
)


def request_export(
    clinic: Clinic,
    manager: User,
    kind: str,
    status: str | None = None,
    text: str = "",
    sort: str = "status",
) -> ExportRequest:
    """Record the manager's request for one of the clinic's kinds, with the dashboard's
    filters where the kind is built from them (already checked by the caller); its job is
    enqueued once the caller commits."""
    export = KINDS.get(kind)
    if export is None or export.scope != "clinic":
        raise ValueError(f"unknown export {kind!r}")
    filters: Filters | None = None
    if export.filtered:
        filters = {"status": status, "q": text, **({"sort": sort} if export.ordered else {})}
    return record_request(kind, manager, clinic.id, filters)
