"""The values eduapp accepts from people and files, checked where they come in.

A date or number outside these bounds is refused with a form's or a file's error instead of
being stored: one licence dated 0001-01-01 once broke its clinic's dashboard, and ``sNaN``
hours raised inside ``Decimal`` comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator
from wtforms import DateField, DecimalField, Form
from wtforms.validators import StopValidation

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_RANGE_MESSAGE = f"Give a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."


def date_in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def _checked_date(value: date) -> date:
    if not date_in_range(value):
        raise ValueError(f"give a date between {DATE_MIN} and {DATE_MAX}")
    return value


# A date in a course or rule file (pydantic): the same range as every form.
FileDate = Annotated[date, AfterValidator(_checked_date)]


class BoundedDateField(DateField):
    """A date field that refuses years no licence, course or assignment can have."""

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and not date_in_range(self.data):
            self.data = None
            raise StopValidation(DATE_RANGE_MESSAGE)


# Digits with an optional fraction: no exponent, no Infinity, NaN or sNaN, nothing huge.
PLAIN_NUMBER = re.compile(r"-?[0-9]{1,7}(?:[.,][0-9]{1,4})?")


class PlainDecimalField(DecimalField):
    """A number as a person types it; anything else is the field's error before any maths.

    ``Decimal`` parses "Infinity", "sNaN" and "1e999999"; comparing a NaN raises, and a huge
    exponent overflows later arithmetic.
    """

    refused = ""

    def process_formdata(self, valuelist: Sequence[Any]) -> None:
        self.refused = ""
        if valuelist:
            text = str(valuelist[0]).strip()
            if text and not PLAIN_NUMBER.fullmatch(text):
                # Kept for pre_validate: DataRequired would otherwise replace it with
                # "This field is required", which is not what went wrong.
                self.data, self.refused = None, "Give a plain number, such as 1.5."
                return
            valuelist = [text.replace(",", ".")]
        super().process_formdata(valuelist)

    def pre_validate(self, form: Form) -> None:
        if self.refused:
            raise StopValidation(self.refused)
