"""The header every page shows (its stylesheet links and the main navigation), written here
rather than in base.html, and kept per process.

Every page a learner reads paid about a million instructions for base.html: fifteen
addresses built through Jinja's context calls, and the role and count tests around them,
on every request, for markup that is the same for everyone with the same role, review
count and clinics. Here it is built once per such set of values and joined with what is
this request's own: the CSRF token of the sign-out form, and a visitor's ``next``.

Nothing kept holds a person's data beyond what the key already says (their role, how many
cards are due, the clinics they manage): two people with the same key see the same
navigation, and a change to any of them is a new key on the next request.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .auth.destinations import safe_next
from .clinics.scope import manager_nav
from .review.nav import review_due
from .templating import link, remember

STYLESHEETS = ("app.css", "studio.css", "search.css")
ADMIN_LINKS = (
    ("admin.users", "Users"),
    ("certificates.admin_list", "Certificates"),
    ("clinics.admin_clinics", "Clinics"),
    ("ce.admin_rules", "CE rules"),
    ("cebroker.index", "CE Broker"),
    ("jobs.failed", "Failed jobs"),
)
_kept: dict[tuple[Any, ...], Any] = {}
KEPT = 1024  # sets of values kept per process; past that the store starts again


def head_links() -> Markup:
    """The stylesheets and the icon, in ``<head>``."""

    def build() -> Markup:
        sheets = "".join(
            f'<link rel="stylesheet" href="{escape(link("static", name))}">\n  '
            for name in STYLESHEETS
        )
        icon = escape(link("static", "favicon.svg"))
        return Markup(f'{sheets}<link rel="icon" href="{icon}" type="image/svg+xml">')

    return remember(_kept, ("head", request.script_root), build, KEPT)  # type: ignore[no-any-return]


def _item(endpoint: str, text: str, **values: Any) -> str:
    return f'<li><a href="{escape(link(endpoint, **values))}">{text}</a></li>'


def _signed_in(
    instructor: bool, admin: bool, due: int, clinics: int, first: int | None
) -> tuple[str, str]:
    """The navigation of someone signed in, in two parts around the CSRF token."""
    count = (
        f' <span class="nav-count">{due}<span class="visually-hidden"> due</span></span>'
        if due
        else ""
    )
    items = [
        _item("learn.catalogue", "Courses"),
        _item("learn.my_learning", "My learning"),
        _item("ce.my_ce", "My CE"),
        _item("review.index", f"Review{count}"),
    ]
    if instructor:
        items.append(_item("studio.my_courses", "Studio"))
    if clinics == 1:
        dashboard = url_for("clinics.dashboard_page", clinic_id=first)
        items.append(f'<li><a href="{escape(dashboard)}">My clinic</a></li>')
    elif clinics > 1:
        items.append(_item("clinics.my_clinics", "My clinics"))
    if admin:
        items.extend(_item(endpoint, text) for endpoint, text in ADMIN_LINKS)
    items.append(_item("auth.account", "Account"))
    before = "\n        ".join(items) + (
        f'\n        <li>\n          <form method="post" action="{escape(link("auth.logout"))}"'
        ' class="inline-form">\n            <input type="hidden" name="csrf_token" value="'
    )
    after = (
        '">\n            <button type="submit">Sign out</button>\n          </form>\n        </li>'
    )
    return before, after


def site_nav(user: Any) -> Markup:
    """The main navigation's entries for this person (``current_user``): the pages their
    role opens, the review cards due, their clinics, and the sign-out form; a visitor's
    sign-in and sign-up links carry on the page's own ``next``."""
    if not user.is_authenticated:
        following = safe_next(request.args.get("next"))
        sign_in = escape(url_for("auth.login", next=following))
        sign_up = escape(url_for("auth.signup", next=following))
        return Markup(
            f"{_item('learn.catalogue', 'Courses')}\n"
            f'        <li><a href="{sign_in}">Sign in</a></li>\n'
            f'        <li><a href="{sign_up}">Create account</a></li>'
        )
    clinics, first = manager_nav(user)
    key = (request.script_root, user.is_instructor, user.is_admin, review_due(user), clinics, first)
    before, after = remember(_kept, key, lambda: _signed_in(*key[1:]), KEPT)
    return Markup(f"{before}{escape(generate_csrf())}{after}")
