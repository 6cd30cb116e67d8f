"""Bringing a draft up to date never loses anyone's work: settings are merged against the
version the draft started from (item by item where items have ids), a setting both changed is
a choice on the same page as the modules, and the author's reordering of modules is kept."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import CourseOwner, CourseVersion
from eduapp.studio import drafts, publishing, rebase
from eduapp.studio.newcourse import create_course
from tests.conftest import FIXTURES, csrf_token
from tests.studio.test_publishing import (
    PUBLISH,
    STUDIO,
    course,
    edit,
    person,
    publish,
    signed_in,
)

UPDATE = STUDIO + "/draft/update"
FURLAN = {
    "id": "furlan2015",
    "citation": "Furlan AD, et al. Massage for low-back pain. Cochrane Database Syst Rev 2015.",
    "doi": "10.1002/14651858.CD001929.pub3",
}
MOYER = {
    "id": "moyer2004",
    "citation": "Moyer CA, Rounds J, Hannum JW. A meta-analysis of massage therapy research. "
    "Psychol Bull 2004.",
}
SMITH = {"id": "smith2020", "citation": "Smith J. Touch and pain. Pain Rep 2020."}
BOARD = {"body": "NCBTMB", "number": "451234-26", "valid_from": "2026-01-01"} | {
    "valid_to": "2027-12-31"
}
STATE = {"body": "Florida Board", "number": "FL-77", "valid_from": "2026-01-01"} | {
    "valid_to": "2026-12-31"
}


def settings(email: str, **values: Any) -> None:
    """Change this author's draft settings, as a save of the settings page does."""
    draft = drafts.open_draft(course(), person(email))
    for name, value in values.items():
        setattr(draft, name, value)
    drafts.touch(draft)
    db.session.commit()


def draft_of(email: str) -> CourseVersion:
    db.session.rollback()
    found = drafts.draft_of(course(), person(email))
    assert found is not None
    return found


def order(version: CourseVersion) -> list[str]:
    return [m.slug for m in drafts.modules_of(version)]


def add(email: str, title: str, text: str) -> str:
    draft = drafts.open_draft(course(), person(email))
    module = drafts.add_module(draft, title)
    drafts.save_module(
        draft,
        module,
        title=title,
        source=text,
        based_on=drafts.text_hash("", module.title),
        catalogue=FIXTURES / "courses",
    )
    db.session.commit()
    return module.slug


def move(email: str, slug: str, direction: int) -> None:
    draft = drafts.open_draft(course(), person(email))
    module = drafts.module_of(draft, slug)
    assert module is not None
    drafts.move_module(draft, module, direction)
    db.session.commit()


def authors(app: Flask, make_user) -> tuple[FlaskClient, FlaskClient]:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    drafts.open_draft(course(), person("ivy@example.org"))  # started before Cora publishes
    db.session.commit()
    return ivy, cora


def test_settings_each_author_changed_are_merged_item_by_item(
    app: Flask, imported: None, make_user
) -> None:
    _, cora = authors(app, make_user)
    # Ivy adds a reference and an approval and rewrites the summary; Cora corrects another
    # reference, adds another approval and changes the title and passing score.
    settings(
        "ivy@example.org",
        references=[FURLAN, MOYER, SMITH],
        approvals=[BOARD],
        summary="Ivy's summary.",
        ce_categories=["general", "ethics"],
    )
    corrected = MOYER | {"citation": MOYER["citation"] + " 130(1):3-18."}
    settings(
        "cora@example.org",
        references=[FURLAN, corrected],
        approvals=[STATE],
        title="Cora's title",
        passing_score=75,
        ce_categories=["general", "research"],
    )
    assert publish(cora, "1.1.0").status_code == 302
    draft = draft_of("ivy@example.org")
    rebase.update_from_newest(draft)
    db.session.commit()
    draft = draft_of("ivy@example.org")
    assert draft.references == [FURLAN, corrected, SMITH]
    # Each added item follows the one it came after in its own list (here: none, so first).
    assert draft.approvals == [BOARD, STATE]
    assert (draft.title, draft.summary, draft.passing_score) == (
        "Cora's title",
        "Ivy's summary.",
        75,
    )
    assert draft.ce_categories == ["general", "ethics", "research"]
    assert draft.base_id == course().current_version_id


