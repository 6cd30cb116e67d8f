"""The pure parts of search: HTML to text, the query language, excerpts. No app."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from eduapp.content.markdown import render
from eduapp.search.excerpts import excerpt, mark, stem, text_fragment
from eduapp.search.query import MAX_LENGTH, MAX_PARTS, Query, QueryTooLong, parse
from eduapp.search.text import html_to_text


def test_module_html_becomes_its_words_a_line_per_block_without_callout_labels() -> None:
    html = render(
        "Massage is the manual manipulation of soft tissue [@furlan2015].\n\n"
        "::: evidence moderate [@furlan2015]\nMassage eases low back pain.\n:::\n\n"
        "## Second heading\n\n- one &amp; <b>two</b>\n- three\n\n"
        "| Finding | Action |\n|---|---|\n| Numbness | Stop |\n"
    ).html
    assert html_to_text(html).split("\n") == [
        "Massage is the manual manipulation of soft tissue (Furlan 2015).",
        "Massage eases low back pain.",
        "Second heading",
        "one & <b>two</b>",  # Markdown shows typed HTML as text, and so does search
        "three",
        "Finding",
        "Action",
        "Numbness",
        "Stop",
    ]
    assert "Evidence" not in html_to_text(html) and "href" not in html_to_text(html)


def test_words_and_quoted_phrases_all_must_match() -> None:
    query = parse('Low-back "Soft  tissue" massage OR stretching "unclosed quote')
    assert query.parts == (
        ("low", "back"),
        ("soft", "tissue"),
        ("massage",),
        ("stretching",),
        ("unclosed", "quote"),
    )
    assert query.fts5() == '"low back" "soft tissue" "massage" "stretching" "unclosed quote"'
    assert query.fts5("title").startswith('title : "low back" title : "soft tissue"')
    assert query.websearch() == '"low back" "soft tissue" massage stretching "unclosed quote"'


@pytest.mark.parametrize(
    "typed",
    ['"', '""', "*", "NEAR(", "massage*", "a:b", "title : x", "-pain", "^x", "(", "'", "_", "OR"],
)
def test_operators_of_either_engine_are_only_punctuation(typed: str) -> None:
    for part in parse(typed).parts:
        assert all(re.fullmatch(r"[^\W_]+", word) for word in part)


def test_a_search_is_bounded() -> None:
    with pytest.raises(QueryTooLong, match=f"at most {MAX_LENGTH} characters"):
        parse("a" * (MAX_LENGTH + 1))
    assert len(parse(" ".join(f"w{n}" for n in range(30))).parts) == MAX_PARTS
    assert not parse("   ") and not parse("?!") and not parse("or")


@given(st.text(max_size=MAX_LENGTH))
@example('"a" NEAR("b" "c", 2) OR d* ^e {title}: f - g + h')
def test_any_text_parses_to_words_of_letters_and_digits(typed: str) -> None:
    query = parse(typed)
    assert len(query.parts) <= MAX_PARTS
    for part in query.parts:
        assert part and all(re.fullmatch(r"[^\W_]+", word) for word in part)
        assert '"' not in " ".join(part)


def test_excerpts_are_escaped_and_only_matches_are_marked() -> None:
    text = (
        "Start here.\n<script>alert(1)</script> & stretching helps; the client stretched "
        "and then stretches again. Nothing else <b>matters</b>."
    )
    found = excerpt(text, parse("stretch"))
    assert found is not None
    html = str(found.html)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "&lt;b&gt;matters" in html
    assert re.findall(r"<mark>(.*?)</mark>", html) == ["stretching", "stretched", "stretches"]
    assert re.sub(r"</?mark>", "", html).count("<") == 0  # no other tag survives
    assert found.fragment == "stretching helps; the client stretched and"


def test_marking_follows_stems_and_folds_accents() -> None:
    assert stem("massaging") == stem("massages") == stem("massage") == "massag"
    assert str(mark("Massages & massaging", parse("massage"))) == (
        "<mark>Massages</mark> &amp; <mark>massaging</mark>"
    )
    assert "<mark>Café</mark>" in str(mark("Café talk", parse("cafe")))
    found = excerpt("Un CAFÉ noir, naïve.", parse("cafe naive"))  # as FTS5 folds accents
    assert found is not None and str(found.html) == "Un <mark>CAFÉ</mark> noir, <mark>naïve</mark>."
    assert "<mark>" not in str(mark("painting", parse("pain")))  # not a form of the word


def test_the_excerpt_is_where_the_phrase_is_and_stays_short() -> None:
    filler = " ".join(["filler"] * 200)
    text = f"pain alone here. {filler} low back pain together. {filler} " + "x" * 2000
    found = excerpt(text, parse('"low back pain"'))
    assert found is not None
    assert "<mark>low</mark> <mark>back</mark> <mark>pain</mark> together" in str(found.html)
    assert str(found.html).startswith("… ") and len(str(found.html)) < 600
    assert excerpt(text, parse("absent")) is None


def test_the_excerpt_shows_the_searched_words_together_where_they_meet() -> None:
    filler = " ".join(["filler"] * 60)
    text = f"Broad strokes first. {filler} Use it for strokes such as long effleurage. {filler}"
    found = excerpt(text, parse("effleurage strokes"))
    assert found is not None
    assert "for <mark>strokes</mark> such as long <mark>effleurage</mark>" in str(found.html)
    assert found.fragment == "strokes such as long effleurage. filler"  # six words


@given(
    st.text(alphabet=st.sampled_from("aAbcé \u017fK\u212a-'.\n<&\u0301"), max_size=400),
    st.text(alphabet=st.sampled_from('abcé K"'), max_size=20),
)
@example("K\u212a k", "k")
def test_an_excerpt_is_always_the_text_itself_escaped(text: str, typed: str) -> None:
    found = excerpt(text, parse(typed))
    if found is None:
        return
    plain = html_lib.unescape(re.sub(r"</?mark>", "", str(found.html)))
    assert plain.removeprefix("… ").removesuffix(" …") in text.replace("\n", " ")
    assert found.fragment is not None and found.fragment in text


def test_a_text_fragment_encodes_its_own_syntax() -> None:
    assert text_fragment("low-back pain, & more") == ":~:text=low%2Dback%20pain%2C%20%26%20more"


def test_an_empty_query_is_falsy() -> None:
    assert not Query(())
