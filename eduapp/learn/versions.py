"""A learner and the course's newer versions: what moving would keep, and the move itself.

A learner keeps the version they started until they complete it; they may choose to move to
the newest one before that. Moving keeps every completed (or read) module whose content hash is
the same in both versions, so a wording fix in one module costs them that module only.
Attempts are counted across versions (``quiz.tries``), so a move never buys more tries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..extensions import db
from ..models import Attempt, AttemptStatus, CourseVersion, Module, ModuleProgress, Quiz
from .services import CourseProgress


class MoveRefused(Exception):
    """Why this learner cannot move now, in words for them."""


@dataclass
class NewerVersion:
    version: CourseVersion
    # Titles of the learner's completed modules that stay complete, and those they would redo.
    kept: list[str] = field(default_factory=list)
    redo: list[str] = field(default_factory=list)
    # New module ids whose progress carries over, by the old module's id.
    carried: dict[int, int] = field(default_factory=dict)


def newer_version(state: CourseProgress) -> NewerVersion | None:
    """The newest version, if this enrolled, unfinished learner is on an older one."""
    enrolment, course = state.enrolment, state.course
    if (
        enrolment is None
        or enrolment.completed_at is not None
        or course.current_version_id is None
        or enrolment.version_id == course.current_version_id
    ):
        return None
    newer = NewerVersion(db.session.get_one(CourseVersion, course.current_version_id))
    targets = {
        (slug, digest): module_id
        for module_id, slug, digest in db.session.execute(
            db.select(Module.id, Module.slug, Module.content_hash).filter_by(
                version_id=newer.version.id, retired=False
            )
        )
    }
    for module in state.modules:
        row = state.progress.get(module.id)
        if row is None or row.read_at is None:
            continue
        target = targets.get((module.slug, module.content_hash))
        if target is not None and module.content_hash is not None:
            newer.carried[module.id] = target
            if row.completed_at is not None:
                newer.kept.append(module.title)
        elif row.completed_at is not None:
            newer.redo.append(module.title)
    return newer


def move_to_newest(state: CourseProgress) -> NewerVersion:
    """Move the learner to the newest version, carrying progress on unchanged modules."""
    newer = newer_version(state)
    if newer is None or state.enrolment is None:
        raise MoveRefused("You are already on the newest version of this course.")
    open_attempt = db.session.execute(
        db.select(Attempt.id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == state.enrolment.user_id,
            Attempt.status == AttemptStatus.IN_PROGRESS,
            Quiz.version_id == state.enrolment.version_id,
        )
    ).first()
    if open_attempt is not None:
        raise MoveRefused(
            "You have a quiz attempt in progress: submit it first, then move to the new version."
        )
    for old_id, new_id in newer.carried.items():
        row = state.progress[old_id]
        db.session.add(
            ModuleProgress(
                user_id=row.user_id,
                module_id=new_id,
                read_at=row.read_at,
                completed_at=row.completed_at,
            )
        )
    state.enrolment.version_id = newer.version.id
    return newer
