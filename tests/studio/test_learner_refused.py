"""Learners never reach the studio: every studio route, every method, answers 403 or 404 to a
learner and writes nothing; the navigation shows them no Studio link."""

from __future__ import annotations

from flask import Flask

from tests.conftest import csrf_token
from tests.studio.conftest import grant
from tests.studio.test_owners import signed_in
from tests.world import url_for_rule


def test_a_learner_is_refused_on_every_studio_route(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    grant_to = make_user("ivy@example.org", "Ivy", role="instructor")
    grant(grant_to.email, "sample-course")
    learner = signed_in(app, make_user, "lea@example.org", role="learner")
    token = csrf_token(learner, "/login")
    values = {
        "slug": "sample-course",
        "key": "first-steps",
        "module_slug": "first-steps",
        "person_id": grant_to.id,
        "version_id": 1,
        "number": 1,
        "question": "q-single",
    }
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("studio.")]
    assert len(rules) >= 7
    before = table_counts()
    for rule in rules:
        url = url_for_rule(app, rule.endpoint, values)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            data = {"csrf_token": token, "email": "lea@example.org", "confirmed": "yes"}
            response = learner.open(url, method=method, data=data)
            assert response.status_code in (403, 404), (method, url, response.status_code)
    assert table_counts() == before
    assert ">Studio<" not in learner.get("/").get_data(as_text=True)
