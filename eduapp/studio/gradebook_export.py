"""The gradebook's learners CSV as an export kind (eduapp.exports): every learner's row the
asker may see, on every page, built by the ``build_export`` job so that a course with
thousands of learners keeps no request waiting.

The rows are chosen when the job reads them, by the rule the page follows
(``gradebook_rows``): an admin gets every enrolled learner with their email, an owner or
co-author only learners who share, without. The asker must still manage the course then; if
they no longer do, nothing is built (refused). The record of who saw which learners
(``GradebookView``, "csv") is written with the finished file, in the transaction that marks it
ready: the learners in the file are exactly the learners recorded, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..exports.kinds import ExportKind, Refused, register
from ..exports.services import record_request
from ..extensions import db
from ..models import Course, User
from ..models.export import ExportRequest
from ..models.gradebook import CSV
from . import gradebook, gradebook_rows
from .gradebook_csv import learners_csv
from .owners import can_manage

KIND = "gradebook-learners"


class LearnersFile:
    """The CSV's bytes for one asker, and once read, whom it showed and in which capacity."""

    def __init__(self, course_id: int, asker_id: int) -> None:
        self.course_id, self.asker_id = course_id, asker_id
        self.shown: list[int] = []
        self.as_admin = False

    def __iter__(self) -> Iterator[bytes]:
        # The job has checked that the asker still manages the course (``may_see``), in
        # this transaction.
        course = db.session.get_one(Course, self.course_id)
        asker = db.session.get_one(User, self.asker_id)
        self.as_admin = asker.is_admin
        rows = gradebook_rows.learner_rows(course, self.as_admin)
        self.shown = [row.user_id for row in rows]
        columns = gradebook.quiz_columns(course)
        yield learners_csv(rows, columns, with_email=self.as_admin).encode("utf-8")


def _build(course_id: int, _filters: object = None, asker_id: int | None = None) -> LearnersFile:
    if asker_id is None:
        raise Refused("nobody asked for it.")
    return LearnersFile(course_id, asker_id)


def _manages(user: User, course_id: int) -> bool:
    return can_manage(user, db.session.get_one(Course, course_id))


def _record(row: ExportRequest, built: Iterable[bytes]) -> None:
    assert isinstance(built, LearnersFile)
    course = db.session.get_one(Course, row.course_id)
    asker = db.session.get_one(User, row.user_id)
    gradebook_rows.record_view(course, asker, built.shown, built.as_admin, CSV)


def _describe(_row: ExportRequest) -> str:
    return (
        "Every learner whose results you may see when it is built, on every page: admins see "
        "everyone with their email, owners and co-authors only learners who share. Building "
        "it is recorded with your name, and each learner in it sees that you looked."
    )


register(
    KIND,
    ExportKind(
        "Gradebook learners (CSV)",
        "Download the gradebook learners (CSV)",
        "gradebook-learners",
        "text/csv",
        "csv",
        _build,
        _manages,
        scope="course",
        settle=_record,
        describe=_describe,
    ),
)


def request_learners_csv(course: Course, asker: User) -> ExportRequest:
    """Record the request of someone who manages the course (checked by the caller); its job
    is enqueued once the caller commits."""
    return record_request(KIND, asker, course.id)
