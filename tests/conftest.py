"""Fixtures in the flaskr style: ``app``, ``client``, ``runner`` and ``auth``.

The schema is built once per session by running the migrations (so they are tested every
run), on SQLite by default or on the PostgreSQL named by ``EDUAPP_TEST_DATABASE_URL``. Each
test leaves the database empty again by deleting what it wrote.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from argon2 import PasswordHasher, Type
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from eduapp import create_app
from eduapp.auth import passwords
from eduapp.extensions import db
from eduapp.learn import structure
from eduapp.search.schema import TABLE as SEARCH_TABLE

# Fixtures (registered by being here) and the names tests have long imported from conftest.
from tests.coursefiles import FIXTURES, catalogue, course_files, courses, imported  # noqa: F401

CI = os.environ.get("CI") == "true"

# A naive time in a test means UTC, as every stored time does, whatever the machine's zone.
time_machine.naive_mode = time_machine.NaiveMode.UTC

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=300)
settings.load_profile("ci" if CI else "dev")


# The instant every non-browser test starts at, unless it names its own with
# ``@pytest.mark.clock(...)``. Fixed, so no test depends on the day it runs.
TEST_NOW = "2026-11-24 12:00:00"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "clock(when, tick=True): the instant (UTC) the test and all its fixtures start at; "
        "tick=False keeps it still",
    )
    config.addinivalue_line(
        "markers",
        "real_password_hashing: hash with the app's own argon2id parameters, not the cheap "
        "ones every other test uses",
    )


# argon2id at the app's parameters takes ~26 ms a hash and as long a check, and the suite
# signs up and in over a thousand times: about a sixth of its time. Tests hash with the cheapest
# argon2id instead (the same code and format, 8 KiB, one pass), except those marked
# ``real_password_hashing``: the ones that check the parameters, the rehash on sign-in, that
# a missing account costs as much time as a wrong password, and sign-in under contention.
# Browser tests keep the real hasher too: their server is not the test's to change.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
CHEAP_DUMMY_HASH = CHEAP_HASHER.hash("not a password anyone has")


@pytest.fixture(autouse=True)
def _password_hashing(request: pytest.FixtureRequest) -> Iterator[None]:
    node = request.node
    if node.get_closest_marker("real_password_hashing") or node.get_closest_marker("browser"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "hasher", lambda: CHEAP_HASHER)
        patch.setattr(passwords, "_dummy_hash", lambda: CHEAP_DUMMY_HASH)
        yield


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Freeze the clock before any other function fixture runs, so data a fixture writes and
    the test that reads it share one timeline, whatever today's date is.

    By default time flows from ``TEST_NOW`` (ordering by timestamps still works); a test moves
    it with ``clock.shift(...)`` or ``clock.move_to(...)``. Browser tests keep the real clock:
    Chromium, outside this process, judges cookie expiry by it.
    """
    if request.node.get_closest_marker("browser"):
        yield None
        return
    marker = request.node.get_closest_marker("clock")
    when = marker.args[0] if marker else TEST_NOW
    tick = marker.kwargs.get("tick", True) if marker else True
    with time_machine.travel(when, tick=tick) as traveller:
        yield traveller


def postgres_url() -> str | None:
    return os.environ.get("EDUAPP_TEST_DATABASE_URL") or None


def make_database(tmp_path: Path, name: str) -> str:
    """A new, empty database of the session's kind (a file, or a PostgreSQL database)."""
    base = postgres_url()
    if base is None:
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    url = make_url(base).set(drivername="postgresql+psycopg")
    target = f"{url.database}_{name}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}"'))
    admin.dispose()
    return url.set(database=target).render_as_string(hide_password=False)


# One credential-signing key for the whole run: generating RSA keys per app would be slow, and
# tests must not write keys into the checkout's instance/ folder.
_CREDENTIAL_KEY: list[str] = []


def credential_key_pem() -> str:
    if not _CREDENTIAL_KEY:
        from eduapp.credentials.keys import new_key

        _CREDENTIAL_KEY.append(new_key().as_pem(private=True).decode())
    return _CREDENTIAL_KEY[0]


def app_config(database_url: str, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "CREDENTIAL_KEY": credential_key_pem(),
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "FILES_DIR": str(tmp_path / "files"),
        "BASE_URL": "http://localhost",
        "COURSES_DIR": str(FIXTURES / "courses"),
        # So the access matrix and the fuzz test reach the CE Broker roster and marking.
        "CEBROKER_PROVIDER": "50-4242",
        "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        **extra,
    }


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, with its own app context, ``g`` and db session,
    as it would in a server, even though the test itself holds an app context open."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            response = FlaskClient.open(self, *args, **kwargs)
            if response.is_streamed:
                # A streamed body (CSV, ZIP, a file) is produced where its request ran, as a
                # server iterates it; read it here, inside the request's own context.
                response.make_sequence()
                response.close()  # the body is kept; the file or generator behind it is done
            return response

        return contextvars.Context().run(run)


