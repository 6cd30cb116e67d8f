"""Irreversible actions ask first, and work without JavaScript.

A button for an irreversible action posts to its route as before. The view checks access and
the form, then, unless the post says ``confirmed=yes``, answers with a page that says what
will happen and offers the same post again with ``confirmed=yes`` (every field the first post
carried rides along hidden) or a way back. Nothing changes until the second post, so a
tampered or replayed first post is harmless, and no script is needed.
"""

from __future__ import annotations

from flask import render_template, request

CONFIRMED = "yes"


def confirmed() -> bool:
    """True when this post is the answer to the confirmation page, not the first click."""
    return request.form.get("confirmed") == CONFIRMED


def ask(*, title: str, consequence: str, button: str, cancel_url: str) -> str:
    """The confirmation page for the action this request asked for.

    ``consequence`` says, in one or two plain sentences, what cannot be undone; ``button``
    names the action ("Revoke the invitation"), never a bare "OK".
    """
    carried = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "confirm.html",
        title=title,
        consequence=consequence,
        button=button,
        cancel_url=cancel_url,
        action=request.path,
        carried=carried,
        confirmed_value=CONFIRMED,
    )
