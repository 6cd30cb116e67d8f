"""The renderer: safe HTML, evidence callouts, citations, word counts. Pure: no app."""

from eduapp.content.markdown import citation_label, count_words, render


def test_raw_html_and_scripts_never_survive() -> None:
    html = render(
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    ).html
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html


def test_evidence_callout_renders_level_and_linked_citations() -> None:
    result = render("::: evidence moderate [@furlan2015, @qaseem2017]\nEases pain.\n:::\n")
    assert '<aside class="evidence evidence-moderate">' in result.html
    assert "Evidence: moderate" in result.html
    assert '<a class="cite" href="#ref-furlan2015"' in result.html
    assert result.cited == ["furlan2015", "qaseem2017"]


def test_none_found_level_reads_as_words() -> None:
    assert (
        "Evidence: no evidence found" in render("::: evidence none-found [@a2020]\nX\n:::\n").html
    )


def test_inline_citations_are_grouped_and_recorded_once() -> None:
    result = render("One [@moyer2004; @moyer2011] and again [@moyer2004].")
    assert result.html.count('href="#ref-moyer2004"') == 2
    assert result.cited == ["moyer2004", "moyer2011"]


def test_sanitiser_allows_only_our_classes() -> None:
    # A class attribute cannot come from Markdown, but the allow-list must hold on its own.
    from eduapp.content.markdown import sanitize

    assert sanitize('<p class="evidence-level x">a</p>') == '<p class="evidence-level">a</p>'
    assert "class" not in sanitize('<div class="evil">a</div>')


def test_word_count_ignores_tags_and_callout_labels() -> None:
    html = render("Two words\n\n::: evidence weak [@a2020]\nthree more words\n:::\n").html
    assert count_words(html) == 5


def test_citation_labels() -> None:
    assert citation_label("furlan2015") == "Furlan 2015"
    assert citation_label("moyer2004a") == "Moyer 2004a"
    assert citation_label("nccih") == "Nccih"  # a course gives acronyms a label: NCCIH
    assert citation_label("van-den-berg2020") == "Van Den Berg 2020"


def test_inline_render_has_no_paragraph() -> None:
    assert render("*a* choice", inline=True).html == "<em>a</em> choice"
