"""What an export request's ``kind`` builds, and how its file is named and served: the one
registry every area adds its kinds to (:func:`register`), which ``build_export`` reads.

A request is about one subject, a clinic or a course (``ExportRequest.subject_id``); a kind
says which (:attr:`ExportKind.scope`), so a request for it records the right id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from flask import current_app

from ..models import User
from ..models.export import ExportRequest

Filters = dict[str, str | None]
Scope = Literal["clinic", "course"]


class Refused(Exception):
    """Raised by a build when the person who asked may no longer see what it would hold (no
    longer manages the course, say): the request is marked refused and not tried again."""


@dataclass(frozen=True)
class ExportKind:
    title: str  # on the request's page
    link: str  # its download link's text
    prefix: str  # of the downloaded file's name
    mimetype: str
    suffix: str
    # The file's bytes: (subject id, filters=None, asker's user id=None). The job passes all
    # three; a kind reads what it needs.
    build: Callable[..., Iterable[bytes]]
    # Whether this person may still see the subject's data (manages the clinic, or the
    # course): checked when the job builds and whenever the file is offered, so a manager
    # removed after asking gets neither.
    may_see: Callable[[User, int], bool]
    scope: Scope = "clinic"
    filtered: bool = False  # built from the dashboard's filters, which the request records
    ordered: bool = False  # in the dashboard's order too
    # Before the build, in its own transaction: brings what it reads up to date (a clinic's
    # stored summaries); True when it wrote, so the job commits.
    prepare: Callable[[int, Filters | None], bool] | None = None
    # Writes that belong with the finished file, in the transaction that marks it ready: given
    # the request and what ``build`` returned once read (the gradebook records who saw whom).
    settle: Callable[[ExportRequest, Iterable[bytes]], None] | None = None
    # A sentence on the request's page saying what it holds; None says nothing.
    describe: Callable[[ExportRequest], str | None] | None = None

    def filename(self, row: ExportRequest) -> str:
        return f"{self.prefix}-{row.subject_id}-{row.id}.{self.suffix}"


KINDS: dict[str, ExportKind] = {}


def register(name: str, kind: ExportKind) -> ExportKind:
    """Add a kind under the name requests record; a name is an area's for good (queued and
    stored requests carry it), so registering it twice is a mistake."""
    if KINDS.get(name, kind) is not kind:
        raise ValueError(f"export kind {name!r} is registered already")
    KINDS[name] = kind
    return kind


def exports_dir() -> Path:
    return Path(current_app.config["FILES_DIR"]) / "exports"
