"""``flask certificates reissue --missing-glyphs``: certificates the old font misprinted get
corrected certificates appended, their learners are mailed, and a second run issues nothing."""

from __future__ import annotations

import hashlib
from email import message_from_bytes, policy
from pathlib import Path

from flask import Flask

from eduapp.certificates import pdf
from eduapp.credentials.document import identity_hash
from eduapp.credentials.services import credential_row
from eduapp.extensions import db
from eduapp.models import Certificate, Course, OutgoingMessage, User
from tests.certificates.test_scripts import FACTS, page_text
from tests.conftest import deliver_mail


def _old_certificate(user: User, course: Course, name: str, code: str) -> Certificate:
    """A certificate as issued before the Noto fonts: its PDF embeds DejaVu Sans alone."""
    facts = {
        **FACTS,
        "participant": name,
        "certificate_id": code,
        "verify_url": f"https://ce.example.org/verify/{code}",
    }
    old_pdf = b"%PDF-1.3 /BaseFont /MPDFAA+DejaVuSans-Bold %%EOF"
    certificate = Certificate(
        code=code,
        user_id=user.id,
        course_id=course.id,
        facts=facts,
        pdf=old_pdf,
        sha256=hashlib.sha256(old_pdf).hexdigest(),
    )
    db.session.add(certificate)
    return certificate


def test_reissue_corrects_what_the_old_font_misprinted_once(
    app: Flask, imported: None, make_user, runner
) -> None:
    course = db.session.execute(db.select(Course).order_by(Course.id).limit(1)).scalar_one()
    mei = make_user("mei@example.org", "林美")
    fatima = make_user("fatima@example.org", "فاطمة الزهراء")
    ann = make_user("ann@example.org", "Ann Łucja Nguyễn")
    abebe = make_user("abebe@example.org", "Abebe")
    _old_certificate(mei, course, "林美", "Mei0000000000000000001")
    _old_certificate(fatima, course, "فاطمة الزهراء", "Fat0000000000000000001")
    _old_certificate(ann, course, "Ann Łucja Nguyễn", "Ann0000000000000000001")
    _old_certificate(abebe, course, "Abebe አበበ", "Abe0000000000000000001")
    db.session.add(
        Certificate(  # drawn with today's fonts: nothing to correct
            code="New0000000000000000001",
            user_id=make_user("lin@example.org", "林美").id,
            course_id=course.id,
            facts={**FACTS, "participant": "林美"},
            pdf=pdf.render({**FACTS, "participant": "林美"}),
            sha256="0" * 64,
        )
    )
    db.session.commit()

    listed = runner.invoke(args=["certificates", "reissue", "--missing-glyphs", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert "Mei0000000000000000001" in listed.output and "U+6797" in listed.output
    assert "Fat0000000000000000001" in listed.output  # unshaped: unjoined, reversed
    assert "Ann0000" not in listed.output and "New0000" not in listed.output
    assert "today's fonts cannot print “አ”" in listed.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 5

    result = runner.invoke(args=["certificates", "reissue", "--missing-glyphs"])
    assert result.exit_code == 0, result.output
    assert "3 misprinted certificate(s), 2 reissued." in result.output
    db.session.rollback()  # a fresh snapshot: see what the command committed
    for code, name in (("Mei0000000000000000001", "林美"), ("Fat0000000000000000001", "فاطمة")):
        old = db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one()
        new = db.session.execute(db.select(Certificate).filter_by(replaces_id=old.id)).scalar_one()
        assert old.revoked and new.code in old.revoke_reason and not new.revoked
        assert new.facts["participant"] == old.facts["participant"]
        assert new.facts["completed_on"] == old.facts["completed_on"]
        assert new.facts["verify_url"].endswith("/verify/" + new.code)
        assert new.sha256 == hashlib.sha256(new.pdf).hexdigest()
        assert b"NotoSans" in new.pdf and name.split()[0] in page_text(new.pdf)
        assert f"Certificate ID {new.code}" in page_text(new.pdf)
        # The corrected certificate is a signed credential too, for the same learner.
        credential = credential_row(new.id)
        assert credential is not None and credential.jwt is not None
        email = db.session.get_one(User, new.user_id).email
        assert credential.identity_hash == identity_hash(email, credential.identity_salt)
    abebe_certificate = db.session.execute(
        db.select(Certificate).filter_by(code="Abe0000000000000000001")
    ).scalar_one()
    assert not abebe_certificate.revoked  # not fixable by fonts: listed, left alone

    recipients = db.session.execute(db.select(OutgoingMessage.recipient)).scalars().all()
    assert sorted(recipients) == ["fatima@example.org", "mei@example.org"]
    deliver_mail()
    outbox = Path(app.config["FILES_DIR"]) / "outbox"
    messages = [
        message_from_bytes(f.read_bytes(), policy=policy.default) for f in outbox.glob("*.eml")
    ]
    mei_mail = next(m for m in messages if m["To"] == "mei@example.org")
    assert "corrected certificate" in mei_mail.get_content()
    for f in outbox.glob("*.eml"):
        f.unlink()

    again = runner.invoke(args=["certificates", "reissue", "--missing-glyphs"])
    assert again.exit_code == 0 and "1 misprinted certificate(s), 0 reissued." in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 7
    no_flag = runner.invoke(args=["certificates", "reissue"])
    assert no_flag.exit_code != 0 and "--missing-glyphs" in no_flag.output


def test_two_runs_at_once_reissue_a_certificate_once(app: Flask, imported: None, make_user) -> None:
    from eduapp.certificates import reissue
    from eduapp.clock import now

    course = db.session.execute(db.select(Course).limit(1)).scalar_one()
    mei = make_user("mei@example.org", "林美")
    _old_certificate(mei, course, "林美", "Mei0000000000000000001")
    db.session.commit()
    (found,) = reissue.misprints()
    db.session.execute(  # the other run revoked it after this one listed it
        db.update(Certificate).values(revoked_at=now(), revoke_reason="replaced")
    )
    assert reissue.reissue(found) is None
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 1
