"""Queries behind the learner's pages. No request, no current_user, no commit."""

from __future__ import annotations

from collections.abc import Sequence

from ..extensions import db
from ..models import Course


def published_courses() -> Sequence[Course]:
    """The catalogue: published courses, with their counts denormalised at import (one query)."""
    return (
        db.session.execute(db.select(Course).filter_by(status="published").order_by(Course.title))
        .scalars()
        .all()
    )
