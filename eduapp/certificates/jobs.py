"""Certificate PDFs as jobs, keyed by the certificate's id.

The request that issues a certificate stores its facts and enqueues :func:`render_certificate`
after commit; the job draws the PDF with no transaction open, then stores it with a
conditional UPDATE (``WHERE sha256 IS NULL``), so a job run twice keeps the first PDF and the
record stays as issued. :func:`sweep_certificates` re-enqueues any still waiting two minutes
on (the broker was down at commit, a worker died mid-render).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from ..clock import now
from ..database import begin_write
from ..extensions import db
from ..jobs import job, jobs, periodic
from ..models import Certificate
from .pdf import render

STALE = timedelta(minutes=2)


@job(retries=3, retry_delay=30)
def render_certificate(certificate_id: int) -> str:
    """Returns "rendered", "ready already" (another run stored it) or "no such certificate"."""
    row = db.session.execute(
        db.select(Certificate.facts, Certificate.sha256).where(Certificate.id == certificate_id)
    ).one_or_none()
    db.session.rollback()  # nothing stays open while drawing
    if row is None:
        return "no such certificate"
    if row.sha256 is not None:
        return "ready already"
    pdf = render(row.facts)
    begin_write()
    stored = db.session.execute(
        db.update(Certificate)
        .where(Certificate.id == certificate_id, Certificate.sha256.is_(None))
        .values(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return "rendered" if stored.rowcount == 1 else "ready already"


@periodic(minute="*")
def sweep_certificates() -> int:
    """Every minute: enqueue certificates issued two minutes ago or more without a PDF."""
    ids = list(
        db.session.execute(
            db.select(Certificate.id).where(
                Certificate.sha256.is_(None), Certificate.issued_at <= now() - STALE
            )
        ).scalars()
    )
    db.session.rollback()
    for certificate_id in ids:
        jobs().enqueue("render_certificate", certificate_id)
    return len(ids)
