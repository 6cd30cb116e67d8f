"""The gradebook's learners CSV is an export job: pressing the button records the request
and answers at once; the ``build_export`` job reads the rows the asker may see, writes the
file and records the view, once; the request's page (the asker's alone) offers the download."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.exc import IntegrityError

from eduapp.extensions import db
from eduapp.jobs import jobs
from eduapp.models import Clinic, CourseOwner, User
from eduapp.models.export import ExportRequest
from eduapp.studio import gradebook_rows
from tests.conftest import csrf_token, run_jobs
from tests.studio.gradebookkit import PAGE, course, share
from tests.studio.test_create_course import create
from tests.studio.test_gradebook_csv import (  # noqa: F401
    LEARNERS,
    admin,
    ask,
    build,
    export_id,
    graded,
    table,
    views,
)
from tests.studio.test_owners import signed_in


def requests() -> list[ExportRequest]:
    db.session.rollback()
    return list(db.session.execute(db.select(ExportRequest)).scalars())


def test_asking_builds_nothing_and_the_job_builds_and_records_once(
    instructor: FlaskClient,
    graded: list,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    share(graded[1])
    page = instructor.get(PAGE).get_data(as_text=True)
    assert f'action="{LEARNERS}"' in page and 'method="post"' in page
    assert f'href="{LEARNERS}"' not in page  # no longer a link that builds in the request
    read: list[bool] = []
    real = gradebook_rows.learner_rows
    monkeypatch.setattr(
        gradebook_rows, "learner_rows", lambda *a, **k: read.append(True) or real(*a, **k)
    )
    before = len(views())  # the gradebook page above showed learner 1
    path = ask(instructor)
    assert read == []  # answered without reading anyone's row
    [row] = requests()
    assert (row.kind, row.status, row.course_id, row.clinic_id) == (
        "gradebook-learners",
        "pending",
        course().id,
        None,
    )
    waiting = instructor.get(path).get_data(as_text=True)
    assert "Gradebook learners (CSV) of Sample Course" in waiting
    assert "Being prepared" in waiting and '<meta http-equiv="refresh" content="3">' in waiting
    assert f'href="{PAGE}"' in waiting  # back to the gradebook
    assert instructor.get(path + "/download").status_code == 404  # not built yet
    assert len(views()) == before  # nothing recorded until the rows are read
    # Two workers get the same job: one builds, the other finds it claimed.
    jobs().enqueue("build_export", row.id)
    assert sorted(run_jobs()) == [("build_export", "not claimed"), ("build_export", "ready")]
    assert read == [True]
    [*_, view] = views()
    assert len(views()) == before + 1
    assert (view.kind, view.learners_shown, view.as_admin) == ("csv", 1, False)
    assert gradebook_rows.audit_trail(course())[1] == before + 1
    ready = instructor.get(path).get_data(as_text=True)
    assert "http-equiv" not in ready and "Download the gradebook learners (CSV)" in ready
    for _ in range(2):  # downloading again reads nobody's row again
        download = instructor.get(path + "/download")
        assert download.headers["Content-Disposition"] == (
            f"attachment; filename=gradebook-learners-{course().id}-{row.id}.csv"
        )
        assert [line[0] for line in table(download)[1:]] == ["learner 1"]
    assert len(views()) == before + 1


def test_who_may_ask_is_who_may_see_the_gradebook(
    app: Flask,
    make_user: Any,
    instructor: FlaskClient,
    admin: FlaskClient,  # noqa: F811
) -> None:
    learner = signed_in(app, make_user, "lea@example.org", role="learner")
    foreign = signed_in(app, make_user, "olly@example.org", role="instructor")
    other_owner = signed_in(app, make_user, "otto@example.org", role="instructor")
    assert create(other_owner).status_code == 302  # Otto owns a course of his own
    co_author = signed_in(app, make_user, "cora@example.org", role="instructor")
    db.session.add(CourseOwner(course_id=course().id, user_id=user_id("cora"), role="co-author"))
    db.session.commit()
    for client, status in ((learner, 403), (foreign, 404), (other_owner, 404)):
        token = csrf_token(client, "/my-learning")
        assert client.post(LEARNERS, data={"csrf_token": token}).status_code == status
        assert client.get(PAGE).status_code == status  # as the gradebook page answers
    assert app.test_client().post(LEARNERS).status_code in (302, 400)
    assert requests() == []
    # The old download address no longer builds anything in the request.
    for client in (instructor, admin, learner):
        assert client.get(LEARNERS).status_code == 405
    # Without the form's token: 400, and nothing recorded.
    assert instructor.post(LEARNERS, data={}).status_code == 400
    assert requests() == [] and views() == []
    for client in (instructor, co_author, admin):
        ask(client)
    assert sorted(r.user_id for r in requests()) == sorted(
        user_id(name) for name in ("ivy", "cora", "ada")
    )


def user_id(name: str) -> int:
    email = f"{name}@example.org"
    return db.session.execute(db.select(User.id).filter_by(email=email)).scalar_one()


def test_someone_elses_export_is_404(
    instructor: FlaskClient,
    admin: FlaskClient,  # noqa: F811
    graded: list,  # noqa: F811
) -> None:
    path = ask(admin)
    build(path)
    assert admin.get(path + "/download").status_code == 200
    for url in (path, path + "/download"):
        assert instructor.get(url).status_code == 404  # the same course, not their request
    for url in (f"/exports/{export_id(path) + 1000}", f"/exports/{export_id(path)}x"):
        assert admin.get(url).status_code == 404


def test_an_asker_no_longer_managing_the_course_gets_nothing(
    instructor: FlaskClient,
    graded: list,  # noqa: F811
) -> None:
    """Between the button and the build, the owner was removed from the course: the job
    reads nobody's row, builds nothing and is not tried again."""
    share(graded[0])
    path = ask(instructor)
    db.session.execute(db.delete(CourseOwner).where(CourseOwner.user_id == user_id("ivy")))
    db.session.commit()
    assert jobs().task("build_export").call_local(export_id(path)) == "refused"
    assert jobs().task("build_export").call_local(export_id(path)) == "not claimed"
    page = instructor.get(path).get_data(as_text=True)
    assert "Not built: you no longer manage this course" in page and "http-equiv" not in page
    assert instructor.get(path + "/download").status_code == 404
    assert views() == []


