"""What clinic tests share: a clinic with its manager, invitations, joining, bulk staff."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from eduapp.ce.packs import import_packs
from eduapp.ce.rulefile import load_packs
from eduapp.extensions import db
from eduapp.mail import outbox_dir
from eduapp.models import (
    Clinic,
    ClinicMember,
    ExternalCredit,
    Licence,
    OutgoingMessage,
    RulePack,
    User,
)
from tests.conftest import AuthActions, csrf_token, deliver_mail

RULES = Path(__file__).resolve().parents[2] / "ce-rules"


@pytest.fixture
def packs(app: Flask, imported: None) -> dict[str, RulePack]:
    import_packs(load_packs(RULES))
    db.session.commit()
    return {p.slug: p for p in db.session.execute(db.select(RulePack)).scalars()}


def signed_in(app: Flask, email: str, name: str, make_user, role: str = "learner") -> FlaskClient:
    db.session.rollback()  # see what requests committed before writing
    make_user(email, name, role=role)
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def make_clinic(
    app: Flask, make_user, name: str, manager: str, keep_mail: bool = False
) -> tuple[Clinic, FlaskClient]:
    admin = db.session.execute(db.select(User).filter_by(email="ada@example.org")).scalar()
    admin_client = app.test_client()
    if admin is None:
        db.session.rollback()
        make_user("ada@example.org", "Ada", role="admin")
    AuthActions(admin_client).login("ada@example.org")
    manager_client = signed_in(app, manager, name + " Manager", make_user)
    page = "/admin/clinics"
    admin_client.post(
        page,
        data={"name": name, "manager_email": manager, "csrf_token": csrf_token(admin_client, page)},
    )
    db.session.rollback()
    clinic = db.session.execute(db.select(Clinic).filter_by(name=name)).scalar_one()
    if not keep_mail:
        # The new manager's "you are now a manager" message: tests of mail start empty.
        db.session.execute(db.delete(OutgoingMessage))
        db.session.commit()
    return clinic, manager_client


def invite(client: FlaskClient, clinic: Clinic, emails: str) -> object:
    page = f"/clinics/{clinic.id}/staff"
    return client.post(page, data={"emails": emails, "csrf_token": csrf_token(client, page)})


class Outbox:
    """The invitation links in messages sent after this point (mail file times can tie)."""

    def __init__(self) -> None:
        self.seen = set(outbox_dir().glob("*.eml")) if outbox_dir().exists() else set()

    def messages_to(self, email: str) -> list[str]:
        """The messages to this address sent since: their subject line and decoded body."""
        deliver_mail()
        new = [p for p in outbox_dir().glob("*.eml") if p not in self.seen]
        messages = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in new]
        return [
            f"Subject: {m['Subject']}\n\n{m.get_content()}" for m in messages if m["To"] == email
        ]

    def link_to(self, email: str) -> str:
        (text,) = self.messages_to(email)
        return re.search(r"http://localhost(/invites/\S+)", text).group(1)


def join(
    app: Flask, clinic_manager: FlaskClient, clinic: Clinic, email: str, make_user
) -> FlaskClient:
    outbox = Outbox()
    invite(clinic_manager, clinic, email)
    link = outbox.link_to(email)
    staff = signed_in(app, email, email.split("@")[0].title(), make_user)
    staff.post(link, data={"consent": "y", "csrf_token": csrf_token(staff, link)})
    return staff


def upload_list(manager: FlaskClient, clinic: Clinic, listing: bytes) -> TestResponse:
    """Invite by uploading a .csv list, as a manager does from the staff page."""
    page = f"/clinics/{clinic.id}/staff"
    return manager.post(
        page,
        data={
            "emails": "",
            "file": (io.BytesIO(listing), "staff.csv"),
            "csrf_token": csrf_token(manager, page),
        },
        content_type="multipart/form-data",
    )


def add_staff(clinic: Clinic, count: int, pack: RulePack, prefix: str) -> None:
    db.session.rollback()
    users = [
        User(email=f"{prefix}{i}@example.org", name=f"Staff {i:03d}", password_hash="-")
        for i in range(count)
    ]
    db.session.add_all(users)
    db.session.flush()
    stamp = datetime.now(UTC)
    for user in users:
        db.session.add(
            ClinicMember(clinic_id=clinic.id, user_id=user.id, role="staff", consented_at=stamp)
        )
        db.session.add(
            Licence(
                user_id=user.id,
                pack_id=pack.id,
                number=f"BC-{user.id}",
                state="US",
                renewal_date=date(2027, 5, 31),
            )
        )
        db.session.add(
            ExternalCredit(
                user_id=user.id,
                title="Workshop",
                provider="P",
                completed_on=date(2026, 3, 1),
                hours=Decimal(3),
                topic="ethics",
                delivery="live",
                approved_by=["NCBTMB"],
            )
        )
    db.session.commit()
