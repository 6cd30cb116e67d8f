"""Background jobs on huey: the work a request must not wait for (mail, PDFs, exports).

One :class:`huey.Huey` per app, built on first use from ``QUEUE_URL`` (``EDUAPP_QUEUE_URL``):
unset, a SQLite file under ``instance/`` (one machine, no extra service); ``redis://`` or
``unix://``, a Redis server every app server shares. The database stays the source of truth:
a job carries an id, reads its row and claims it with a conditional UPDATE, so a job run
twice (a periodic sweep re-enqueued it, two workers) does its work once.

Areas declare jobs with :func:`job` and :func:`periodic` in their own ``jobs`` modules; this
package binds them to the app's huey, each run inside an app context of its own. A request
enqueues with :func:`after_commit`, so a rolled-back request enqueues nothing.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage

from ..config import ConfigError

# The modules whose jobs the app runs; each declares them with @job / @periodic on import.
JOB_MODULES = (
    "eduapp.mail.jobs",
    "eduapp.certificates.jobs",
    "eduapp.clinics.jobs",
    "eduapp.exports.jobs",
    # The export kinds build_export builds, registered on import: a worker knows them all.
    "eduapp.clinics.export_jobs",
    "eduapp.studio.gradebook_export",
    "eduapp.review.jobs",
    "eduapp.webhooks.jobs",
)


@dataclass
class JobSpec:
    func: Callable[..., Any]
    retries: int = 0
    retry_delay: int = 0
    every: Callable[..., bool] | None = None  # a huey crontab: a periodic job
    settings: dict[str, Any] = field(default_factory=dict)


SPECS: dict[str, JobSpec] = {}


def job(retries: int = 0, retry_delay: int = 0) -> Callable[[Callable[..., Any]], Any]:
    """Declare a job, run by name; ``retries`` more tries ``retry_delay`` seconds apart."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        SPECS[func.__name__] = JobSpec(func, retries, retry_delay)
        return func

    return declare


def periodic(**when: str) -> Callable[[Callable[..., Any]], Any]:
    """Declare a job the consumer's scheduler runs by itself (``when``: crontab fields)."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        SPECS[func.__name__] = JobSpec(func, every=crontab(**when))
        return func

    return declare


class Jobs:
    """The app's queue: its huey and the tasks bound to it."""

    def __init__(self, app: Flask, url: str | None = None) -> None:
        self.app = app
        self.storage, self.storage_kwargs = storage_for(url or app.config["QUEUE_URL"])
        self._huey: Huey | None = None
        self._lock = threading.Lock()
        self.tasks: dict[str, Any] = {}

    @property
    def huey(self) -> Huey:
        # Built on first use, not in the factory: a SQLite storage creates its file when
        # opened, and an app that never queues (a CLI command, a test's app) should not.
        with self._lock:
            if self._huey is None:
                self._huey = self._build()
        return self._huey

    def _build(self) -> Huey:
        if "filename" in self.storage_kwargs:
            os.makedirs(os.path.dirname(self.storage_kwargs["filename"]) or ".", exist_ok=True)
        huey = Huey(
            "eduapp", results=False, utc=True, storage_class=self.storage, **self.storage_kwargs
        )
        for spec in SPECS.values():
            self.tasks[spec.func.__name__] = self._bind(huey, spec)
        from . import failures

        failures.watch(huey, self.app)
        return huey

    def _bind(self, huey: Huey, spec: JobSpec) -> Any:
        app = self.app

        @functools.wraps(spec.func)
        def run(*args: Any) -> Any:
            from ..extensions import db

            # Its own app context, so its own database session, whoever calls it.
            with app.app_context():
                try:
                    return spec.func(*args)
                finally:
                    db.session.remove()

        if spec.every is not None:
            return huey.periodic_task(spec.every, name=spec.func.__name__)(run)
        return huey.task(
            retries=spec.retries, retry_delay=spec.retry_delay, name=spec.func.__name__
        )(run)

    def task(self, name: str) -> Any:
        """The bound task; a job declared after the queue was built is bound now."""
        huey = self.huey
        if name not in self.tasks:
            self.tasks[name] = self._bind(huey, SPECS[name])
        return self.tasks[name]

    def enqueue(self, name: str, *args: Any) -> None:
        self.task(name)(*args)

    def enqueue_at(self, when: datetime, name: str, *args: Any) -> None:
        """Enqueue to run at ``when`` (aware): a retry after its backoff, say."""
        self.task(name).schedule(args, eta=when)

    def run_pending(self) -> list[tuple[str, Any]]:
        """Run every job waiting now, in this process, until none is left; returns each job's
        name and result. What a worker does, without its threads: for one-off use and tests."""
        huey = self.huey
        done = []
        while True:
            for task in huey.read_schedule(huey._get_timestamp()):
                huey.enqueue(task)
            task = huey.dequeue()
            if task is None:
                return done
            done.append((task.name, huey.execute(task)))


def storage_for(url: str) -> tuple[type, dict[str, Any]]:
    """huey's storage class and arguments for ``EDUAPP_QUEUE_URL``; refused at start-up if
    it names neither a SQLite file nor a Redis server."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return SqliteStorage, {"filename": url.removeprefix("sqlite:///")}
    raise ConfigError(
        "EDUAPP_QUEUE_URL must be sqlite:///PATH, redis://HOST:PORT/DB or unix:///PATH"
    )


def init_app(app: Flask) -> None:
    for module in JOB_MODULES:
        importlib.import_module(module)
    app.extensions["jobs"] = Jobs(app)
    from . import hooks

    hooks.init_app()


def jobs() -> Jobs:
    return current_app.extensions["jobs"]


def after_commit(name: str, *args: Any) -> None:
    """Enqueue the job once the current transaction commits; a rollback drops it."""
    from . import hooks

    hooks.defer(name, args)
