"""Cards follow the version each learner takes (``learn.versions``).

Run when /review or My learning opens, before anything is counted for the page: a card whose
question (or key point) is not in the learner's version is retired (kept, not shown); one
whose content hash differs there starts again from new with that version's content; an
unchanged one just points at the new rows and keeps its schedule. Comparing with the
learner's own version, not only on a move, also catches a question withdrawn in place.
"""

from __future__ import annotations

import copy
from typing import Any

from ..clock import now
from ..extensions import db
from ..learn import structure
from ..models import CardKind, Course, Enrolment, ReviewCard, User
from .cards import keypoint_content
from .content import keypoint_hash
from .scheduler import new_schedule


def _reset(card: ReviewCard, content: Any, digest: str) -> None:
    card.content = copy.deepcopy(dict(content))  # the version's shape is shared: never alias it
    card.content_hash = digest
    for name, value in new_schedule(now()).items():
        setattr(card, name, value)


def _place(
    card: ReviewCard,
    version_id: int,
    question_id: int | None,
    content: Any,
    digest: str,
    module_id: Any,
) -> None:
    """Point the card at its rows in ``version_id``; reset it when the content changed."""
    if digest != card.content_hash:
        _reset(card, content, digest)
    card.version_id = version_id
    card.retired = False
    card.module_id = module_id
    if card.kind == CardKind.QUESTION:
        card.question_id = question_id


def follow_versions(user: User) -> None:
    cards = list(db.session.execute(db.select(ReviewCard).filter_by(user_id=user.id)).scalars())
    if not cards:
        return
    # The version each card's course is taken in: the learner's enrolment, or (not enrolled,
    # as ``learn.services.version_id_for``) the newest published one.
    course_ids = {c.course_id for c in cards}
    versions = {
        course_id: version_id
        for course_id, version_id in db.session.execute(
            db.select(Course.id, Course.current_version_id).where(Course.id.in_(course_ids))
        )
        if version_id is not None
    }
    versions.update(
        db.session.execute(
            db.select(Enrolment.course_id, Enrolment.version_id).where(
                Enrolment.user_id == user.id, Enrolment.course_id.in_(course_ids)
            )
        ).all()
    )
    questions: dict[int, dict[tuple[str, str], structure.QuestionShape]] = {}
    modules: dict[tuple[int, str], Any] = {}
    if any(c.kind == CardKind.QUESTION for c in cards) and versions:
        questions = structure.question_shapes(versions.values())
    if any(c.kind == CardKind.KEYPOINT for c in cards) and versions:
        for version_id, content in structure.version_contents(versions.values()).items():
            for module in content.modules:
                modules[(version_id, module.slug)] = module
    for card in cards:
        version_id = versions.get(card.course_id)
        if version_id is None:  # a course with no published version: leave the card
            continue
        container, _, key = card.item.partition("/")
        if card.kind == CardKind.QUESTION:
            shape = questions.get(version_id, {}).get((container, key))
            if shape is None:
                card.retired = True
                continue
            _place(
                card, version_id, shape.question_id, shape.snapshot, shape.digest, shape.module_id
            )
        else:
            module = modules.get((version_id, container))
            point = next((p for p in module.keypoints if p["id"] == key), None) if module else None
            if module is None or point is None:
                card.retired = True
                continue
            content = keypoint_content(module, point)
            digest = keypoint_hash(content["title"], content["html"])
            _place(card, version_id, None, content, digest, module.id)
    db.session.flush()
