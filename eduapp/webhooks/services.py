"""Endpoints (register, rotate, pause and resume, delete) and events (one delivery row per
subscribed endpoint).

Events reach a clinic only about its staff who share their CE with it (``clinics.scope``):
the same people its dashboard shows. Payloads carry ids and a status only; the receiver
fetches details through the API with a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..clock import now
from ..extensions import db
from ..jobs import after_commit
from ..models import Clinic, ClinicMember, User, WebhookDelivery, WebhookEndpoint
from ..models.clinic import STAFF
from . import guard, sealing

EVENTS = {
    "course.completed": "A course completed",
    "certificate.issued": "A certificate issued",
    "certificate.revoked": "A certificate revoked",
    "licence.at_risk": "A licence at risk (at most once a day per licence)",
}
OVERLAP = timedelta(hours=24)
CANCELLED = "cancelled"  # a delivery's status once its endpoint is paused before it was sent
ENDPOINTS_MAX = 10
RECENT = 50


class WebhookError(Exception):
    """A rule stops this; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str = "url") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Made:
    endpoint: WebhookEndpoint
    secret: str  # shown once, on the answer to the form


def endpoints(clinic: Clinic) -> list[WebhookEndpoint]:
    return list(
        db.session.execute(
            db.select(WebhookEndpoint)
            .filter_by(clinic_id=clinic.id)
            .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        ).scalars()
    )


def endpoint_of(clinic: Clinic, endpoint_id: int) -> WebhookEndpoint | None:
    """The clinic's endpoint, or None (another clinic's is as good as absent)."""
    return db.session.execute(
        db.select(WebhookEndpoint).filter_by(id=endpoint_id, clinic_id=clinic.id)
    ).scalar_one_or_none()


def register(clinic: Clinic, url: str, events: list[str], manager: User) -> Made:
    url = url.strip()
    try:
        guard.check_url(url)
    except guard.Refused as error:
        raise WebhookError(f"The address is refused: {error}.") from None
    if len(url) > 500:
        raise WebhookError("The address may have at most 500 characters.")
    unknown = [e for e in events if e not in EVENTS]
    if unknown or not events:
        raise WebhookError("Choose at least one of the events listed.", "events")
    if len(endpoints(clinic)) >= ENDPOINTS_MAX:
        raise WebhookError(f"A clinic may have at most {ENDPOINTS_MAX} endpoints.")
    secret = sealing.new_secret()
    endpoint = WebhookEndpoint(
        clinic_id=clinic.id,
        url=url,
        events=sorted(set(events)),
        active=True,
        secret_sealed=sealing.seal(secret),
        created_by_id=manager.id,
    )
    db.session.add(endpoint)
    return Made(endpoint, secret)


def rotate(endpoint: WebhookEndpoint) -> str:
    """A new secret; the current one stays valid (deliveries signed with both) for 24 hours."""
    secret = sealing.new_secret()
    endpoint.previous_sealed = endpoint.secret_sealed
    endpoint.previous_until = now() + OVERLAP
    endpoint.secret_sealed = sealing.seal(secret)
    endpoint.rotated_at = now()
    return secret


PAUSED_NOTE = "Not sent: the endpoint was paused."


def set_active(endpoint: WebhookEndpoint, active: bool) -> int:
    """Pause or resume. A paused endpoint gets no new deliveries and its unsent ones are
    cancelled (a retry would otherwise reach a receiver its clinic switched off); resuming
    sends what happens from then on and replays nothing. Returns how many were cancelled."""
    endpoint.active = active
    if active:
        return 0
    done = db.session.execute(
        db.update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == "pending")
        .values(status=CANCELLED, error=PAUSED_NOTE, finished_at=now())
        .execution_options(synchronize_session=False)
    )
    return done.rowcount


def delete(endpoint: WebhookEndpoint) -> None:
    """The endpoint and its deliveries log go; a delivery already queued finds no row."""
    db.session.execute(db.delete(WebhookDelivery).filter_by(endpoint_id=endpoint.id))
    db.session.delete(endpoint)


def signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    """The secrets that sign now: the current one, and the previous within its overlap."""
    found = [sealing.unseal(endpoint.secret_sealed)]
    if endpoint.previous_sealed and endpoint.previous_until and endpoint.previous_until > now():
        found.append(sealing.unseal(endpoint.previous_sealed))
    return found


def recent_deliveries(clinic: Clinic) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
    return [
        (delivery, endpoint)
        for delivery, endpoint in db.session.execute(
            db.select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookEndpoint.clinic_id == clinic.id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
            .limit(RECENT)
        ).all()
    ]


def _sharing_clinics(user_id: int) -> Any:
    """The clinics this person shares CE with as staff: those that may hear about them."""
    return db.select(ClinicMember.clinic_id).where(
        ClinicMember.user_id == user_id,
        ClinicMember.role == STAFF,
        ClinicMember.consented_at.is_not(None),
        ClinicMember.left_at.is_(None),
    )


def emit(
    user_id: int,
    event: str,
    data: dict[str, Any],
    clinic_id: int | None = None,
    once_key: str | None = None,
) -> int:
    """Record ``event`` about this person for every active endpoint subscribed to it in the
    clinics they share with (or only ``clinic_id``, if they share with it); each is sent after
    commit. With ``once_key``, an endpoint that had it already gets nothing. Returns how many."""
    clinics = _sharing_clinics(user_id)
    if clinic_id is not None:
        clinics = clinics.where(ClinicMember.clinic_id == clinic_id)
    targets = [
        e
        for e in db.session.execute(
            db.select(WebhookEndpoint).where(
                WebhookEndpoint.clinic_id.in_(clinics), WebhookEndpoint.active.is_(True)
            )
        ).scalars()
        if event in e.events
    ]
    payload = {"event": event, "occurred_at": now().isoformat(), "data": data}
    count = 0
    for endpoint in targets:
        delivery = WebhookDelivery(
            endpoint_id=endpoint.id, event=event, payload=payload, once_key=once_key
        )
        try:
            with db.session.begin_nested():
                db.session.add(delivery)
        except IntegrityError:
            continue  # sent already today (the once_key)
        after_commit("deliver_webhook", delivery)
        count += 1
    return count


def course_completed(user_id: int, course_id: int) -> None:
    emit(
        user_id,
        "course.completed",
        {"user_id": user_id, "course_id": course_id, "status": "completed"},
    )


def certificate_event(event: str, certificate: Any) -> None:
    """certificate.issued or certificate.revoked, after the certificate has its id."""
    db.session.flush()
    emit(
        certificate.user_id,
        event,
        {
            "certificate_id": certificate.id,
            "user_id": certificate.user_id,
            "course_id": certificate.course_id,
            "status": "revoked" if certificate.revoked_at else "issued",
        },
    )


def licence_at_risk(clinic_id: int, user_id: int, licence_id: int, status: str, day: Any) -> int:
    """From the clinic's daily reminder run: once per licence, endpoint and day."""
    return emit(
        user_id,
        "licence.at_risk",
        {"licence_id": licence_id, "user_id": user_id, "status": status},
        clinic_id=clinic_id,
        once_key=f"licence.at_risk:{licence_id}:{day.isoformat()}",
    )
