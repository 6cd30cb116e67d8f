"""A small browser for the two-server run: HTTPS through haproxy from one client address, with
cookies, forms read from the page, and a retry when a server is going away.

The standard library only (http.client), so that what is measured is the servers and not a
client library's connection pool: every request is a new TLS connection, as from a browser
opening a page on a busy load balancer.
"""

from __future__ import annotations

import http.client
import re
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

# A proxy answer meaning "no server could take this", and the errors of a connection that went
# away: the request is sent again, as a browser's user would press reload.
RETRY_STATUSES = {502, 503, 504}
RETRIES = 8


class JourneyError(AssertionError):
    """A learner's journey went somewhere a working site would not take it."""


@dataclass
class Tally:
    """Requests sent, retried and failed, by the server asked for and the one that answered."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    elsewhere: int = 0  # answered by the other server than the one asked for
    served_before_return: int = 0  # server b's answers before its restart
    why_retried: list[str] = field(default_factory=list)
    served: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, asked: str, served: str, seconds: float) -> None:
        with self.lock:
            self.sent += 1
            self.served[served] = self.served.get(served, 0) + 1
            self.latencies.append(seconds)
            if served != asked:
                self.elsewhere += 1

    def add(self, name: str, why: str = "") -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)
            if why:
                self.why_retried.append(why)


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    server: str
    path: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        target = urlsplit(self.headers.get("Location", ""))
        return target.path + ("?" + target.query if target.query else "")


class _Forms(HTMLParser):
    """Every form's action and the fields a browser would send as the page stands."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._picked = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), []))
        elif not self.forms or ("name" not in a and tag != "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.forms[-1][1].append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.forms[-1][1].append((a["name"], ""))
        elif tag == "select":
            self._select, self._first_option, self._picked = a["name"], None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a and not self._picked:
                self.forms[-1][1].append((self._select, value))
                self._picked = True
            elif self._first_option is None:
                self._first_option = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._picked and self._first_option is not None:
                self.forms[-1][1].append((self._select, self._first_option))
            self._select = None


def form_on(page: Page, action: str) -> dict[str, list[str]]:
    """The fields of the form on ``page`` whose action (the page itself when it has none)
    contains ``action``."""
    parser = _Forms()
    parser.feed(page.text)
    for target, fields in parser.forms:
        if action in (target or page.path):
            values: dict[str, list[str]] = {}
            for name, value in fields:
                values.setdefault(name, []).append(value)
            return values
    raise JourneyError(f"{page.path}: no form posting to {action!r}")


def find(pattern: str, page: Page) -> str:
    """The first group of ``pattern`` on the page, or a JourneyError naming the page."""
    match = re.search(pattern, page.text)
    if match is None:
        raise JourneyError(f"{page.path} ({page.status}): {pattern!r} not found")
    return match.group(1)


class Browser:
    """One person's browser: its own client address and cookies. Each request asks haproxy for
    the other server than the last (the ``X-Eduapp-Route`` header the run's haproxy honours
    while that server is up), so a journey alternates servers on every request."""

    def __init__(self, port: int, source: str, tally: Tally, context: ssl.SSLContext) -> None:
        self.port, self.source, self.tally, self.context = port, source, tally, context
        self.cookies: dict[str, str] = {}
        self.turn = 0
        self.extra_headers: dict[str, str] = {}
        self.last_page = "/"  # a browser's Referer (Flask-WTF checks it over HTTPS)

    def _send(self, method: str, path: str, body: bytes | None, kind: str | None) -> Page:
        asked = "ab"[self.turn % 2]
        self.turn += 1
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Eduapp-Route": asked}
        headers.update(self.extra_headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if kind:
            headers["Content-Type"] = kind
        if method == "POST":
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{self.last_page}"
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=60, context=self.context,
                source_address=(self.source, 0),
            )  # fmt: skip
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                page = Page(
                    response.status,
                    response.headers,
                    response.read(),
                    response.headers.get("X-Eduapp-Server", "haproxy"),
                    path,
                )
            except (OSError, http.client.HTTPException) as error:
                page, why = None, f"{method} {path}: {type(error).__name__} {error}"
            finally:
                connection.close()
            if page is not None:
                self.tally.record(asked, page.server, time.perf_counter() - started)
                if page.status not in RETRY_STATUSES:
                    self._keep_cookies(page)
                    return page
                why = f"{method} {path}: {page.status} from {page.server}"
            if attempt < RETRIES:
                self.tally.add("retried", why)
                time.sleep(0.25 * (attempt + 1))
        self.tally.add("failed")
        raise JourneyError(f"{method} {path}: no answer after {RETRIES} retries")

    def _keep_cookies(self, page: Page) -> None:
        for line in page.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            gone = "max-age=0" in line.lower() or "expires=thu, 01 jan 1970" in line.lower()
            if gone or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path: str, expect: int | None = 200) -> Page:
        page = self._send("GET", path, None, None)
        self.last_page = path
        return _expecting(page, expect, "GET")

    def post(self, path: str, fields: dict[str, list[str]], expect: int | None = 302) -> Page:
        body = urlencode([(k, v) for k, values in fields.items() for v in values]).encode()
        page = self._send("POST", path, body, "application/x-www-form-urlencoded")
        return _expecting(page, expect, "POST")

    def post_file(
        self, path: str, fields: dict[str, list[str]], name: str, file: tuple[str, bytes, str]
    ) -> Page:
        """A multipart form with one file, as a browser sends an upload."""
        boundary = uuid.uuid4().hex
        parts = []
        for key, values in fields.items():
            for value in values:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
        filename, content, kind = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        page = self._send(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        return _expecting(page, 302, "POST")

    def follow(self, page: Page) -> Page:
        """Follow redirects, each on the next server, to the page they end on."""
        while page.status in (301, 302, 303):
            page = self.get(page.location, expect=None)
        return page


def _expecting(page: Page, status: int | None, method: str) -> Page:
    if status is not None and page.status != status:
        raise JourneyError(
            f"{method} {page.path}: {page.status} from server {page.server}, expected {status}: "
            + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))[:300]
        )
    return page
