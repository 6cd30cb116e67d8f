"""A learner's choice to share their results in a course with its owners and co-authors.

Results are private by default: owners see aggregates only, and a learner's own row only
while the learner shares (``Enrolment.results_shared_at``). The choice lives on the
enrolment, so it is per course, and withdrawing it clears the stamp: the gradebook reads it on
every request, so the learner disappears from owners' views at once.
"""

from __future__ import annotations

from ..clock import now
from ..models import Enrolment


def set_sharing(enrolment: Enrolment, share: bool) -> bool:
    """Record the learner's choice; whether it changed anything (a repeat keeps the first
    stamp, so "sharing since" stays true)."""
    if share == (enrolment.results_shared_at is not None):
        return False
    enrolment.results_shared_at = now() if share else None
    return True
