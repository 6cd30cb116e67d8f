"""The CE Broker course tracking number as course.yml carries it: imported onto the course
the rosters read, written back by the export, and refused when it is not one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from flask import Flask
from pydantic import ValidationError

from eduapp.cebroker.services import tracking_on
from eduapp.content import export
from eduapp.content.loader import load_course
from eduapp.content.schema import Approval
from eduapp.extensions import db
from eduapp.models import Course, CourseVersion
from tests.coursefiles import import_folder

APPROVAL = {
    "body": "Florida Board of Massage Therapy",
    "number": "FL-1",
    "valid_from": date(2026, 1, 1),
    "valid_to": date(2026, 12, 31),
    "cebroker": "20-123456",
}


def test_the_number_goes_from_the_file_to_the_roster_and_back(
    app: Flask, courses: Path, tmp_path: Path
) -> None:
    path = courses / "sample-course" / "course.yml"
    data = yaml.safe_load(path.read_text())
    data.update(version="1.1", approvals=[APPROVAL])
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    import_folder(courses)
    course = db.session.execute(db.select(Course).filter_by(slug="sample-course")).scalar_one()
    assert tracking_on(course.approvals, date(2026, 6, 1)) == "20-123456"
    assert tracking_on(course.approvals, date(2027, 1, 1)) is None  # outside the approval
    out = tmp_path / "sample-course"
    export.write_folder(course, db.session.get_one(CourseVersion, course.current_version_id), out)
    assert load_course(out).meta.approvals[0].cebroker == "20-123456"


@pytest.mark.parametrize("number", ["50-123456", "20-", "CEB123", "1234567890123"])
def test_a_number_that_is_not_cebrokers_fails_the_course_check(number: str) -> None:
    with pytest.raises(ValidationError, match="cebroker"):
        Approval.model_validate({**APPROVAL, "cebroker": number})
