"""The review policy: when a learner may see an attempt's key, feedback and explanations.

Pure: decided from the quiz's ``review`` setting, the learner's standing and their attempt
limit, so each value can be tested without an app. Until the policy allows, the result page
shows the score and the learner's own answers, nothing that tells a right answer from a wrong
one (see ``review.hide_key``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..learn.quizstatus import QuizStatus
    from ..models import Quiz


def review_note(quiz: Quiz, allowed: int | None) -> str | None:
    """What the learner is told about when the answers appear (None: they already show).

    ``allowed`` is this learner's attempt limit, accommodations included.
    """
    if quiz.review == "after_pass":
        return "The right answers, feedback and explanations appear once you pass this quiz."
    if quiz.review == "after_last_attempt":
        if allowed is None:
            return (
                "This quiz allows unlimited attempts, so it never shows its answers: "
                "there is no last attempt to wait for."
            )
        return (
            "The right answers, feedback and explanations appear once you have submitted "
            f"all {allowed} of your attempts."
        )
    if quiz.review == "never":
        return "This quiz does not show its answers."
    return None


def key_visible(quiz: Quiz, status: QuizStatus, allowed: int | None) -> bool:
    """Whether the review policy lets this learner see the key, feedback and explanations.

    ``after_last_attempt`` waits for the learner's own limit (extra attempts granted as an
    accommodation included), counting submitted attempts only: while an attempt is open, or
    while attempts remain, the key would help with the next one. Unlimited attempts never
    reach a last one, so the key never shows.
    """
    if quiz.review == "immediately":
        return True
    if quiz.review == "after_pass":
        return status.passed
    if quiz.review == "after_last_attempt":
        return allowed is not None and status.submitted >= allowed
    return False


def key_may_leave_quiz(quiz: Quiz, status: QuizStatus, allowed: int | None) -> bool:
    """Whether a question's key may be shown anywhere outside its result page: as a review
    card, in a deck, in search or in a practice exam.

    The review policy first (one rule: ``key_visible``), and a final's pool is held back
    until the learner has passed it or used every attempt they have, whatever its ``review``
    setting says: a final set to show keys ``immediately`` still reveals its pool only on its
    own result page, never where a learner could study it before the next attempt.
    """
    if not key_visible(quiz, status, allowed):
        return False
    if quiz.is_final:
        return status.passed or (allowed is not None and status.submitted >= allowed)
    return True
