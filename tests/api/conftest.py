"""The API's tests share the access matrix's world (two clinics, every role) and tokens made
through the service, as the browser form makes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.api import tokens
from eduapp.extensions import db
from eduapp.models import ApiToken, User
from tests.world import World, build_world

ALL = [tokens.COMPLIANCE, tokens.COMPLETIONS, tokens.MANAGE, tokens.WEBHOOKS]


@dataclass
class ApiWorld:
    world: World
    client: FlaskClient

    def token(self, role: str, scopes: list[str] | None = None, days: int = 30) -> str:
        user = db.session.get_one(User, self.world.users[role].id)
        if user.is_admin and scopes is None:
            scopes = [*ALL, tokens.ADMIN]
        made = tokens.create(user, role, scopes or ALL, days)
        db.session.commit()
        return made.secret

    def get(self, path: str, secret: str | None, **headers: str) -> Any:
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return self.client.get(path, headers=headers)

    def send(self, method: str, path: str, secret: str | None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return self.client.open(path, method=method, json=body, headers=headers)

    @property
    def a(self) -> dict[str, int]:
        return self.world.clinic_a

    @property
    def b(self) -> dict[str, int]:
        return self.world.clinic_b


@pytest.fixture
def api(app: Flask, imported: None, make_user: Any) -> ApiWorld:
    world = build_world(app, make_user)
    db.session.execute(db.delete(ApiToken))  # the world's token: these tests make their own
    db.session.commit()
    return ApiWorld(world, app.test_client())
