"""What the API answers: the document, problem documents, validation that names the field,
cursor pagination, invitations and assignments through the clinics' services, and a staff
list whose statements do not grow with the staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask
from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator

from eduapp.extensions import db
from eduapp.models import (
    Assignment,
    ClinicInvite,
    ClinicMember,
    Course,
    Enrolment,
    OutgoingMessage,
    User,
)
from tests.api.conftest import ApiWorld
from tests.learn.test_course_pages import count_queries


def test_the_openapi_document_is_valid_3_1_and_lists_every_route(app: Flask, api: ApiWorld) -> None:
    document = api.client.get("/api/v1/openapi.json").json
    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["openapi"] == "3.1.0"
    documented = {
        (p, m.upper()) for p, ops in document["paths"].items() for m in ops if m != "parameters"
    }
    routes = {
        (rule.rule.replace("<int:", "{").replace(">", "}"), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api_")
        and rule.endpoint.split(".")[0] not in ("api_tokens", "api_docs")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes and routes == documented
    problem = document["components"]["responses"]["NOT_FOUND"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_the_document_groups_operations_under_named_and_described_tags(api: ApiWorld) -> None:
    document = api.client.get("/api/v1/openapi.json").json
    tags = [t["name"] for t in document["tags"]]
    assert tags[:3] == ["Clinics", "Staff", "Completions"]
    assert all(t["description"] for t in document["tags"])
    used = {
        (path, method): op["tags"]
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if method != "parameters"
    }
    assert {tag for names in used.values() for tag in names} == set(tags)  # each one used
    assert used[("/api/v1/clinics/{clinic_id}/staff", "get")] == ["Staff"]
    assert used[("/api/v1/certificates", "get")] == ["Certificates"]
    assert not [t for t in tags if t.startswith("api_")]


def test_errors_under_the_api_are_problems_and_pages_stay_html(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    for path, method, status in (
        ("/api/v1/no-such-thing", "GET", 404),
        ("/api/v1", "GET", 404),
        ("/api/v1/courses", "POST", 405),
        ("/api/v1/clinics/99999999999/staff", "GET", 404),
    ):
        response = api.send(method, path, secret)
        assert response.status_code == status and response.mimetype == "application/problem+json"
        assert set(response.json) >= {"type", "title", "status", "detail"}
    assert "GET" in api.send("POST", "/api/v1/courses", secret).headers["Allow"]
    page = api.client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_bad_bodies_name_the_field_and_write_nothing(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    invites = f"/api/v1/clinics/{api.a['clinic_id']}/invites"
    assignments = f"/api/v1/clinics/{api.a['clinic_id']}/assignments"
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    malformed = api.client.post(invites, data=b'{"emails": [', headers=headers)
    assert malformed.status_code == 400 and malformed.mimetype == "application/problem+json"
    course = db.session.execute(db.select(Course.id)).scalars().first()
    draft = Course(slug="a-draft", title="Draft", summary="", version="1", status="draft")
    db.session.add(draft)
    db.session.commit()
    for path, body, field in (
        (invites, {"emails": ["a@example.org"], "extra": 1}, "extra"),
        (invites, {"emails": "a@example.org"}, "emails"),
        (invites, {"emails": []}, "emails"),
        (invites, {"emails": ["a@example.org, b@example.org"]}, "emails"),
        (invites, {}, "emails"),
        (assignments, {"course_id": "x", "due_on": "2027-01-31"}, "course_id"),
        (assignments, {"course_id": course, "due_on": "2027-02-30"}, "due_on"),
        (assignments, {"course_id": course, "due_on": "9999-01-01"}, "due_on"),
        (assignments, {"course_id": draft.id, "due_on": "2027-01-31"}, "course_id"),
        (
            assignments,
            {"course_id": course, "due_on": "2027-01-31", "user_ids": [api.b["user_id"]]},
            "user_ids",
        ),
    ):
        response = api.send("POST", path, secret, body)
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["errors"] and field in response.json["detail"], body
    assert db.session.scalar(db.select(db.func.count()).select_from(ClinicInvite)) == 2  # world's
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 2


def add_staff(api: ApiWorld, count: int) -> list[int]:
    """More consenting staff in clinic A (the world has one)."""
    ids = []
    for n in range(count):
        user = User(email=f"staff{n}@example.org", name=f"Staff {n}", password_hash="x")
        db.session.add(user)
        db.session.flush()
        db.session.add(
            ClinicMember(
                clinic_id=api.a["clinic_id"],
                user_id=user.id,
                role="staff",
                consented_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
        ids.append(user.id)
    db.session.commit()
    return ids


def every_page(api: ApiWorld, path: str, secret: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        url = path + (f"&cursor={cursor}" if cursor else "")
        body = api.get(url, secret).json
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_staff_pages_by_cursor_with_compliance_per_licence(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    ids = add_staff(api, 4)
    path = f"/api/v1/clinics/{api.a['clinic_id']}/staff?limit=2"
    items = every_page(api, path, secret)
    assert [i["id"] for i in items] == [api.a["user_id"], *ids]
    learner = items[0]
    assert learner["status"] == "on track"
    assert learner["licences"][0]["number"] == "BC-1"
    assert learner["licences"][0]["hours_required"] == "24"
    assert items[1]["status"] == "no licence" and items[1]["licences"] == []
    first = api.get(path, secret).json
    cursor = first["next_cursor"]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    for bad in (tampered, "nonsense", "x" * 400):
        response = api.get(f"{path}&cursor={bad}", secret)
        assert response.status_code == 400 and "cursor" in response.json["errors"]
    # A cursor of another list is refused too: each list signs its own.
    other = f"/api/v1/clinics/{api.a['clinic_id']}/invites?cursor={cursor}"
    assert api.get(other, secret).status_code == 400


def test_the_staff_list_costs_the_same_statements_for_more_staff(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    path = f"/api/v1/clinics/{api.a['clinic_id']}/staff"
    api.get(path, secret)
    with count_queries() as few:
        assert api.get(path, secret).status_code == 200
    add_staff(api, 30)
    with count_queries() as many:
        assert len(api.get(path, secret).json["items"]) == 31
    assert len(many) == len(few)


def test_completions_and_certificates_since_a_date(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    clinic = f"/api/v1/clinics/{api.a['clinic_id']}"
    done = every_page(api, f"{clinic}/completions?since=2026-11-01&limit=1", secret)
    assert [(c["user_id"], c["course_slug"]) for c in done] == [(api.a["user_id"], "sample-course")]
    assert api.get(f"{clinic}/completions?since=2026-11-24", secret).json["items"] == []
    certificates = api.get(f"{clinic}/certificates?since=2026-11-01", secret).json["items"]
    assert [c["code"] for c in certificates] == ["A" * 22]
    assert certificates[0]["verify_url"].endswith("/verify/" + "A" * 22)
    # Clinic B's staff member's completion is not clinic A's.
    staff_b = api.b["user_id"]
    db.session.rollback()
    course = db.session.execute(db.select(Course)).scalars().first()
    db.session.add(
        Enrolment(
            user_id=staff_b,
            course_id=course.id,
            version_id=course.current_version_id,
            completed_at=datetime(2026, 11, 23, tzinfo=UTC),
        )
    )
    db.session.commit()
    assert len(api.get(f"{clinic}/completions?since=2026-11-01", secret).json["items"]) == 1
    for query in ("", "?since=yesterday", "?since=1800-01-01", "?since=2026-11-01&limit=0"):
        response = api.get(f"{clinic}/completions{query}", secret)
        assert response.status_code == 422 and response.json["errors"], query


def test_invitations_are_sent_listed_and_revoked(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    path = f"/api/v1/clinics/{api.a['clinic_id']}/invites"
    body = {"emails": ["Kim@Example.org", "owner@example.org", "not-an-address"]}
    response = api.send("POST", path, secret, body)
    assert response.status_code == 201
    assert response.json["invited"] == ["kim@example.org"]
    reasons = {r["email"]: r["reason"] for r in response.json["not_invited"]}
    assert reasons["owner@example.org"] == "Already on the staff"
    assert "not-an-address" in reasons
    mail = db.session.execute(db.select(OutgoingMessage.recipient)).scalars().all()
    assert mail == ["kim@example.org"]
    again = api.send("POST", path, secret, {"emails": ["kim@example.org"]})
    assert again.status_code == 200 and again.json["invited"] == []
    listed = {i["email"]: i for i in api.get(path, secret).json["items"]}
    assert listed["kim@example.org"]["state"] == "waiting"
    invite_id = listed["kim@example.org"]["id"]
    assert api.send("DELETE", f"{path}/{invite_id}", secret).status_code == 204
    assert {i["email"]: i["state"] for i in api.get(path, secret).json["items"]}[
        "kim@example.org"
    ] == "revoked"
    db.session.rollback()  # the test's read snapshot: SQLite refuses a write on it
    accepted = db.session.get_one(ClinicInvite, api.a["invite_id"])
    accepted.accepted_at = datetime(2026, 11, 1, tzinfo=UTC)
    db.session.commit()
    conflict = api.send("DELETE", f"{path}/{api.a['invite_id']}", secret)
    assert conflict.status_code == 409 and conflict.mimetype == "application/problem+json"
    assert api.send("DELETE", f"{path}/{api.b['invite_id']}", secret).status_code == 404


def test_assignments_are_made_listed_and_deleted(api: ApiWorld) -> None:
    secret = api.token("manager_a")
    path = f"/api/v1/clinics/{api.a['clinic_id']}/assignments"
    course = db.session.execute(db.select(Course.id)).scalars().first()
    body = {"course_id": course, "due_on": "2027-03-01", "user_ids": [api.a["user_id"]]}
    made = api.send("POST", path, secret, body)
    assert made.status_code == 201
    assert [(a["user_id"], a["due_on"]) for a in made.json] == [(api.a["user_id"], "2027-03-01")]
    listed = api.get(path, secret).json
    assert {a["id"] for a in listed} == {api.a["assignment_id"], made.json[0]["id"]}
    assert api.send("DELETE", f"{path}/{made.json[0]['id']}", secret).status_code == 204
    assert [a["id"] for a in api.get(path, secret).json] == [api.a["assignment_id"]]
    assert api.send("DELETE", f"{path}/{api.b['assignment_id']}", secret).status_code == 404


def test_courses_for_everyone_and_drafts_for_admins(api: ApiWorld) -> None:
    db.session.add(Course(slug="a-draft", title="Draft", summary="", version="1", status="draft"))
    db.session.commit()
    manager = {c["slug"] for c in api.get("/api/v1/courses", api.token("manager_a")).json}
    admin = {c["slug"] for c in api.get("/api/v1/courses", api.token("admin")).json}
    assert "a-draft" not in manager and "a-draft" in admin and manager < admin
    certificates = api.get("/api/v1/certificates?since=2020-01-01", api.token("admin")).json
    assert [c["code"] for c in certificates["items"]] == ["A" * 22]
