"""Admins' accounts pages: search, role, deactivation, reset links, lockouts, the audit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.admin import services
from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import AccountChange, LoginFailure, OutgoingMessage, Role, User
from tests.conftest import AuthActions, csrf_token
from tests.learn.test_course_pages import count_queries

ADMIN, LEARNER = "ada@example.org", "lee@example.org"
WRONG = "That email and password do not match an account."


@pytest.fixture
def people(app: Flask, make_user: Any) -> dict[str, Any]:
    """An admin signed in on their own client, and a learner signed in on theirs."""
    admin = make_user(ADMIN, "Ada Admin", role="admin")
    learner = make_user(LEARNER, "Lee Learner")
    admin_client, learner_client = app.test_client(), app.test_client()
    AuthActions(admin_client).login(ADMIN)
    AuthActions(learner_client).login(LEARNER)
    return {
        "admin": admin_client,
        "learner": learner_client,
        "admin_id": admin.id,
        "learner_id": learner.id,
    }


def page_of(people: dict[str, Any]) -> str:
    return f"/admin/users/{people['learner_id']}"


def post(client: FlaskClient, page: str, action: str, **data: str) -> Any:
    return client.post(f"{page}/{action}", data={"csrf_token": csrf_token(client, page), **data})


def fresh(user_id: int) -> User:
    db.session.rollback()  # a new transaction: see what the requests committed
    return db.session.get_one(User, user_id)


def changes(user_id: int) -> list[AccountChange]:
    db.session.rollback()  # a new transaction: see what the requests committed
    return list(
        db.session.scalars(
            db.select(AccountChange)
            .where(AccountChange.user_id == user_id)
            .order_by(AccountChange.id)
        )
    )


def mail_to(email: str) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            db.select(OutgoingMessage.body)
            .where(OutgoingMessage.recipient == email)
            .order_by(OutgoingMessage.id)
        )
    )


def test_search_finds_by_name_or_email_in_any_case(people: dict[str, Any], make_user) -> None:
    make_user("zed@example.org", "Zed Other")
    admin = people["admin"]
    by_name = admin.get("/admin/users?q=lEE").get_data(as_text=True)
    assert "Lee Learner" in by_name and "Zed Other" not in by_name
    assert "1 account matches" in by_name
    by_email = admin.get("/admin/users?q=ZED@EX").get_data(as_text=True)
    assert "Zed Other" in by_email and "Lee Learner" not in by_email
    # LIKE's wildcards are searched for as characters, not used.
    assert "No accounts match." in admin.get("/admin/users?q=%25").get_data(as_text=True)
    everyone = admin.get("/admin/users").get_data(as_text=True)
    assert "3 accounts" in everyone and "Ada Admin" in everyone
    assert admin.get("/admin/users?page=x").status_code == 400
    assert admin.get("/admin/users?page=²").status_code == 400  # a digit, but no number


def test_the_list_runs_the_same_statements_for_one_or_fifty_accounts(
    people: dict[str, Any], make_user
) -> None:
    admin = people["admin"]
    admin.get("/admin/users")  # warm up
    with count_queries() as few:
        assert admin.get("/admin/users").status_code == 200
    for n in range(60):
        db.session.add(
            User(email=f"p{n:02d}@example.org", name=f"Person {n:02d}", password_hash="x")
        )
        db.session.add(LoginFailure(email=f"p{n:02d}@example.org", ip="10.0.0.1"))
    db.session.commit()
    with count_queries() as many:
        page = admin.get("/admin/users").get_data(as_text=True)
    assert len(many) == len(few), "\n".join(set(many) ^ set(few))
    assert "page 1 of 2" in page and "1 recent failed sign-in" in page
    assert "Person 49" in admin.get("/admin/users?page=2").get_data(as_text=True)


def test_a_deactivated_account_is_signed_out_cannot_sign_in_and_keeps_its_records(
    app: Flask, people: dict[str, Any], table_counts
) -> None:
    remembered = app.test_client()
    AuthActions(remembered).login(LEARNER, remember=True)
    remembered_cookie = remembered.get_cookie("remember").value
    page = page_of(people)
    admin = people["admin"]

    asked = post(admin, page, "deactivate", reason="left the school")
    assert asked.status_code == 200 and "Deactivate Lee Learner" in asked.get_data(as_text=True)
    assert fresh(people["learner_id"]).deactivated_at is None  # nothing until confirmed
    assert people["learner"].get("/account").status_code == 200

    before = table_counts()
    done = post(admin, page, "deactivate", reason="left the school", confirmed="yes")
    assert done.status_code == 302
    assert fresh(people["learner_id"]).deactivated_at is not None
    after = table_counts()
    gone = {t for t in before if after[t] < before[t]}
    assert gone <= {"remember_tokens"}, gone  # only the sessions' cookies end

    # The open session and the remember-me cookie stop at their next request.
    assert people["learner"].get("/account").status_code == 302
    browser = app.test_client()
    browser.set_cookie("remember", remembered_cookie)
    assert browser.get("/account").status_code == 302
    # Signing in answers exactly as a wrong password does.
    right = AuthActions(app.test_client())
    answer = right.login(LEARNER)
    assert answer.status_code == 200 and WRONG in answer.get_data(as_text=True)
    wrong = AuthActions(app.test_client()).login(LEARNER, password="not the password")
    assert WRONG in wrong.get_data(as_text=True)

    line = changes(people["learner_id"])[-1]
    assert (line.action, line.before, line.after, line.reason, line.admin_id) == (
        "deactivate",
        "active",
        "deactivated",
        "left the school",
        people["admin_id"],
    )
    shown = admin.get(page).get_data(as_text=True)
    assert "Deactivated" in shown and "left the school" in shown and "Reactivate" in shown
    listed = admin.get("/admin/users?q=lee").get_data(as_text=True)
    assert "<strong>Deactivated</strong>" in listed

    # Reactivated: the password works again; the history lists newest first.
    assert post(admin, page, "reactivate").status_code == 302
    assert fresh(people["learner_id"]).deactivated_at is None
    assert AuthActions(app.test_client()).login(LEARNER).status_code == 302
    shown = admin.get(page).get_data(as_text=True)
    assert shown.index("Reactivated") < shown.index("left the school")


def test_a_deactivated_account_asking_for_a_reset_gets_no_link(
    app: Flask, people: dict[str, Any]
) -> None:
    post(people["admin"], page_of(people), "deactivate", confirmed="yes")
    stranger = app.test_client()
    stranger.post("/reset", data={"email": LEARNER, "csrf_token": csrf_token(stranger, "/reset")})
    body = mail_to(LEARNER)[-1]
    assert "deactivated" in body and "/reset/" not in body


def test_role_changes_ask_first_and_tampered_ones_change_nothing(
    people: dict[str, Any],
) -> None:
    admin, page = people["admin"], page_of(people)
    asked = post(admin, page, "role", role="instructor", reason="teaches anatomy")
    assert "Make Lee Learner an instructor" in asked.get_data(as_text=True)
    assert fresh(people["learner_id"]).role == "learner"
    assert post(admin, page, "role", role="instructor", confirmed="yes").status_code == 302
    assert fresh(people["learner_id"]).role == "instructor"
    line = changes(people["learner_id"])[-1]
    assert (line.action, line.before, line.after) == ("role", "learner", "instructor")

    assert post(admin, page, "role", role="superuser", confirmed="yes").status_code == 400
    assert post(admin, page, "role", confirmed="yes").status_code == 400
    assert post(admin, "/admin/users/999999", "role", role="admin").status_code == 404
    no_token = admin.post(f"{page}/role", data={"role": "admin", "confirmed": "yes"})
    assert no_token.status_code == 400
    # The same role again: refused with a message, nothing written.
    refused = post(admin, page, "role", role="instructor", confirmed="yes")
    assert refused.status_code == 302
    assert "already an instructor" in admin.get(page).get_data(as_text=True)
    too_long = post(admin, page, "role", role="admin", reason="x" * 501, confirmed="yes")
    assert too_long.status_code == 200
    assert "Keep the reason under 500 characters." in too_long.get_data(as_text=True)
    assert fresh(people["learner_id"]).role == "instructor"
    assert len(changes(people["learner_id"])) == 1


def test_admins_keep_their_own_role_and_the_last_admin_stays(
    app: Flask, people: dict[str, Any], make_user
) -> None:
    admin, own = people["admin"], f"/admin/users/{people['admin_id']}"
    refused = post(admin, own, "role", role="learner", confirmed="yes")
    assert refused.status_code == 302
    assert "You cannot remove the admin role of your own account" in admin.get(own).get_data(
        as_text=True
    )
    post(admin, own, "deactivate", confirmed="yes")
    assert "You cannot deactivate your own account" in admin.get(own).get_data(as_text=True)
    assert fresh(people["admin_id"]).role == "admin"
    assert fresh(people["admin_id"]).deactivated_at is None

    # Another admin, deactivated: Ada is the last active admin, whoever asks.
    other = make_user("bo@example.org", "Bo Admin", role="admin")
    services.deactivate(other.id, people["admin_id"], "")
    db.session.commit()
    with pytest.raises(services.Refused, match="last active admin"):
        services.deactivate(people["admin_id"], other.id, "")
    db.session.rollback()
    with pytest.raises(services.Refused, match="last active admin"):
        services.change_role(people["admin_id"], other.id, Role.LEARNER, "")
    db.session.rollback()
    assert fresh(people["admin_id"]).role == "admin"


def test_a_reset_link_goes_out_through_the_mail_table_and_works(
    app: Flask, people: dict[str, Any]
) -> None:
    admin, page = people["admin"], page_of(people)
    assert post(admin, page, "reset-link", reason="forgot it").status_code == 302
    [body] = mail_to(LEARNER)
    assert "An administrator sent it" in body
    link = re.search(r"http://localhost(/reset/\S+)", body).group(1)
    person = app.test_client()
    done = person.post(
        link,
        data={
            "password": "a brand new password",
            "confirm": "a brand new password",
            "csrf_token": csrf_token(person, link),
        },
    )
    assert done.status_code == 302
    assert AuthActions(app.test_client()).login(LEARNER, "a brand new password").status_code == 302
    assert [c.action for c in changes(people["learner_id"])] == ["reset_link"]


def test_a_lockout_is_shown_and_cleared(app: Flask, people: dict[str, Any]) -> None:
    for _ in range(10):
        db.session.add(LoginFailure(email=LEARNER, ip="10.1.1.1", created_at=now()))
    db.session.commit()
    admin, page = people["admin"], page_of(people)
    assert "Locked" in admin.get("/admin/users?q=lee").get_data(as_text=True)
    assert "lifts by itself" in admin.get(page).get_data(as_text=True)
    assert AuthActions(app.test_client()).login(LEARNER).status_code == 429
    assert post(admin, page, "lockout", reason="phoned us").status_code == 302
    assert AuthActions(app.test_client()).login(LEARNER).status_code == 302
    line = changes(people["learner_id"])[-1]
    assert (line.action, line.before, line.after) == (
        "clear_lockout",
        "locked, 10 failed sign-ins",
        "cleared",
    )
    # Nothing left to clear: a message, no audit line.
    post(admin, page, "lockout")
    assert len(changes(people["learner_id"])) == 1


def test_only_admins_reach_the_pages(app: Flask, people: dict[str, Any]) -> None:
    page = page_of(people)
    assert people["learner"].get("/admin/users").status_code == 403
    assert people["learner"].get(page).status_code == 403
    anonymous = app.test_client().get("/admin/users")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    nav = people["admin"].get("/").get_data(as_text=True)
    assert 'href="/admin/users"' in nav
    assert 'href="/admin/users"' not in people["learner"].get("/").get_data(as_text=True)


def test_sign_in_records_when(app: Flask, people: dict[str, Any]) -> None:
    assert fresh(people["learner_id"]).last_sign_in_at is not None
    assert "Not recorded" not in people["admin"].get(page_of(people)).get_data(as_text=True)
