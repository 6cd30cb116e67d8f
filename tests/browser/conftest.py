"""A live server on a free port, its own committed database, and Debian's Chromium.

Chromium is found on PATH and passed to Playwright as ``executable_path`` (Playwright never
downloads a browser here). Under ``CI=true`` a missing Chromium fails the run.

Waiting, not sleeping: CI runs two suites side by side on two cores, so the browser is often
slower than the test. Every read of the page that follows a click, a key press or a script
must wait for the state it checks: ``follow`` for a click that loads a page, Playwright's
``expect`` (which retries) for what a script or a fetch changes, ``main_text`` for the words
of a page known by its heading, ``set_viewport`` for a size change, and the script's own sign
(the editor's toolbar) before typing where a script listens. ``page.content()``, ``count()``,
``is_visible()``, ``is_checked()`` and ``evaluate`` read once and never retry.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from eduapp import create_app
from eduapp.ce.packs import import_packs
from eduapp.ce.rulefile import load_packs
from eduapp.content.importer import import_courses
from eduapp.extensions import db
from tests.conftest import CI, app_config, catalogue, confirmation_link, make_database

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parents[2]
# expect's own default is 5 s; a save or a post answered by a loaded CI machine can take
# longer. A ceiling, not a pause: expect returns as soon as the page agrees.
expect.set_options(timeout=15_000)
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
        import_courses(catalogue(ROOT / "courses"))
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


@pytest.fixture
def job_worker(live_app: Flask) -> Iterator[None]:
    """A job worker beside the served app, as ``make run`` has (certificate PDFs, audit packs,
    mail), for the tests that wait on its work. Only for those: a worker writes whenever a job
    arrives, and a test's own direct write must then take the write lock before it reads
    (``begin_write()``), as the app's writes do, or SQLite refuses it ("database is locked")."""
    worker = live_app.extensions["jobs"].huey.create_consumer(workers=2, periodic=False)
    worker.start()
    yield
    worker.stop(graceful=True)


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


@pytest.fixture
def new_person(browser: Any) -> Iterator[Callable[[], Page]]:
    """Opens a page in a browser of its own (its own cookies: another person), at desktop
    size. Every one is closed after the test: a page left open keeps its renderer running,
    and using the CPU, for the rest of the session."""
    contexts: list[Any] = []

    def open_page() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
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
    expect(page.locator("h1")).to_have_text("Check your email")
    with live_app.app_context():
        link = confirmation_link(email)
    assert link, f"no confirmation mail for {email}"
    page.goto(live_server + link)
    follow(page, page.get_by_role("button", name="Confirm my email"))


def follow(page: Page, target: Locator) -> None:
    """Click something that loads a new page, and return once that page has loaded.

    Playwright's click waits for a navigation only if Chromium reported it before the click
    returned, and then only until the new document commits, still empty: one CI run read
    ``page.content()`` as ``''`` right after a link to /my-ce was clicked. After the load
    event the whole new page is parsed and its deferred scripts have run, so what follows
    reads the new page (a check that something is *not* there cannot pass on the old one),
    and can type into fields whose scripts listen."""
    with page.expect_navigation():
        target.click()


def sign_in(page: Page, live_server: str, email: str, password: str) -> None:
    """Sign in through the form and wait until the page says so (its Sign out button): a
    ``goto`` straight after the click could cancel the sign-in's post before it lands."""
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def starting_with(text: str) -> re.Pattern[str]:
    """For ``expect(...).to_have_text``: the text starts with ``text`` (after the template's
    leading white space, which a pattern, unlike a string, does not skip)."""
    return re.compile(r"^\s*" + re.escape(text))


def main_text(page: Page, heading: str | re.Pattern[str]) -> str:
    """The text of the page's main content, once its heading (h1) reads ``heading``.

    The heading proves the page that follows a click or a post is the one shown (not the
    old one, nor a new one half parsed), so checks that words are absent mean something."""
    expect(page.locator("h1")).to_have_text(heading)
    page.wait_for_load_state()
    return page.locator("main").inner_text()


def set_viewport(page: Page, size: dict[str, int]) -> None:
    """Resize the window and wait until the page sees the new size: Chromium hands the
    change to the page on a later frame, and a screenshot or a measurement taken before that
    shows the old layout."""
    page.set_viewport_size(size)
    page.wait_for_function(
        "([w, h]) => window.innerWidth === w && window.innerHeight === h",
        arg=[size["width"], size["height"]],
    )


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


def instructor_on(
    live_app: Flask, name: str, email: str, password: str, slug: str, role: str
) -> None:
    """An instructor account that owns or co-authors one course, made as an admin would
    (committed, so the served app sees it): what every studio browser test starts from."""
    from eduapp.auth.services import register
    from eduapp.models import Course, CourseOwner, Role

    with live_app.app_context():
        user = register(name, email, password, "UTC", Role.INSTRUCTOR)
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        db.session.add(CourseOwner(course_id=course.id, user_id=user.id, role=role))
        db.session.commit()
