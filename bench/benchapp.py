"""The real app as gunicorn serves it, plus what only a benchmark needs: the hello-world
reference route ``/__bench/hello`` and an ``X-Queries`` header counting SQL statements.

It lives in ``bench/``, never in the ``eduapp`` package, so production cannot serve it:
``gunicorn bench.benchapp:app``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy import event

from eduapp import create_app
from eduapp.extensions import db


def make_app() -> Flask:
    app = create_app()

    @app.get("/__bench/hello")
    def bench_hello() -> str:
        return "hello"

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        if has_request_context():
            g.bench_queries = g.get("bench_queries", 0) + 1

    def _queries_header(response: Any) -> Any:
        response.headers["X-Queries"] = str(g.get("bench_queries", 0))
        return response

    # After-request functions run last-registered first: put this one at the front of the
    # list so it runs after the app's own, and counts the statement the security headers'
    # check of the signed-in user runs (even hello-world's, which is why hello shows 1).
    app.after_request_funcs.setdefault(None, []).insert(0, _queries_header)

    return app


app = make_app()
