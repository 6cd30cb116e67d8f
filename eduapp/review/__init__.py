"""Spaced review: cards of what a learner missed and of the key points authors mark, scheduled
with FSRS, reviewed at ``/review``. Reviews are their own records: they never touch grades,
completion, attempt counts or item statistics."""
