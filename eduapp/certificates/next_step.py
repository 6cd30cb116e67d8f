"""What a learner does after passing a CE course's final: the evaluation, then the certificate.

The result page of the final asks here, so the way from a pass to a certificate is stated in
one place, in the order the certificates area enforces it (``views.evaluate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..extensions import db
from ..learn.services import course_progress
from ..models import Certificate, Course, CourseEvaluation, Module, User
from .issue import current_certificate


@dataclass(frozen=True)
class NextStep:
    """One step: ``modules`` (finish the course first), ``evaluate`` or ``certificate``."""

    kind: Literal["modules", "evaluate", "certificate"]
    module: Module | None = None  # the next unfinished module, for ``modules``
    certificate: Certificate | None = None  # for ``certificate``


def after_final(user: User, course: Course) -> NextStep | None:
    """The learner's next step after passing this course's final; None when the course has no
    certificate (no CE hours), so there is nothing more to ask for."""
    if not course.ce_hours:
        return None
    state = course_progress(course, user)
    if not state.completed:
        return NextStep("modules", module=state.next_module)
    certificate = current_certificate(user.id, course.id)
    if certificate is not None:
        return NextStep("certificate", certificate=certificate)
    # Evaluated but not yet issued (or revoked): the evaluation link issues it without asking.
    evaluated = db.session.execute(
        db.select(CourseEvaluation.id).filter_by(user_id=user.id, course_id=course.id)
    ).first()
    return NextStep("certificate" if evaluated else "evaluate")
