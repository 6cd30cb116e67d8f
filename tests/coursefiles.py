"""Course catalogues for tests: the fixture catalogue imported as it is, or copied into the
test's folder to be edited and imported again as the next version, as an instructor's files
would be. tests/conftest.py registers the fixtures.
"""

from __future__ import annotations

import copy
import functools
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask

from eduapp.content.data import CourseData
from eduapp.extensions import db

if TYPE_CHECKING:
    from eduapp.content.importer import ImportReport

FIXTURES = Path(__file__).parent / "fixtures"


@functools.cache
def _loaded(folder: Path) -> list[CourseData]:
    from eduapp.content.loader import load_catalogue

    return load_catalogue(folder)


def catalogue(folder: Path) -> list[CourseData]:
    """``load_catalogue`` of a folder in the repository that no test changes (the shipped
    courses, a fixture catalogue): read once a session, and a copy for each caller, so that
    nothing one test does to the data can reach another. Loading is tested on its own; the
    tests that only need the data pay for it once (the shipped catalogue takes a second)."""
    return copy.deepcopy(_loaded(folder.resolve()))


def import_folder(folder: Path, *, force: bool = False) -> list[ImportReport]:
    """Read a catalogue folder a test wrote and import it, committed, as ``flask courses
    import`` does (read afresh each time: the test has just changed the files)."""
    from eduapp.content.importer import import_courses
    from eduapp.content.loader import load_catalogue

    reports = import_courses(load_catalogue(folder), force=force)
    db.session.commit()
    return reports


@pytest.fixture
def imported(app: Flask) -> None:
    """The fixture catalogue, imported."""
    from eduapp.content.importer import import_courses

    import_courses(catalogue(FIXTURES / "courses"))
    db.session.commit()


@pytest.fixture
def course_files(tmp_path: Path) -> Path:
    """A copy of the fixture catalogue for the test to edit; the fixtures stay as they are."""
    folder = tmp_path / "courses"
    shutil.copytree(FIXTURES / "courses", folder)
    return folder


@pytest.fixture
def courses(app: Flask, course_files: Path) -> Path:
    """The fixture catalogue imported from its copy, which the test edits and imports again
    (``import_folder``) to publish the next version."""
    import_folder(course_files)
    return course_files