def test_flask_jobs_run_pending_builds_it(
    admin: FlaskClient,  # noqa: F811
    graded: list,  # noqa: F811
    runner: FlaskCliRunner,
) -> None:
    path = ask(admin)
    result = runner.invoke(args=["jobs", "run-pending"])
    assert result.exit_code == 0 and "jobs run" in result.output
    [row] = requests()
    assert row.ready
    assert len(table(admin.get(path + "/download"))) == 6  # the header and five learners
    [view] = views()
    assert (view.learners_shown, view.as_admin) == (5, True)


@pytest.mark.parametrize("both", [True, False])
def test_an_export_is_about_exactly_one_clinic_or_course(
    make_user: Any, imported: None, both: bool
) -> None:
    """The database's check, not only the code: neither, or both, is refused."""
    asker = make_user("ada@example.org", "Ada", role="admin")
    clinic = Clinic(name="Harbour Clinic")
    db.session.add(clinic)
    db.session.flush()
    db.session.add(
        ExportRequest(
            user_id=asker.id,
            kind="dashboard",
            clinic_id=clinic.id if both else None,
            course_id=course().id if both else None,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_owner_removed_after_the_build_can_no_longer_download_it(
    instructor: FlaskClient,
    graded: list,  # noqa: F811
) -> None:
    """The file holds learners' results: it is offered no longer than the gradebook is."""
    share(graded[0])
    path = ask(instructor)
    build(path)
    assert instructor.get(path + "/download").status_code == 200
    db.session.execute(db.delete(CourseOwner).where(CourseOwner.user_id == user_id("ivy")))
    db.session.commit()
    assert instructor.get(path + "/download").status_code == 403
    page = instructor.get(path).get_data(as_text=True)
    assert "You no longer manage this course, so this export is no longer offered" in page
    assert "Download the gradebook learners" not in page
