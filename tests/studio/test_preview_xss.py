"""Hostile module text, Markdown and raw HTML, through every way a body becomes HTML: the
preview service, the preview route, and a course folder's import. The HTML is parsed, never
searched with a pattern: what counts is what a browser would build from it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask

from eduapp.content.importer import import_courses
from eduapp.content.loader import load_course
from eduapp.extensions import db
from eduapp.figures.inspect import inspect
from eduapp.studio.preview import preview_module
from tests.conftest import AuthActions, csrf_token
from tests.content.figurekit import problems, write_course
from tests.figures.imagekit import SVG
from tests.studio.conftest import grant

ALT = "Both palms gliding up the back"
FIG = "figures/effleurage.svg"
REFS = [{"id": "furlan2015", "citation": "Furlan 2015."}]
JS = "alert(1)"

PAYLOADS = [
    # Raw HTML: markdown-it has it off, and nh3 would drop it anyway.
    f"<script>{JS}</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    f"<img src=x onerror={JS}>",
    f"<svg onload={JS}>",
    f"<svg><script>{JS}</script></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    f'<form action="javascript:{JS}"><button>go</button></form>',
    f'<button formaction="javascript:{JS}">go</button>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<base href="javascript:{JS}//">',
    f"<style>body{{background:url(javascript:{JS})}}</style>",
    f'<p style="width:expression({JS})">x</p>',
    f'<a href="javascript:{JS}">x</a>',
    f'<a href="JaVaScRiPt:{JS}">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    f'<a href="jav&#x09;ascript:{JS}">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    f'<a href="data:text/html,<script>{JS}</script>">x</a>',
    f'<div title="x" onmouseover="{JS}">hover</div>',
    f'<a href="/" title=\'x" onclick="{JS}\'>quote</a>',
    f'"><script>{JS}</script>',
    f"<details open ontoggle={JS}>",
    f"<video><source onerror={JS}></video>",
    f"<input autofocus onfocus={JS}>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    f'<!--<img src="--><img src=x onerror={JS}//">',
    # Markdown links, images, references and autolinks with dangerous addresses.
    f"[click](javascript:{JS})",
    f"[click](JAVASCRIPT:{JS})",
    f"[click](&#106;avascript:{JS})",
    f"[click](javascript&#58;{JS})",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[click](<javascript:{JS}>)",
    f"[click]( javascript:{JS})",
    f"![{ALT}](javascript:{JS})",
    f"![{ALT}](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    f"[click][evil]\n\n[evil]: javascript:{JS}",
    f"![{ALT}][pic]\n\n[pic]: javascript:{JS}",
    f"<javascript:{JS}>",
    f'<http://example.org/" onmouseover="{JS}>',
    f'[x](http://example.org "title\\" onmouseover=\\"{JS}")',
    # Schemes that start another application (a phone call, a chat, a shell): nh3's defaults
    # allowed these until the sanitiser kept links to http, https and mailto.
    "[call the clinic](tel:+19005550100)",
    "[text us](sms:+19005550100?body=STOP)",
    "<ssh://root@evil.example>",
    "[chat](irc://evil.example/room)",
    "[files](ftp://evil.example/pub)",
    f"| a | b |\n|---|---|\n| <script>{JS}</script> | [x](javascript:{JS}) |",
    # Inside our own blocks: evidence callouts, checked blocks, figures and citations.
    f"::: evidence moderate [@furlan2015]\n<script>{JS}</script>\n[x](javascript:{JS})\n:::",
    f"::: checked 2026-01-05 [@furlan2015]\n<img src=x onerror={JS}>\n:::",
    f'::: evidence moderate [@furlan2015" onclick="{JS}]\nText.\n:::',
    f"::: evidence <img src=x onerror={JS}> [@furlan2015]\nText.\n:::",
    f'![{ALT}]({FIG} "<script>{JS}</script>")',
    f'![{ALT}]({FIG} "[a caption](javascript:{JS}) of strokes")',
    f'![{ALT}]({FIG} "Caption <iframe src=javascript:{JS}>")',
    f'![{ALT}" onerror="{JS}]({FIG} "Caption")',
    f'![<img src=x onerror={JS}> palms gliding]({FIG} "Caption")',
    f'Text [@furlan2015"onmouseover="{JS}].',
    f"Text [@x'><script>{JS}</script>].",
    f"[@furlan2015](javascript:{JS})",
]

FORBIDDEN = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "form",
    "button",
    "input",
    "textarea",
    "base",
    "meta",
    "link",
    "style",
    "svg",
    "math",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcset"}
SAFE_SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
FIGURE_SRC = re.compile(r"/figures/[0-9a-f]{64}\.svg")


class Elements(HTMLParser):
    """Every start tag a browser would build, with its attributes (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def unsafe(html: str) -> list[str]:
    """What in ``html`` could run script or leave the page; empty when it is safe."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.found:
        if tag in FORBIDDEN:
            found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"<{tag} {name}>")
            if name not in URL_ATTRIBUTES:
                continue
            # Browsers ignore tabs, newlines and leading spaces or controls in a URL.
            url = re.sub(r"[\x00-\x20]", "", value).lower()
            if tag == "img" and name == "src":
                if not FIGURE_SRC.fullmatch(url):
                    found.append(f"<img src={value!r}>")
                continue
            scheme = SCHEME.match(url)
            if scheme and scheme.group(1) not in SAFE_SCHEMES:
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_the_checker_catches_what_it_looks_for() -> None:
    assert unsafe('<a href="jav&#x09;ascript:x">a</a><p onclick="x" style="a">b</p>') == [
        "<a href='jav\\tascript:x'>",
        "<p onclick>",
        "<p style>",
    ]
    assert unsafe('<img src="/x.png"><base href="/"><a href="/figures/a">ok</a>') == [
        "<img src='/x.png'>",
        "<base>",
    ]
    assert unsafe('<a href="#ref-a">a</a> <a href="https://doi.org/1">b</a>') == []


def test_there_are_enough_payloads() -> None:
    assert len(PAYLOADS) >= 40 and len(set(PAYLOADS)) == len(PAYLOADS)


def body(payload: str) -> str:
    """The payload inside an otherwise honest module, with a real figure beside it."""
    return f'Intro [@furlan2015].\n\n{payload}\n\n![{ALT}]({FIG} "Effleurage strokes")\n'


@pytest.mark.parametrize("payload", PAYLOADS)
def test_preview_service(payload: str) -> None:
    info = inspect(SVG.encode(), filename=FIG)
    result = preview_module(body(payload), references=REFS, figures={FIG: info})
    assert unsafe(result.html) == []
    assert f'src="{info.url}"' in result.html  # the honest figure still shows


@pytest.mark.parametrize("payload", PAYLOADS)
def test_import(tmp_path: Path, payload: str) -> None:
    folder = write_course(tmp_path, body(payload), {FIG: SVG.encode()})
    if problems(folder):
        return  # refused with its reasons: nothing is rendered or stored
    module = next(m for m in load_course(folder).modules if m.slug == "strokes")
    assert unsafe(module.body_html) == []


def test_preview_route(app: Flask, make_user, tmp_path: Path) -> None:
    """All payloads through the route, against a course that has the figure stored."""
    import_courses([load_course(write_course(tmp_path, "Welcome.", {FIG: SVG.encode()}))])
    db.session.commit()
    make_user("ivy@example.org", "Ivy", role="instructor")
    grant("ivy@example.org", "fig-course")
    client = app.test_client()
    AuthActions(client).login("ivy@example.org")
    token = csrf_token(client, "/studio/courses/fig-course")
    failures = {}
    for payload in PAYLOADS:
        response = client.post(
            "/studio/courses/fig-course/preview", data={"body": body(payload), "csrf_token": token}
        )
        assert response.status_code == 200, payload
        found = unsafe(response.get_data(as_text=True))
        if found:
            failures[payload] = found
    assert failures == {}
