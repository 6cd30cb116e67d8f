"""Concurrent writes of every kind queue instead of failing: no "database is locked", no 5xx."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from eduapp.extensions import db
from eduapp.models import LoginFailure, ModuleProgress
from tests.conftest import AuthActions, csrf_token

THREADS = 8


def burst(clients: list, send) -> list[int]:
    barrier = threading.Barrier(len(clients))

    def run(client):
        barrier.wait()
        return send(client).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(run, clients))


def test_eight_users_writing_at_once(app: Flask, imported: None, make_user) -> None:
    clients = []
    for i in range(THREADS):
        make_user(f"user{i}@example.org", f"User {i}")
        client = app.test_client()
        AuthActions(client).login(f"user{i}@example.org")
        clients.append(client)
    path = "/courses/sample-course/modules/second-module"
    tokens = {id(c): csrf_token(c, path) for c in clients}
    statuses = burst(clients, lambda c: c.post(path + "/read", data={"csrf_token": tokens[id(c)]}))
    assert statuses == [302] * THREADS
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ModuleProgress)) == THREADS
    statuses = burst(
        clients,
        lambda c: c.post(
            "/account", data={"csrf_token": tokens[id(c)], "name": "Renamed", "timezone": "UTC"}
        ),
    )
    assert statuses == [302] * THREADS


@pytest.mark.real_password_hashing  # the checks take as long as they do in production
def test_a_burst_of_wrong_passwords_is_counted_and_limited(app: Flask, make_user) -> None:
    make_user()
    clients = [app.test_client() for _ in range(16)]
    tokens = {id(c): csrf_token(c) for c in clients}
    data = {"email": "ann@example.org", "password": "wrong password", "next": ""}
    statuses = burst(
        clients, lambda c: c.post("/login", data={**data, "csrf_token": tokens[id(c)]})
    )
    assert sorted(statuses) == [200] * 10 + [429] * 6
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)) == 10
