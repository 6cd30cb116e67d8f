"""Enqueue after commit: a job for a row exists only once the row does.

A service calls :func:`defer` with the job's name and arguments (a model instance stands for
its id, known only after the flush). The list lives on the session; ``before_commit`` flushes
and turns instances into ids, ``after_commit`` enqueues, a rollback forgets. If the broker
cannot be reached then, the commit stands and the periodic sweeps find the rows.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

KEY = "eduapp_jobs_after_commit"


def defer(name: str, args: tuple[Any, ...]) -> None:
    from ..extensions import db

    db.session().info.setdefault(KEY, []).append((name, args))


@functools.cache
def init_app() -> None:
    """Listen on every session once per process (the listeners act only where work waits)."""
    event.listen(Session, "before_commit", _resolve)
    event.listen(Session, "after_commit", _enqueue)
    event.listen(Session, "after_soft_rollback", _forget)


def _resolve(session: Session) -> None:
    waiting = session.info.get(KEY)
    if not waiting or session.in_nested_transaction():
        return  # a savepoint released: the rows are not committed yet
    if any(hasattr(arg, "__table__") for _name, args in waiting for arg in args):
        session.flush()
    resolved = [
        (name, tuple(arg.id if hasattr(arg, "__table__") else arg for arg in args))
        for name, args in waiting
    ]
    # An instance whose savepoint was rolled back has no row, so no id, and no job.
    session.info[KEY] = [(name, args) for name, args in resolved if None not in args]


def _enqueue(session: Session) -> None:
    if session.in_nested_transaction():
        return  # SQLAlchemy signals savepoints too; only the real commit counts
    waiting = session.info.pop(KEY, None)
    if not waiting:
        return
    from . import jobs

    queue = jobs()
    for name, args in waiting:
        try:
            queue.enqueue(name, *args)
        except Exception:  # the broker is down: the row is safe, a sweep will find it
            current_app.logger.exception("could not enqueue %s%r", name, args)


def _forget(session: Session, _rolled_back: Any) -> None:
    if session.in_transaction():
        return  # a savepoint rolled back; what it deferred has no row and is dropped above
    session.info.pop(KEY, None)
