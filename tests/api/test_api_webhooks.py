"""Webhook endpoints through the API: registered with the page's rules (the secret answered
once), listed with an ETag, paused and resumed, deleted; bad bodies name the field and write
nothing; another clinic's endpoint is a 404. Every role and a foreign token: test_api_access."""

from __future__ import annotations

from flask.testing import FlaskClient

from eduapp.api import tokens
from eduapp.extensions import db
from eduapp.models import Clinic, User, WebhookDelivery, WebhookEndpoint
from eduapp.webhooks import sealing, services
from tests.api.conftest import ApiWorld
from tests.conftest import AuthActions
from tests.world import EMAILS

NEW = {"url": "https://hr.example.com/events", "events": ["course.completed"]}


def path(api: ApiWorld, clinic: str = "a") -> str:
    ids = api.a if clinic == "a" else api.b
    return f"/api/v1/clinics/{ids['clinic_id']}/webhooks"


def rows() -> list[WebhookEndpoint]:
    db.session.rollback()
    return list(
        db.session.execute(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)).scalars()
    )


def test_an_endpoint_is_registered_and_its_secret_answered_once(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    made = api.send("POST", path(api), secret, NEW)
    assert made.status_code == 201
    body = made.json
    assert body["secret"].startswith(sealing.PREFIX)
    assert (body["url"], body["events"], body["active"]) == (NEW["url"], NEW["events"], True)
    assert body["created_at"] and body["rotated_at"] is None
    row = rows()[-1]
    assert row.id == body["id"] and sealing.unseal(row.secret_sealed) == body["secret"]
    assert body["secret"] not in row.secret_sealed
    assert row.created_by_id == api.world.users["manager_a"].id
    listed = api.get(path(api), secret)
    assert [e["id"] for e in listed.json] == [api.world.endpoint_id, row.id]
    assert "secret" not in listed.get_data(as_text=True)


def test_the_list_has_an_etag_that_a_pause_changes(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    first = api.get(path(api), secret)
    etag = first.headers["ETag"]
    assert api.get(path(api), secret, **{"If-None-Match": etag}).status_code == 304
    item = f"{path(api)}/{api.world.endpoint_id}"
    paused = api.send("PATCH", item, secret, {"active": False})
    assert paused.status_code == 200 and paused.json["active"] is False
    again = api.get(path(api), secret, **{"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert again.json[0]["active"] is False


def test_pausing_cancels_what_is_unsent_and_resuming_replays_nothing(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    staff = api.a["user_id"]
    endpoint = db.session.get_one(WebhookEndpoint, api.world.endpoint_id)
    services.course_completed(staff, 1)
    db.session.commit()
    item = f"{path(api)}/{endpoint.id}"
    assert api.send("PATCH", item, secret, {"active": False}).status_code == 200
    db.session.rollback()
    services.course_completed(staff, 2)  # paused: nothing recorded
    db.session.commit()
    statuses = db.session.execute(db.select(WebhookDelivery.status)).scalars().all()
    assert statuses == [services.CANCELLED]
    resumed = api.send("PATCH", item, secret, {"active": True})
    assert resumed.status_code == 200 and resumed.json["active"] is True
    db.session.rollback()
    assert db.session.execute(db.select(WebhookDelivery.status)).scalars().all() == statuses
    services.course_completed(staff, 3)
    db.session.commit()
    statuses = db.session.execute(db.select(WebhookDelivery.status)).scalars().all()
    assert statuses == [services.CANCELLED, "pending"]


def test_delete_removes_the_endpoint_and_another_clinics_is_a_404(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    other = services.register(
        db.session.get_one(Clinic, api.b["clinic_id"]),
        "https://b.example.com/in",
        ["course.completed"],
        db.session.get_one(User, api.world.users["manager_b"].id),
    )
    db.session.commit()
    theirs = other.endpoint.id
    for method, body in (("PATCH", {"active": False}), ("DELETE", None)):
        # Clinic B's endpoint under clinic A's path: as good as absent.
        response = api.send(method, f"{path(api)}/{theirs}", secret, body)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert api.send(method, f"{path(api)}/99999", secret, body).status_code == 404
        assert api.send(method, f"{path(api, 'b')}/{theirs}", secret, body).status_code == 404
    assert [r.active for r in rows()] == [True, True]
    assert api.send("DELETE", f"{path(api)}/{api.world.endpoint_id}", secret).status_code == 204
    assert [r.id for r in rows()] == [theirs]
    gone = api.send("DELETE", f"{path(api)}/{api.world.endpoint_id}", secret)
    assert gone.status_code == 404


def test_bad_bodies_name_the_field_and_write_nothing(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    item = f"{path(api)}/{api.world.endpoint_id}"
    for method, target, body, field in (
        ("POST", path(api), {**NEW, "url": "http://hr.example.com/in"}, "url"),
        ("POST", path(api), {**NEW, "url": "https://hr.example.com:8080/in"}, "url"),
        ("POST", path(api), {**NEW, "url": "https://127.1/in"}, "url"),
        ("POST", path(api), {**NEW, "url": "https://[::ffff:127.0.0.1]/in"}, "url"),
        ("POST", path(api), {**NEW, "url": ""}, "url"),
        ("POST", path(api), {**NEW, "url": "https://a.example.com/" + "x" * 500}, "url"),
        ("POST", path(api), {"url": NEW["url"]}, "events"),
        ("POST", path(api), {**NEW, "events": []}, "events"),
        ("POST", path(api), {**NEW, "events": ["user.deleted"]}, "events"),
        ("POST", path(api), {**NEW, "events": "course.completed"}, "events"),
        ("POST", path(api), {**NEW, "active": False}, "active"),
        ("PATCH", item, {}, "active"),
        ("PATCH", item, {"active": "false"}, "active"),
        ("PATCH", item, {"active": 0}, "active"),
        ("PATCH", item, {"active": None}, "active"),
        ("PATCH", item, {"active": False, "url": NEW["url"]}, "url"),
    ):
        response = api.send(method, target, secret, body)
        assert response.status_code == 422, (body, response.json)
        assert response.mimetype == "application/problem+json"
        assert field in response.json["errors"] and field in response.json["detail"], body
    assert (
        "loopback"
        in api.send("POST", path(api), secret, {**NEW, "url": "https://127.1/"}).json["errors"][
            "url"
        ][0]
    )
    assert [(r.url, r.active) for r in rows()] == [("https://hr.example.com/in", True)]


def test_a_clinic_has_at_most_ten_endpoints(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    for n in range(services.ENDPOINTS_MAX - 1):
        body = {**NEW, "url": f"https://hr.example.com/{n}"}
        assert api.send("POST", path(api), secret, body).status_code == 201
    refused = api.send("POST", path(api), secret, NEW)
    assert refused.status_code == 422 and "at most 10" in refused.json["errors"]["url"][0]
    assert len(rows()) == services.ENDPOINTS_MAX


def test_the_token_page_offers_the_webhooks_scope_to_managers(api: ApiWorld) -> None:
    client: FlaskClient = api.client
    AuthActions(client).login(EMAILS["manager_a"])
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert tokens.WEBHOOKS in page and "Manage webhook endpoints" in page
    assert tokens.scopes_for(api.world.users["manager_a"])[tokens.WEBHOOKS]
