"""eduapp: evidence-based massage-therapy courses, quizzes and CE tracking."""

from __future__ import annotations

import functools
import os
from typing import Any

from flask import Flask, request
from sqlalchemy import bindparam

from . import database, routing, security, templating
from .clock import now
from .database import SAFE_METHODS
from .extensions import csrf, db, login_manager, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides every other source (tests use it).

    ``EDUAPP_INSTANCE_PATH`` moves the instance folder (``instance/`` in the checkout by
    default), so that several servers run from one checkout each with a folder of its own.
    """
    instance = os.environ.get("EDUAPP_INSTANCE_PATH") or None
    if instance is not None and not os.path.isabs(instance):
        from .config import ConfigError

        raise ConfigError("EDUAPP_INSTANCE_PATH must be an absolute path")
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    app.jinja_env.add_extension("jinja2.ext.do")
    routing.init_app(app)
    from .config import load_config

    load_config(app, config)
    security.init_app(app)  # first: its request checks must run before CSRF parses the form
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    templating.init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 (every table, registered with the metadata)
    from .search.schema import include_name

    db.init_app(app)
    database.init_app(app)
    from .clinics import freshness

    freshness.init_app()  # stored compliance summaries go stale with every write they rely on
    migrate.init_app(
        app,
        db,
        directory=str(_migrations_dir()),
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,  # the full-text tables have their own migration
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"

    from . import jobs

    jobs.init_app(app)
    from .auth import cookies

    cookies.init_app(app)

    @login_manager.user_loader
    def load_user(token: str) -> Any:
        from .auth import signed_in
        from .clinics.scope import remember_manager_nav
        from .review.nav import remember_due

        params = {"token": token, "at": now()}
        if request.method in SAFE_METHODS:  # a page that only reads: the row, not the ORM
            loaded = signed_in.load(_user_statement(light=True), params)
            if loaded is None:
                return None
            user, (count, first_id, due) = loaded
        else:
            row = db.session.execute(_user_statement(), params).one_or_none()
            if row is None:
                return None
            user, count, first_id, due = row
        remember_manager_nav(user, count, first_id)
        remember_due(user, due)
        return user


@functools.cache
def _user_statement(light: bool = False) -> Any:
    """The signed-in user (the ORM entity, or with ``light`` its columns, for
    :mod:`.auth.signed_in`), with the clinics a manager runs and the review cards due, for
    the navigation entries of every page at no extra query. Built once: every request runs
    it, and building it costs more than running it."""
    from .clinics.scope import manager_nav_columns
    from .models import User
    from .review.nav import due_count_column

    person = User.__table__.columns if light else (User,)
    return db.select(*person, *manager_nav_columns(), due_count_column(bindparam("at"))).where(
        User.session_token == bindparam("token"), User.deactivated_at.is_(None)
    )


def register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .api.token_views import bp as api_tokens_bp
    from .auth.views import bp as auth_bp
    from .ce.views import bp as ce_bp
    from .cebroker.views import bp as cebroker_bp
    from .certificates.views import bp as certificates_bp
    from .clinics.views import bp as clinics_bp
    from .credentials.views import bp as credentials_bp
    from .errors import bp as errors_bp
    from .exports.views import bp as exports_bp
    from .figures.views import bp as figures_bp
    from .jobs.views import bp as jobs_bp
    from .learn.views import bp as learn_bp
    from .practice.views import bp as practice_bp
    from .quiz.views import bp as quiz_bp
    from .review.views import bp as review_bp
    from .search.views import bp as search_bp
    from .studio.views import bp as studio_bp
    from .studio.views import legacy as studio_legacy_bp
    from .webhooks.views import bp as webhooks_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(studio_bp)
    app.register_blueprint(studio_legacy_bp)
    app.register_blueprint(ce_bp)
    app.register_blueprint(cebroker_bp)
    app.register_blueprint(clinics_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(figures_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(practice_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(webhooks_bp)
    from . import api

    api.init_app(app)  # /api/v1: its own blueprints, with the OpenAPI document and docs


def register_commands(app: Flask) -> None:
    from .auth.cli import users_cli
    from .ce.cli import ce_cli
    from .cebroker.cli import cebroker_cli
    from .certificates.cli import certificates_cli
    from .content.cli import courses_cli
    from .credentials.cli import credentials_cli
    from .dbcli import register as register_db_commands
    from .jobs.cli import jobs_cli
    from .quiz.cli import quiz_cli
    from .review.cli import review_cli
    from .search.cli import search_cli
    from .studio.cli import studio_cli

    app.cli.add_command(courses_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(quiz_cli)
    app.cli.add_command(ce_cli)
    app.cli.add_command(cebroker_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(credentials_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(studio_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(review_cli)
    register_db_commands()


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
