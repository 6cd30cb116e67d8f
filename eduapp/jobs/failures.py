"""A job that keeps failing lands in ``failed_jobs``, where admins see its error and retry it.

huey retries a job as its declaration says (``@job(retries=...)``); only the last failure is
recorded, so a job that succeeds on its second try leaves nothing to look at.
"""

from __future__ import annotations

import traceback
from typing import Any

from flask import Flask
from huey import Huey
from huey.signals import SIGNAL_ERROR

from ..clock import now
from ..extensions import db
from ..models import FailedJob, User
from . import SPECS, after_commit

ERROR_MAX = 2000
TRACEBACK_MAX = 20000
PAGE = 100


def watch(huey: Huey, app: Flask) -> None:
    @huey.signal(SIGNAL_ERROR)
    def _failed(_signal: str, task: Any, error: BaseException) -> None:
        if task.retries:
            return  # huey tries again; not failed yet
        with app.app_context():
            try:
                db.session.add(
                    FailedJob(
                        name=task.name,
                        args=list(task.args),
                        error=f"{type(error).__name__}: {error}"[:ERROR_MAX],
                        traceback="".join(traceback.format_exception(error))[-TRACEBACK_MAX:],
                    )
                )
                db.session.commit()
            except Exception:
                app.logger.exception("could not record the failure of %s%r", task.name, task.args)
            finally:
                db.session.remove()


def waiting() -> list[FailedJob]:
    """Failed jobs no one has retried yet, newest first."""
    return list(
        db.session.execute(
            db.select(FailedJob)
            .where(FailedJob.retried_at.is_(None))
            .order_by(FailedJob.failed_at.desc(), FailedJob.id.desc())
            .limit(PAGE)
        ).scalars()
    )


def retry(failed: FailedJob, admin: User) -> bool:
    """Send the job round again once the caller commits; False if it was retried already or
    this version of the app no longer has such a job."""
    if failed.retried_at is not None or failed.name not in SPECS:
        return False
    failed.retried_at = now()
    failed.retried_by_id = admin.id
    after_commit(failed.name, *failed.args)
    return True