def test_a_setting_both_changed_is_a_choice_beside_the_modules_and_nothing_is_written_first(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    ivy, cora = authors(app, make_user)
    edit("ivy@example.org", "first-steps", "Ivy's version of the text.")
    settings(
        "ivy@example.org",
        summary="Ivy's summary.",
        objectives=["Ivy's objective."],
        references=[FURLAN | {"citation": "Furlan, as Ivy cites it."}, MOYER],
    )
    edit("cora@example.org", "first-steps", "Cora's version of the text.")
    settings(
        "cora@example.org",
        summary="Cora's summary.",
        objectives=["Pass the tests."],  # unchanged: Ivy's objective is kept
        references=[FURLAN | {"citation": "Furlan, as Cora cites it."}, MOYER],
    )
    assert publish(cora, "1.0.1").status_code == 302
    before, untouched = table_counts(), draft_of("ivy@example.org").updated_at

    asked = ivy.post(UPDATE, data={"csrf_token": csrf_token(ivy, PUBLISH)})
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    for shown in (
        "Ivy&#39;s version of the text.",
        "Cora&#39;s version of the text.",
        "<legend>Summary</legend>",
        "Ivy&#39;s summary.",
        "Cora&#39;s summary.",
        "<legend>References: “furlan2015”</legend>",
        "Citation: Furlan, as Ivy cites it.",
        "Citation: Furlan, as Cora cites it.",
        'name="setting-summary" value="theirs"',
        'name="setting-references:furlan2015" value="mine"',
    ):
        assert shown in html, shown
    assert "Learning objectives" not in html  # only Ivy changed them
    assert table_counts() == before
    draft = draft_of("ivy@example.org")
    assert (draft.summary, draft.updated_at) == ("Ivy's summary.", untouched)
    assert draft.base_id != course().current_version_id

    # Choosing the modules but not the settings still writes nothing.
    half = {"csrf_token": csrf_token(ivy, PUBLISH), "choice-first-steps": "mine"}
    assert ivy.post(UPDATE, data=half).status_code == 409
    assert draft_of("ivy@example.org").updated_at == untouched

    done = ivy.post(
        UPDATE,
        data=half | {"setting-summary": "theirs", "setting-references:furlan2015": "mine"},
    )
    assert done.status_code == 302
    draft = draft_of("ivy@example.org")
    assert draft.summary == "Cora's summary."
    assert draft.objectives == ["Ivy's objective."]
    assert draft.references[0]["citation"] == "Furlan, as Ivy cites it."
    assert drafts.module_of(draft, "first-steps").source == "Ivy's version of the text."
    assert draft.base_id == course().current_version_id


def test_tampered_choices_get_the_page_again_with_the_reason_and_change_nothing(
    app: Flask, imported: None, make_user, table_counts
) -> None:
    ivy, cora = authors(app, make_user)
    settings("ivy@example.org", summary="Ivy's summary.")
    settings("cora@example.org", summary="Cora's summary.")
    assert publish(cora, "1.0.1").status_code == 302
    before, untouched = table_counts(), draft_of("ivy@example.org").updated_at
    for sent, reason in (
        ({"setting-summary": "both"}, "Choose “mine” or “theirs” for Summary."),
        ({"setting-summary": ""}, "Choose “mine” or “theirs” for Summary."),
        ({"setting-summary": "mine", "setting-nonsense": "mine"}, "“nonsense” is not one"),
        ({"setting-summary": "mine", "setting-title": "theirs"}, "“title” is not one"),
        ({"setting-summary": "mine", "choice-no-such-module": "mine"}, "“no-such-module”"),
        ({"setting-summary": "mine", "setting-references:x": "mine"}, "“references:x”"),
    ):
        page = ivy.post(UPDATE, data={"csrf_token": csrf_token(ivy, PUBLISH)} | sent)
        assert page.status_code == 400, sent
        html = page.get_data(as_text=True)
        assert reason in html and "Nothing has changed" in html, sent
        assert 'name="setting-summary"' in html  # the choices, to make again
        assert table_counts() == before
        draft = draft_of("ivy@example.org")
        assert (draft.summary, draft.updated_at) == ("Ivy's summary.", untouched)
    done = ivy.post(
        UPDATE, data={"csrf_token": csrf_token(ivy, PUBLISH), "setting-summary": "mine"}
    )
    assert done.status_code == 302
    assert draft_of("ivy@example.org").summary == "Ivy's summary."


def test_the_authors_reordering_is_kept_with_a_co_authors_new_module_in_place(
    app: Flask, imported: None, make_user
) -> None:
    _, cora = authors(app, make_user)
    move("ivy@example.org", "second-module", -1)
    added = add("cora@example.org", "Case studies", "Cora's case studies [@furlan2015].")
    assert publish(cora, "1.1.0").status_code == 302
    draft = draft_of("ivy@example.org")
    rebase.update_from_newest(draft)
    db.session.commit()
    draft = draft_of("ivy@example.org")
    assert order(draft) == ["second-module", "first-steps", added]
    assert [m.position for m in drafts.modules_of(draft)] == [1, 2, 3]
    assert draft.module_count == 3  # recomputed, never a conflict


def test_when_both_reordered_the_authors_moves_win_for_the_modules_they_moved(
    app: Flask, imported: None, make_user
) -> None:
    ivy = signed_in(app, make_user, "ivy@example.org", "Ivy")
    cora = signed_in(app, make_user, "cora@example.org", "Cora")
    third = add("cora@example.org", "Third module", "The third [@furlan2015].")
    fourth = add("cora@example.org", "Fourth module", "The fourth [@furlan2015].")
    assert publish(cora, "1.1.0").status_code == 302
    # Ivy starts from version 2: she adds a module (at the end) and moves the fourth to the top.
    mine = add("ivy@example.org", "Ivy's module", "Ivy's own [@furlan2015].")
    for _ in range(3):
        move("ivy@example.org", fourth, -1)  # to the top
    move("cora@example.org", "first-steps", +1)  # Cora swaps the first two
    assert publish(cora, "1.2.0").status_code == 302
    assert order(db.session.get_one(CourseVersion, course().current_version_id)) == [
        "second-module",
        "first-steps",
        third,
        fourth,
    ]
    assert ivy.post(UPDATE, data={"csrf_token": csrf_token(ivy, PUBLISH)}).status_code == 302
    assert order(draft_of("ivy@example.org")) == [
        fourth,
        "second-module",
        "first-steps",
        third,
        mine,
    ]


def test_a_draft_started_before_the_first_version_asks_about_every_setting_that_differs(
    app: Flask, make_user
) -> None:
    """With no base, nothing says which side changed a setting: each one that differs is a
    choice (the old rule kept the author's and dropped the published one without a word)."""
    ivy = make_user("ivy@example.org", "Ivy", role="instructor")
    cora = make_user("cora@example.org", "Cora", role="instructor")
    new = create_course(title="Fresh Course", slug="fresh-course", summary="S.", creator=ivy)
    db.session.add(CourseOwner(course_id=new.id, user_id=cora.id, role="co-author"))
    hers = drafts.open_draft(new, cora)
    assert hers.base_id is None
    hers.summary, hers.objectives = "Cora's summary.", ["Cora's objective."]
    mine = drafts.draft_of(new, ivy)
    mine.summary, mine.objectives = "Ivy's summary.", ["Cora's objective."]
    (module,) = drafts.modules_of(mine)
    drafts.save_module(
        mine,
        module,
        title=module.title,
        source="Ivy's first module.",
        based_on=drafts.text_hash(module.source, module.title),
        catalogue=FIXTURES / "courses",
    )
    publishing.publish(mine, ivy, label="1.0.0", note="First.", catalogue=FIXTURES / "courses")
    db.session.commit()
    with pytest.raises(rebase.Conflicts) as asked:
        rebase.update_from_newest(hers)
    assert [(c.key, c.mine, c.theirs) for c in asked.value.settings] == [
        ("summary", "Cora's summary.", "Ivy's summary."),
        ("authors", "(none)", "\n".join(mine.authors)),
    ]
    db.session.rollback()
    rebase.update_from_newest(hers, setting_choices={"summary": "mine", "authors": "theirs"})
    assert (hers.summary, hers.objectives) == ("Cora's summary.", ["Cora's objective."])
    assert hers.base_id == new.current_version_id
