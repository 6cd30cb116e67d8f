"""A live server on a free port, its own committed database, and Debian's Chromium.

Chromium is found on PATH and passed to Playwright as ``executable_path`` (Playwright never
downloads a browser here). Under ``CI=true`` a missing Chromium fails the run.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from eduapp import create_app
from eduapp.ce.packs import import_packs
from eduapp.ce.rulefile import load_packs
from eduapp.content.importer import import_courses
from eduapp.content.loader import load_catalogue
from eduapp.extensions import db
from tests.conftest import CI, app_config, confirmation_link, make_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The served app, for tests that must write data the browser then shows."""
    tmp = tmp_path_factory.mktemp("browser")
    app = create_app(
        app_config(make_database(tmp, "browser"), tmp, COURSES_DIR=str(ROOT / "courses"))
    )
    app.config["TESTING"] = False
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(ROOT / "courses"))
        import_packs(load_packs(ROOT / "ce-rules"))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        message = "Debian's chromium is not on PATH (apt-get install chromium)"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits_width(page: Any, width: int | None = None) -> None:
    """Nothing on the page scrolls sideways at this width (the viewport's by default).

    Chromium applies a viewport change to an already loaded page's media queries on its next
    frame, so a measurement taken straight after ``set_viewport_size`` can still see the wide
    layout (one CI run saw a 515 px table in a 375 px window). The check waits up to two
    seconds for the page to settle; a page that really overflows stays wide and fails.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    width = width or page.viewport_size["width"]
    script = "w => document.documentElement.scrollWidth <= w"
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says what was measured
        page.wait_for_function(script, arg=width, timeout=2000)
    measured = page.evaluate("document.documentElement.scrollWidth")
    assert measured <= width, f"{page.url} is {measured}px wide in a {width}px window"


def assert_accessible(page: Any) -> None:
    """axe-core (bundled, offline): no serious or critical violation on this page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(bad)


def confirm_signup(page: Any, live_app: Flask, live_server: str, email: str) -> None:
    """After "Create account": open the link the sign-up mailed and confirm, as the person
    would; the browser is then signed in."""
    assert page.locator("h1").inner_text() == "Check your email"
    with live_app.app_context():
        link = confirmation_link(email)
    assert link, f"no confirmation mail for {email}"
    page.goto(live_server + link)
    page.get_by_role("button", name="Confirm my email").click()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Chromium sometimes resets the connection for a static file (the favicon). werkzeug's
    dev server (serving.py, ``execute``) drains the socket in a ``finally`` block *before* it
    calls ``application_iter.close()``; the reset raises there, the close is skipped, and the
    file object's ResourceWarning lands in whichever browser test is tearing down. That is the
    test server's bug, not the app's (gunicorn serves production), so only that one warning is
    ignored, and only in browser tests: a leak of any other file still fails."""
    unclosed_static = (
        r"ignore:Exception ignored in. <_io.FileIO name='[^']*/eduapp/static/"
        ":pytest.PytestUnraisableExceptionWarning"
    )
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings(unclosed_static))
