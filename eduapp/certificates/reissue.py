"""Certificates misprinted by the old font, found and corrected by appended certificates.

Before the Noto fonts, every certificate was drawn with DejaVu Sans alone and no shaping: a
name in Chinese lost its characters, an Arabic one came out unjoined and reversed. Such a
certificate is never changed (certificates are append-only); a corrected one with the same
facts replaces it, the old one is revoked pointing at it, and the learner is told by mail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app

from .. import mail
from ..clock import now
from ..credentials import services as credentials
from ..extensions import db
from ..models import Certificate, User
from ..models.certificate import new_certificate_code
from . import glyphs
from .issue import local_date
from .pdf import render


@dataclass(frozen=True)
class Misprint:
    """A standing certificate and the characters its PDF could not print."""

    certificate: Certificate
    characters: list[str]

    @property
    def still_missing(self) -> list[str]:
        """What today's fonts cannot print either: if any, the learner's name must change."""
        return glyphs.undrawable(_all_text(self.certificate.facts))


def _all_text(facts: dict) -> str:
    return "".join(text for text, _ in glyphs.printed_texts(facts))


def drawn_with_old_fonts(certificate: Certificate) -> bool:
    """Whether the stored PDF predates the Noto fonts: every PDF since embeds Noto Sans."""
    return b"NotoSans" not in certificate.pdf


def misprinted_characters(certificate: Certificate) -> list[str]:
    """The characters this certificate's PDF could not print as they should be."""
    if drawn_with_old_fonts(certificate):
        return glyphs.old_font_faults(certificate.facts)
    return glyphs.undrawable(_all_text(certificate.facts))


def misprints() -> Iterator[Misprint]:
    """Every certificate that stands (not revoked) and misprinted a character, oldest first."""
    ids = db.session.execute(
        db.select(Certificate.id)
        .where(Certificate.revoked_at.is_(None), Certificate.sha256.is_not(None))
        .order_by(Certificate.id)
    ).scalars()
    for certificate_id in list(ids):
        certificate = db.session.get_one(Certificate, certificate_id)
        characters = misprinted_characters(certificate)
        if characters:
            yield Misprint(certificate, characters)


def reissue(misprint: Misprint) -> Certificate | None:
    """Issue the corrected certificate (same facts, new code, today's fonts), revoke the old
    one pointing at it and queue the learner's mail; None if another run got there first.

    The caller commits. The facts stay as issued: the print was wrong, not the facts.
    """
    old = misprint.certificate
    claimed = db.session.execute(
        db.update(Certificate)
        .where(Certificate.id == old.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    db.session.refresh(old)
    learner = db.session.get(User, old.user_id)
    timezone = learner.timezone if learner else current_app.config["TIMEZONE"]
    issued_at = now()
    code = new_certificate_code()
    facts = {
        **old.facts,
        "certificate_id": code,
        "verify_url": f"{old.facts['verify_url'].rsplit('/', 1)[0]}/{code}",
        "issued_on": local_date(issued_at, timezone).isoformat(),
    }
    pdf = render(facts)
    new = Certificate(
        code=code,
        user_id=old.user_id,
        course_id=old.course_id,
        issued_at=issued_at,
        facts=facts,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        replaces_id=old.id,
        review_reason=old.review_reason,
    )
    db.session.add(new)
    listed = ", ".join(glyphs.describe(char) for char in misprint.characters[:8])
    old.revoke_reason = (
        f"replaced by certificate {code}: reissued because the font it was drawn with could "
        f"not print {listed}"
    )[:500]
    if learner is not None:
        mail.queue(
            learner.email,
            f"Your corrected certificate: {facts['course_title']}",
            f"Hello {learner.name},\n\n"
            f"Your certificate for \u201c{facts['course_title']}\u201d was printed with a font "
            f"that could not draw every character of it ({listed}). We have issued a corrected "
            f"certificate with the same facts; it replaces the old one, which its verification "
            f"page now marks as replaced.\n\n"
            f"Download it from its verification page:\n{facts['verify_url']}\n",
        )
    db.session.flush()
    credentials.attach(new, learner.email if learner is not None else None)
    return new
