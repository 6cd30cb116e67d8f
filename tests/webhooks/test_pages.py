"""The manager's webhooks page: register (secret shown once), rotate, pause and resume, delete
(asks first), recent deliveries; bad input names its field and changes nothing; other people
get 404."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Clinic, ClinicMember, WebhookDelivery, WebhookEndpoint
from eduapp.webhooks import sealing, services
from tests.conftest import AuthActions, csrf_token
from tests.webhooks.conftest import World

SECRET = re.compile(r'id="new-secret" value="(whsec_[^"]+)"')


def manager(app: Flask, world: World) -> FlaskClient:
    client = app.test_client()
    AuthActions(client).login("mia@example.org")
    return client


def page(world: World) -> str:
    return f"/clinics/{world.clinic.id}/webhooks"


def add(client: FlaskClient, world: World, url: str, events: list[str]) -> Any:
    return client.post(
        page(world),
        data={"url": url, "events": events, "csrf_token": csrf_token(client, page(world))},
    )


def endpoints() -> list[WebhookEndpoint]:
    db.session.rollback()
    return list(db.session.execute(db.select(WebhookEndpoint)).scalars())


def test_a_manager_registers_an_endpoint_and_sees_its_secret_once(app: Flask, world: World) -> None:
    client = manager(app, world)
    response = add(client, world, "https://hr.example.com:8443/in", ["course.completed"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    secret = SECRET.search(html).group(1)
    (row,) = endpoints()
    assert (row.url, row.events, row.active) == (
        "https://hr.example.com:8443/in",
        ["course.completed"],
        True,
    )
    assert secret not in row.secret_sealed and sealing.unseal(row.secret_sealed) == secret
    again = client.get(page(world)).get_data(as_text=True)
    assert "https://hr.example.com:8443/in" in again and secret not in again
    assert "Webhooks" in client.get(f"/clinics/{world.clinic.id}").get_data(as_text=True)


def test_bad_input_names_the_field_and_changes_nothing(app: Flask, world: World) -> None:
    client = manager(app, world)
    for url, events, message in [
        ("http://hr.example.com/in", ["course.completed"], "must start with https://"),
        ("https://hr.example.com:8080/in", ["course.completed"], "port 443 or 8443"),
        ("", ["course.completed"], "Give the address to send events to."),
        ("https://hr.example.com/in", [], "Choose at least one event."),
        ("https://hr.example.com/in", ["user.deleted"], "not a valid choice"),
        ("https://127.1/in", ["course.completed"], "127.1 is 127.0.0.1, a loopback address"),
        ("https://[::ffff:10.0.0.1]/in", ["course.completed"], "a private address"),
        ("https://169.254.169.254/in", ["course.completed"], "a link-local address"),
    ]:
        html = add(client, world, url, events).get_data(as_text=True)
        assert message in html, message
        assert 'class="error"' in html
    assert endpoints() == []


def test_an_allowed_host_may_be_registered_by_its_private_address(
    app: Flask, world: World, monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HOSTS", "10.0.0.5")
    client = manager(app, world)
    assert add(client, world, "https://10.0.0.5/in", ["course.completed"]).status_code == 200
    assert [e.url for e in endpoints()] == ["https://10.0.0.5/in"]


def test_rotating_shows_the_new_secret_and_keeps_the_old_one_a_day(
    app: Flask, world: World
) -> None:
    client = manager(app, world)
    old = SECRET.search(
        add(client, world, "https://hr.example.com/in", ["course.completed"]).get_data(as_text=True)
    ).group(1)
    (row,) = endpoints()
    response = client.post(
        f"{page(world)}/{row.id}/rotate", data={"csrf_token": csrf_token(client, page(world))}
    )
    new = SECRET.search(response.get_data(as_text=True)).group(1)
    (row,) = endpoints()
    assert new != old and services.signing_secrets(row) == [new, old]
    assert "the previous one signs until" in client.get(page(world)).get_data(as_text=True)


def test_deleting_asks_first_then_removes_the_endpoint_and_its_log(
    app: Flask, world: World
) -> None:
    client = manager(app, world)
    add(client, world, "https://hr.example.com/in", ["course.completed"])
    (row,) = endpoints()  # after a rollback: the test's session sees what the request wrote
    services.course_completed(world.staff.id, 3)
    db.session.commit()
    assert len(db.session.execute(db.select(WebhookDelivery)).all()) == 1
    html = client.get(page(world)).get_data(as_text=True)
    assert '<td data-label="State">pending</td>' in html  # the log lists it
    token = csrf_token(client, page(world))
    asked = client.post(f"{page(world)}/{row.id}/delete", data={"csrf_token": token})
    assert asked.status_code == 200 and "Delete the endpoint" in asked.get_data(as_text=True)
    assert len(endpoints()) == 1
    done = client.post(
        f"{page(world)}/{row.id}/delete", data={"csrf_token": token, "confirmed": "yes"}
    )
    assert done.status_code == 302
    assert endpoints() == []
    assert db.session.execute(db.select(WebhookDelivery)).first() is None


def test_other_clinics_managers_staff_and_admins_get_404(
    app: Flask, world: World, make_user: Any
) -> None:
    services.register(
        world.clinic, "https://hr.example.com/in", ["course.completed"], world.manager
    )
    db.session.commit()
    (row,) = endpoints()
    other = Clinic(name="Other Clinic")
    db.session.add(other)
    db.session.flush()
    outsider = make_user("oz@example.org", "Oz")
    db.session.add(ClinicMember(clinic_id=other.id, user_id=outsider.id, role="manager"))
    make_user("ada@example.org", "Ada", role="admin")
    db.session.commit()
    for email in ("oz@example.org", "ada@example.org", "sam@example.org"):
        client = app.test_client()
        AuthActions(client).login(email)
        token = csrf_token(client, "/account")
        assert client.get(page(world)).status_code == 404
        for action in ("rotate", "pause", "resume", "delete"):
            url = f"{page(world)}/{row.id}/{action}"
            assert client.post(url, data={"csrf_token": token}).status_code == 404
    # Their own clinic's page with this clinic's endpoint id: 404 too.
    client = app.test_client()
    AuthActions(client).login("oz@example.org")
    token = csrf_token(client, f"/clinics/{other.id}/webhooks")
    url = f"/clinics/{other.id}/webhooks/{row.id}/rotate"
    assert client.post(url, data={"csrf_token": token}).status_code == 404
    assert endpoints()[0].rotated_at is None


def test_a_manager_pauses_and_resumes_an_endpoint(app: Flask, world: World) -> None:
    client = manager(app, world)
    add(client, world, "https://hr.example.com/in", ["course.completed"])
    (row,) = endpoints()  # after a rollback: the test's session sees what the request wrote
    services.course_completed(world.staff.id, 3)  # one delivery, not yet sent
    db.session.commit()
    assert len(db.session.execute(db.select(WebhookDelivery)).all()) == 1
    token = csrf_token(client, page(world))
    paused = client.post(f"{page(world)}/{row.id}/pause", data={"csrf_token": token})
    assert paused.status_code == 302 and paused.headers["Location"] == page(world)
    assert endpoints()[0].active is False
    html = client.get(page(world)).get_data(as_text=True)
    assert "https://hr.example.com/in is paused" in html  # the flash
    assert "Unsent deliveries cancelled: 1." in html
    assert "<strong>Paused</strong>" in html and ">Resume<" in html
    assert "cancelled" in html and services.PAUSED_NOTE in html  # in the deliveries log
    db.session.rollback()
    services.course_completed(world.staff.id, 4)
    db.session.commit()
    assert len(db.session.execute(db.select(WebhookDelivery)).all()) == 1  # none new
    resumed = client.post(f"{page(world)}/{row.id}/resume", data={"csrf_token": token})
    assert resumed.status_code == 302 and endpoints()[0].active is True
    html = client.get(page(world)).get_data(as_text=True)
    assert "is resumed" in html and ">Pause<" in html and "<strong>Paused</strong>" not in html


def test_a_post_without_csrf_changes_nothing(app: Flask, world: World) -> None:
    services.register(
        world.clinic, "https://hr.example.com/in", ["course.completed"], world.manager
    )
    db.session.commit()
    (row,) = endpoints()
    client = manager(app, world)
    assert client.post(f"{page(world)}/{row.id}/rotate").status_code == 400
    assert client.post(f"{page(world)}/{row.id}/pause").status_code == 400
    assert endpoints()[0].rotated_at is None and endpoints()[0].active is True
