"""The site header (``eduapp/chrome.py``) reads exactly as base.html wrote it before: the old
navigation is kept here and both render the same people, and what is kept per process never
shows one person's navigation to another or an old count after it changed."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, render_template_string

from eduapp import chrome
from eduapp.templating import remember
from tests.conftest import AuthActions

# The navigation as base.html had it, character for character.
OLD_NAV = """<li><a href="{{ link('learn.catalogue') }}">Courses</a></li>
        {% if current_user.is_authenticated %}
        <li><a href="{{ link('learn.my_learning') }}">My learning</a></li>
        <li><a href="{{ link('ce.my_ce') }}">My CE</a></li>
        {% set due = review_due(current_user) %}
        <li><a href="{{ link('review.index') }}">Review{% if due %} <span class="nav-count">{{ due }}<span class="visually-hidden"> due</span></span>{% endif %}</a></li>
        {% if current_user.is_instructor %}<li><a href="{{ link('studio.my_courses') }}">Studio</a></li>{% endif %}
        {% set clinic_count, first_clinic = manager_nav(current_user) %}
        {% if clinic_count == 1 %}<li><a href="{{ url_for('clinics.dashboard_page', clinic_id=first_clinic) }}">My clinic</a></li>
        {% elif clinic_count > 1 %}<li><a href="{{ link('clinics.my_clinics') }}">My clinics</a></li>{% endif %}
        {% if current_user.is_admin %}<li><a href="{{ link('admin.users') }}">Users</a></li><li><a href="{{ link('certificates.admin_list') }}">Certificates</a></li><li><a href="{{ link('clinics.admin_clinics') }}">Clinics</a></li><li><a href="{{ link('ce.admin_rules') }}">CE rules</a></li><li><a href="{{ link('cebroker.index') }}">CE Broker</a></li><li><a href="{{ link('jobs.failed') }}">Failed jobs</a></li>{% endif %}
        <li><a href="{{ link('auth.account') }}">Account</a></li>
        <li>
          <form method="post" action="{{ link('auth.logout') }}" class="inline-form">
            <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
            <button type="submit">Sign out</button>
          </form>
        </li>
        {% else %}
        <li><a href="{{ url_for('auth.login', next=safe_next(request.args.get('next'))) }}">Sign in</a></li>
        <li><a href="{{ url_for('auth.signup', next=safe_next(request.args.get('next'))) }}">Create account</a></li>
        {% endif %}"""  # noqa: E501
OLD_HEAD = """<link rel="stylesheet" href="{{ link('static', 'app.css') }}">
  <link rel="stylesheet" href="{{ link('static', 'studio.css') }}">
  <link rel="stylesheet" href="{{ link('static', 'search.css') }}">
  <link rel="icon" href="{{ link('static', 'favicon.svg') }}" type="image/svg+xml">"""


def person(role: str = "learner", due: int = 0, clinics: tuple[int, ...] = ()) -> SimpleNamespace:
    """Someone signed in, with what the user loader would have found beside them."""
    someone = SimpleNamespace(
        is_authenticated=True,
        is_instructor=role in ("instructor", "admin"),
        is_admin=role == "admin",
    )
    someone.__dict__["_review_due"] = due
    someone.__dict__["_manager_nav"] = (len(clinics), min(clinics, default=None))
    return someone


VISITOR = SimpleNamespace(is_authenticated=False)
PEOPLE = {
    "visitor": VISITOR,
    "learner": person(),
    "learner with cards due": person(due=7),
    "instructor": person("instructor", due=1),
    "admin": person("admin"),
    "manager of one clinic": person(clinics=(42,)),
    "manager of two clinics": person("instructor", due=120, clinics=(5, 9)),
}


def tight(html: str) -> str:
    """The markup without the white space between tags, which the browser does not show."""
    return re.sub(r">\s+<", "><", html.strip())


def both(who: SimpleNamespace) -> tuple[str, str]:
    old = render_template_string(OLD_NAV, current_user=who)
    new = render_template_string("{{ site_nav(current_user) }}", current_user=who)
    return tight(old), tight(new)


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("root", ["", "/eduapp"])
def test_the_navigation_reads_as_base_html_wrote_it(app: Flask, who: str, root: str) -> None:
    with app.test_request_context("/courses", base_url=f"http://localhost{root}/"):
        old, new = both(PEOPLE[who])
    assert new == old
    assert f'href="{root}/my-learning"' in new or who == "visitor"


@pytest.mark.parametrize("root", ["", "/eduapp"])
def test_the_head_links_read_as_base_html_wrote_them(app: Flask, root: str) -> None:
    with app.test_request_context("/", base_url=f"http://localhost{root}/"):
        old = render_template_string(OLD_HEAD)
        assert tight(str(chrome.head_links())) == tight(old)
        assert f'href="{root}/static/app.css' in old


@pytest.mark.parametrize(
    "following", ["/courses/x?a=1&b=2", "https://evil.example/", '/"><script>', "//evil.example"]
)
def test_a_visitors_next_is_this_requests_own_and_checked(app: Flask, following: str) -> None:
    with app.test_request_context("/", query_string={"next": following}):
        old, new = both(VISITOR)
    assert new == old
    assert "<script>" not in new and "evil.example" not in new
    with app.test_request_context("/"):
        assert "next=" not in both(VISITOR)[1]  # the previous request's next is not kept


def test_nothing_kept_crosses_from_one_person_to_another(app: Flask) -> None:
    """Each render reflects its own person, in any order, whatever was kept before."""
    order = ["admin", "learner", "manager of one clinic", "learner with cards due", "admin"]
    for who in order * 2:
        with app.test_request_context("/"):
            old, new = both(PEOPLE[who])
        assert new == old, who
    with app.test_request_context("/"):
        learner = both(PEOPLE["learner"])[1]
    assert "Failed jobs" not in learner and "Studio" not in learner and "nav-count" not in learner


def test_a_changed_count_shows_on_the_next_request(app: Flask) -> None:
    someone = person(due=3)
    with app.test_request_context("/"):
        assert '<span class="nav-count">3<' in both(someone)[1]
    someone.__dict__["_review_due"] = 4  # the next request's user loader finds one more
    with app.test_request_context("/"):
        assert '<span class="nav-count">4<' in both(someone)[1]


def test_the_sign_out_form_carries_this_sessions_token(app: Flask, make_user: Any) -> None:
    """Two people with the same navigation each get their own session's token, which signs
    them out: the token is never what was kept."""
    tokens = []
    for email in ("ann@example.org", "bea@example.org"):
        make_user(email=email)
        client = app.test_client()
        AuthActions(client).login(email)
        page = client.get("/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]  # type: ignore[index]
        tokens.append(token)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
        assert "Sign out" not in client.get("/").get_data(as_text=True)
    assert tokens[0] != tokens[1]


def test_the_store_is_bounded(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chrome, "KEPT", 3)
    chrome._kept.clear()
    with app.test_request_context("/"):
        for due in range(10):
            assert f">{due}<" in both(person(due=due))[1] or due == 0
            assert len(chrome._kept) <= 3


def test_remember_builds_once_per_key_and_starts_again_when_full() -> None:
    """The one store behind the header, the catalogue's cards and ``link()``."""
    store: dict[str, int] = {}
    built: list[str] = []

    def build(key: str) -> int:
        built.append(key)
        return len(key)

    for key in ["a", "bb", "a", "bb", "ccc"]:
        assert remember(store, key, lambda key=key: build(key), 2) == len(key)  # type: ignore[misc]
    assert built == ["a", "bb", "ccc"] and store == {"ccc": 3}  # full at two: started again
