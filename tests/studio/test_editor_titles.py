"""A title is part of what the editor saves, so it is part of what a save is checked against:
a title changed in one tab is never put back by another tab's save of the text."""

from __future__ import annotations

from flask.testing import FlaskClient

from eduapp.studio import drafts
from tests.studio.editorkit import draft_module, published_module, save, start

IVY = "ivy@example.org"


def test_a_title_changed_in_another_tab_is_a_conflict_not_undone(instructor: FlaskClient) -> None:
    token = start(instructor)
    before = published_module()
    loaded = drafts.text_hash(before.source, before.title)
    # Tab one renames the module, text unchanged.
    renamed = save(
        instructor, token, before.source or "", based_on=loaded, title="Getting started", json=True
    )
    assert renamed.status_code == 200
    # Tab two still shows the old title and saves a change to the text: refused, both back.
    second = save(instructor, token, "Tab two's text.", based_on=loaded, json=True)
    assert second.status_code == 409
    conflict = second.get_json()
    assert (conflict["mine_title"], conflict["theirs_title"]) == ("First Steps", "Getting started")
    assert conflict["theirs"] == before.source
    assert draft_module(IVY).title == "Getting started"
    # Without JavaScript the page shows the saved title beside the saved text.
    page = save(instructor, token, "Tab two's text.", based_on=loaded)
    assert page.status_code == 409
    assert "Title: <strong>Getting started</strong>" in page.get_data(as_text=True)
    # Keeping mine is a choice made knowing the other title: it saves both of mine.
    kept = save(instructor, token, "Tab two's text.", based_on=conflict["based_on"], json=True)
    assert kept.status_code == 200
    assert (draft_module(IVY).title, draft_module(IVY).source) == ("First Steps", "Tab two's text.")


def test_saving_the_same_title_and_text_twice_from_one_tab_is_no_conflict(
    instructor: FlaskClient,
) -> None:
    token = start(instructor)
    before = published_module()
    first = save(
        instructor,
        token,
        "One.",
        based_on=drafts.text_hash(before.source, before.title),
        title="  Spaced title  ",
        json=True,
    ).get_json()
    assert draft_module(IVY).title == "Spaced title"
    again = save(
        instructor, token, "Two.", based_on=first["based_on"], title="Spaced title", json=True
    )
    assert again.status_code == 200 and draft_module(IVY).source == "Two."
