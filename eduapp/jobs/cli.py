"""``flask jobs worker``: the huey consumer; ``flask jobs run-pending``: drain once.

``make run`` keeps a worker running beside the development server; production runs one (or
more, on any server) as a service. A worker also runs the periodic jobs (the mail sweep,
reminders), so at least one must run; several may, the jobs' claims keep them from doing any
work twice.
"""

from __future__ import annotations

import logging

import click
from flask.cli import AppGroup

from . import jobs

jobs_cli = AppGroup("jobs", help="Run the background jobs (mail, PDFs, exports, reminders).")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
def worker_command(workers: int) -> None:
    """Run jobs as they arrive, and the periodic ones on time, until Ctrl+C or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    jobs().huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@jobs_cli.command("run-pending")
def run_pending_command() -> None:
    """Run every job waiting now in this process, then exit."""
    click.echo(f"{len(jobs().run_pending())} jobs run")
