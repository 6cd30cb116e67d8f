"""``/search``: the page a person uses, its states, its links and its bounds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from eduapp.extensions import db
from eduapp.search.query import MAX_LENGTH
from eduapp.search.schema import TABLE
from eduapp.search.services import MAX_PAGES
from tests.conftest import AuthActions
from tests.coursefiles import import_folder


@pytest.fixture
def signed_in(client: FlaskClient, imported: None, make_user) -> FlaskClient:
    make_user("lee@example.org", "Lee")
    AuthActions(client).login("lee@example.org")
    return client


def page(client: FlaskClient, query: str, **args: str) -> str:
    response = client.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_page_has_a_labelled_search_box(client: FlaskClient, imported: None) -> None:
    html = client.get("/").get_data(as_text=True)
    form = re.search(r'<form class="site-search"[^>]*role="search"[^>]*>.*?</form>', html, re.S)
    assert form is not None
    assert 'action="/search"' in form.group() and 'method="get"' in form.group()
    assert '<label for="site-search-q"' in form.group() and 'id="site-search-q"' in form.group()
    results = page(client, "massage")
    assert "site-search-q" not in results and results.count('role="search"') == 1


def test_results_link_to_the_place_in_the_module(signed_in: FlaskClient) -> None:
    html = page(signed_in, "manipulation")
    assert "1 result for <strong>manipulation</strong>" in html
    assert (
        'href="/courses/sample-course/modules/first-steps'
        '#:~:text=manipulation%20of%20soft%20tissue%20%28Furlan%202015"' in html
    )
    assert "Module in Sample Course for Tests, version 1.0" in html
    assert "the manual <mark>manipulation</mark> of soft tissue" in html
    # The fragment's words stand together on the module page.
    module = signed_in.get("/courses/sample-course/modules/first-steps").get_data(as_text=True)
    assert "manipulation of soft tissue" in module
    references = page(signed_in, "meta-analysis")
    assert 'href="/courses/sample-course#ref-moyer2004"' in references


def test_text_from_the_database_is_escaped_before_it_is_marked(
    app: Flask, signed_in: FlaskClient, course_files: Path
) -> None:
    module = course_files / "sample-course" / "02-second-module.md"
    module.write_text(
        module.read_text().replace(
            "A short second module with no quiz.",
            "Beware `<script>alert('pelican')</script>` & <img src=x onerror=alert(1)> pelicans.",
        )
    )
    import_folder(course_files)
    html = page(signed_in, "pelican")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;<mark>pelican</mark>&#39;)&lt;/script&gt;" in html
    assert "<mark>pelicans</mark>" in html
    typed = page(signed_in, "<b>pelican</b>")
    assert "<b>pelican</b>" not in typed
    assert "for <strong>&lt;b&gt;pelican&lt;/b&gt;</strong>" in typed


def test_the_empty_the_wordless_and_the_unmatched_search(signed_in: FlaskClient) -> None:
    assert "Type what you are looking for" in page(signed_in, "")
    assert "has no words to search for" in page(signed_in, '"*"')
    nothing = page(signed_in, "hippopotamus")
    assert "0 results" in nothing and "Nothing in the catalogue matches" in nothing


def test_a_signed_out_visitor_is_told_what_they_search(client: FlaskClient, imported: None) -> None:
    html = page(client, "manipulation")
    assert "0 results" in html
    assert "to search the text of the modules too" in html
    assert 'href="/login?next=/search?q%3Dmanipulation"' in html
    titles = page(client, "second module")
    assert 'href="/courses/sample-course/modules/second-module"' in titles


def test_a_search_too_long_is_refused_by_name(signed_in: FlaskClient) -> None:
    html = page(signed_in, "pain " * 41)
    assert f"Search: Search for at most {MAX_LENGTH} characters (this was 205)." in html
    assert 'aria-invalid="true"' in html and "result" not in html.split("<main", 1)[1]


@pytest.mark.parametrize("number", ["0", "-1", "x", "²", "1.5", str(MAX_PAGES + 1), "9" * 40])
def test_a_page_number_out_of_bounds_is_a_400(signed_in: FlaskClient, number: str) -> None:
    response = signed_in.get("/search", query_string={"q": "massage", "page": number})
    assert response.status_code == 400


def test_results_come_twenty_to_a_page(app: Flask, signed_in: FlaskClient) -> None:
    version_id = db.session.execute(text("SELECT current_version_id FROM courses")).scalar_one()
    course_id = db.session.execute(text("SELECT id FROM courses")).scalar_one()
    db.session.execute(
        text(
            f"INSERT INTO {TABLE} (kind, course_id, version_id, module_id, ref_id, position, "
            "title, body) VALUES ('reference', :c, :v, NULL, :ref, :n, 'Pelican', 'pelican')"
        ),
        [{"c": course_id, "v": version_id, "ref": f"p{n}", "n": 100 + n} for n in range(45)],
    )
    db.session.commit()
    first = page(signed_in, "pelican")
    assert "45 results for <strong>pelican</strong>, page 1 of 3" in first
    assert first.count('class="search-hit"') == 20 and "Previous page" not in first
    assert 'href="/search?q=pelican&amp;page=2">Next page' in first
    last = page(signed_in, "pelican", page="3")
    assert last.count('class="search-hit"') == 5
    assert '<ol class="search-results" start="41">' in last
    beyond = page(signed_in, "pelican", page="4")
    assert "There are only 3 pages of results" in beyond
