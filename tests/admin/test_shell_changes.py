"""Accounts changed on the server's command line are audited as the admin pages' changes are:
``flask users create`` and ``flask users set-role`` each add a line to the account's history,
shown there as made by the shell."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.models import AccountChange, User
from tests.conftest import PASSWORD, AuthActions

ADMIN, LEE = "ada@example.org", "lee@example.org"


def changes(user_id: int) -> list[tuple[Any, ...]]:
    db.session.rollback()  # a new transaction: see what the command committed
    return [
        (c.action, c.admin_id, c.before, c.after, c.reason)
        for c in db.session.scalars(
            db.select(AccountChange)
            .where(AccountChange.user_id == user_id)
            .order_by(AccountChange.id)
        )
    ]


def user_id(email: str) -> int:
    db.session.rollback()
    return db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one()


@pytest.fixture
def shell(runner: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("EDUAPP_NEW_PASSWORD", PASSWORD)

    def invoke(*args: str) -> Any:
        return runner.invoke(args=["users", *args])

    return invoke


def test_set_role_from_the_shell_adds_an_audit_line(app: Flask, shell: Any) -> None:
    assert shell("create", LEE, "--name", "Lee Learner").exit_code == 0
    lee = user_id(LEE)
    assert changes(lee) == [("shell_create", lee, None, "learner", None)]

    done = shell("set-role", LEE, "instructor", "--reason", "  teaches the spring course ")
    assert done.output == f"{LEE} is now instructor\n"
    assert changes(lee)[-1] == (
        "shell_role",
        lee,  # the column needs an account; the action says it was the shell
        "learner",
        "instructor",
        "teaches the spring course",
    )
    assert db.session.get_one(User, lee).role == "instructor"

    # Without a reason, the line has none.
    shell("set-role", LEE, "learner")
    assert changes(lee)[-1] == ("shell_role", lee, "instructor", "learner", None)


def test_set_role_that_changes_nothing_or_is_refused_writes_nothing(
    app: Flask, shell: Any, table_counts: Any
) -> None:
    shell("create", LEE, "--name", "Lee Learner")
    before = table_counts()
    same = shell("set-role", LEE, "learner")
    assert (same.exit_code, same.output) == (0, f"{LEE} is already learner; nothing changed\n")
    nobody = shell("set-role", "nobody@example.org", "admin")
    assert nobody.exit_code == 1 and "no user with email nobody@example.org" in nobody.output
    long = shell("set-role", LEE, "admin", "--reason", "x" * 501)
    assert long.exit_code == 2 and "--reason" in long.output and "500" in long.output
    assert table_counts() == before
    assert db.session.get_one(User, user_id(LEE)).role == "learner"


def test_the_account_page_shows_shell_changes_as_made_by_the_shell(app: Flask, shell: Any) -> None:
    shell("create", ADMIN, "--name", "Ada Admin", "--role", "admin")
    shell("create", LEE, "--name", "Lee Learner")
    shell("set-role", LEE, "instructor", "--reason", "runs the studio now")
    admin = app.test_client()
    AuthActions(admin).login(ADMIN)

    page = admin.get(f"/admin/users/{user_id(LEE)}").get_data(as_text=True)
    history = page[page.index('id="history-heading"') :]
    assert "runs the studio now" in history
    assert history.count("the shell") == 2  # created, then the role
    assert "Account created" in history and "Role changed" in history
    assert "Lee Learner" not in history  # not shown as changing their own role
    # The admin made on the shell has that line too.
    own = admin.get(f"/admin/users/{user_id(ADMIN)}").get_data(as_text=True)
    assert "Account created" in own[own.index('id="history-heading"') :]
