"""What the practice exam tests share: a sample blueprint over the fixture catalogue, its
questions tagged by area, and a learner signed in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import Question, User
from eduapp.practice import blueprint
from tests.conftest import AuthActions

BLUEPRINT = """slug: sample
title: Sample practice
purpose: Practise the sample course.
not_for: Anything that matters.
checked: 2026-12-01
sources: [The sample course]
areas:
  - id: basics
    title: Basics
    weight: 2
    tags: [area-basics]
  - id: myths
    title: Myths
    weight: 1
    tags: [area-myths]
"""


@pytest.fixture
def blueprints(app: Flask, tmp_path: Path) -> Any:
    folder = tmp_path / "blueprints"
    folder.mkdir()
    (folder / "sample.yml").write_text(BLUEPRINT)
    old = app.config["BLUEPRINTS_DIR"]
    app.config["BLUEPRINTS_DIR"] = str(folder)
    yield blueprint.load(folder / "sample.yml")
    app.config["BLUEPRINTS_DIR"] = old


@pytest.fixture
def tagged(imported: None) -> None:
    """The sample course's module questions tagged by area; its final's questions too, so a
    test can show the final is never drawn even when tagged."""
    for row in db.session.execute(db.select(Question)).scalars():
        tag = "area-myths" if row.kind == "myth" else "area-basics"
        row.source = {**(row.source or {}), "tags": [tag]}
    db.session.commit()


def signed_in(app: Flask, make_user, email: str = "lea@example.org") -> FlaskClient:
    make_user(email, "Lea Learner")
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def user(email: str = "lea@example.org") -> User:
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