class IsolatedCliRunner(FlaskCliRunner):
    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().invoke, *args, **kwargs)


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("db")
    url = make_database(tmp, "main")
    app = create_app(app_config(url, tmp))
    app.test_client_class = IsolatedClient
    app.test_cli_runner_class = IsolatedCliRunner
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def empty_database() -> None:
    """Delete every row (the schema stays), as a fresh database would have none, and forget
    the versions this process kept: the next test's rows reuse their ids."""
    structure.forget_all()
    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as conn:
        # courses and course_versions point at each other: break the cycle first.
        conn.execute(db.metadata.tables["courses"].update().values(current_version_id=None))
        conn.execute(text(f"DELETE FROM {SEARCH_TABLE}"))  # outside the models (FTS5)
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    with _session_app.app_context():
        yield _session_app
        empty_database()
        forget_jobs(_session_app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def table_counts(app: Flask) -> Any:
    """A function returning {table: row count}, to prove that something wrote nothing."""

    def counts() -> dict[str, int]:
        names = inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            return {
                n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names
            }

    return counts


CSRF_INPUT = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def set_course_settings(course: Any, **values: Any) -> None:
    """Change settings of a course's current version in place, as a test's shortcut for
    publishing a version with them (the course row mirrors its current version)."""
    from eduapp.models import CourseVersion

    version = db.session.get(CourseVersion, course.current_version_id)
    for name, value in values.items():
        setattr(course, name, value)
        setattr(version, name, value)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token a page's form carries, as a browser would submit it."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def forget_jobs(app: Flask) -> None:
    """Drop the jobs a test left queued: the next test's rows reuse their ids."""
    queue = app.extensions["jobs"]
    if queue._huey is not None:
        queue.huey.flush()


def run_jobs() -> list[tuple[str, Any]]:
    """Run the queued jobs in this process, as a worker would after the requests committed;
    returns each job's name and result."""
    from eduapp.jobs import jobs

    return jobs().run_pending()


def deliver_mail() -> str:
    """Run the mail jobs the requests enqueued, and the sweep that picks up retries now due,
    so that the outbox folder holds what the app has queued. Says what the jobs did."""
    from eduapp.jobs import jobs

    jobs().enqueue("sweep_mail")
    outcomes = [result for name, result in run_jobs() if name == "send_mail"]
    counts = {word: outcomes.count(word) for word in ("sent", "retrying", "failed")}
    return f"{counts['sent']} sent, {counts['retrying']} to retry, {counts['failed']} failed\n"


def confirmation_link(email: str) -> str | None:
    """The path of the newest sign-up confirmation link queued for this address, if any."""
    from eduapp.auth.services import normalise_email
    from eduapp.models import OutgoingMessage

    with db.engine.connect() as conn:  # what the requests committed, whatever the test holds
        body = conn.execute(
            db.select(OutgoingMessage.body)
            .where(
                OutgoingMessage.recipient == normalise_email(email),
                OutgoingMessage.subject == "Confirm your email for eduapp",
            )
            .order_by(OutgoingMessage.id.desc())
            .limit(1)
        ).scalar()
    match = re.search(r"http://localhost(/signup/confirm/\S+)", body or "")
    return match.group(1) if match else None


PASSWORD = "correct horse battery"


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def signup(
        self,
        email: str = "ann@example.org",
        name: str = "Ann Example",
        password: str = PASSWORD,
        timezone: str = "UTC",
        confirm: bool = True,
    ) -> Any:
        """Sign up and, unless ``confirm`` is False, follow the link the sign-up mailed, as a
        person would: the account then works and this client is signed in. Returns the last
        response (the sign-up's own when no link was sent, e.g. the address has an account)."""
        data = {"name": name, "email": email, "password": password, "timezone": timezone}
        before = confirmation_link(email)
        response = self.client.post(
            "/signup", data={**data, "csrf_token": csrf_token(self.client, "/signup")}
        )
        link = confirmation_link(email) if confirm and response.status_code == 302 else None
        if link == before:
            link = None  # no new link: the address has an account already
        if link is None:
            return response
        return self.client.post(link, data={"csrf_token": csrf_token(self.client, link)})

    def login(
        self,
        email: str = "ann@example.org",
        password: str = PASSWORD,
        remember: bool = False,
        next: str = "",
    ) -> Any:
        data = {
            "email": email,
            "password": password,
            "next": next,
            "csrf_token": csrf_token(self.client),
        }
        if remember:
            data["remember"] = "y"
        return self.client.post("/login", data=data)

    def logout(self) -> Any:
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/")})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_user(app: Flask) -> Any:
    """Create a user directly (no HTTP), committed, with the test password."""
    from eduapp.auth import services
    from eduapp.models import Role

    def make(
        email: str = "ann@example.org",
        name: str = "Ann Example",
        role: str = "learner",
        password: str = PASSWORD,
    ) -> Any:
        user = services.register(name, email, password, "UTC", Role(role))
        db.session.commit()
        return user

    return make
