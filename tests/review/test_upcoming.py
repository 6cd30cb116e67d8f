"""The review calendar's days: each card counts on the learner's local day it falls due, an
overdue card counts today, and local midnights follow daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from eduapp.extensions import db
from eduapp.models import ReviewCard, User
from eduapp.review.calendar import DAYS
from eduapp.review.services import DAYS_KEPT, _days_from, summary, upcoming
from tests.conftest import AuthActions
from tests.review.helpers import QUIZ, WRONG_SINGLE, cards, take


def learner_and_template(client: FlaskClient, auth: AuthActions) -> tuple[User, dict[str, Any]]:
    """A learner whose one review card is removed, its columns kept to make cards due at
    the times a test chooses."""
    auth.signup()
    take(client, QUIZ, WRONG_SINGLE)
    card = cards()[0]
    learner = db.session.get_one(User, card.user_id)
    template = {c.key: getattr(card, c.key) for c in ReviewCard.__table__.columns}
    del template["id"]
    db.session.delete(card)
    return learner, template


@pytest.mark.clock(datetime(2026, 10, 30, 16, 0, tzinfo=UTC), tick=False)
def test_cards_count_on_the_local_day_they_fall_due(
    client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    learner, template = learner_and_template(client, auth)
    # New York: EDT (UTC-4) until 06:00 UTC on Sunday 1 November 2026, then EST (UTC-5).
    learner.timezone = "America/New_York"
    dues = [
        datetime(2026, 10, 20, 9, 0, tzinfo=UTC),  # overdue: today
        datetime(2026, 10, 31, 3, 59, tzinfo=UTC),  # 23:59 EDT on the 30th: today
        datetime(2026, 10, 31, 4, 0, tzinfo=UTC),  # 00:00 EDT on the 31st: tomorrow
        datetime(2026, 11, 1, 4, 30, tzinfo=UTC),  # 00:30 EDT on 1 November
        datetime(2026, 11, 2, 4, 30, tzinfo=UTC),  # 23:30 EST, still 1 November
        datetime(2026, 11, 2, 5, 0, tzinfo=UTC),  # 00:00 EST on 2 November
        datetime(2026, 11, 3, 4, 59, tzinfo=UTC),  # 23:59 EST on 2 November
        datetime(2026, 11, 3, 5, 0, tzinfo=UTC),  # 3 November: past the days shown
    ]
    db.session.add_all(
        ReviewCard(**{**template, "item": f"q/{i}", "due": due}) for i, due in enumerate(dues)
    )
    db.session.commit()

    assert upcoming(learner, 4) == [
        (date(2026, 10, 30), 2),
        (date(2026, 10, 31), 1),
        (date(2026, 11, 1), 2),
        (date(2026, 11, 2), 2),
    ]
    assert upcoming(learner, 2) == [(date(2026, 10, 30), 2), (date(2026, 10, 31), 1)]

    # My learning reads the figures and the calendar's dues in one statement: the same days.
    shown = summary(learner)
    assert shown is not None
    assert shown.days == tuple(upcoming(learner, DAYS))
    assert shown.days[4] == (date(2026, 11, 3), 1) and sum(n for _, n in shown.days) == 8
    assert (shown.deck, shown.due, shown.recalled, shown.reviews) == (8, 1, 0, 0)


@pytest.mark.clock(datetime(2026, 10, 30, 16, 0, tzinfo=UTC), tick=False)
def test_my_learning_figures_leave_out_retired_and_later_cards(
    client: FlaskClient, auth: AuthActions, imported: None
) -> None:
    learner, template = learner_and_template(client, auth)
    db.session.add_all(
        [
            ReviewCard(**{**template, "item": "q/now", "due": datetime(2026, 10, 30, tzinfo=UTC)}),
            ReviewCard(**{**template, "item": "q/far", "due": datetime(2027, 3, 1, tzinfo=UTC)}),
            ReviewCard(
                **{
                    **template,
                    "item": "q/gone",
                    "due": datetime(2026, 10, 29, tzinfo=UTC),
                    "retired": True,
                }
            ),
        ]
    )
    db.session.commit()
    shown = summary(learner)
    assert shown is not None
    assert (shown.deck, shown.due) == (2, 1)  # the retired card is in neither
    assert sum(n for _, n in shown.days) == 1  # the far one is past the five weeks
    for row in db.session.execute(db.select(ReviewCard)).scalars():
        row.retired = True
    db.session.commit()
    assert summary(learner) is None  # an empty deck shows no review section


@pytest.mark.clock(datetime(2026, 10, 31, 3, 30, tzinfo=UTC), tick=False)
def test_the_kept_days_move_on_at_the_learners_midnight(
    client: FlaskClient, auth: AuthActions, imported: None, clock: Any
) -> None:
    """The local days are kept per process by zone and date (nobody's data), a bounded
    number of them; the learner's next midnight starts the next calendar."""
    auth.signup()
    take(client, QUIZ, WRONG_SINGLE)
    learner = db.session.get_one(User, cards()[0].user_id)
    learner.timezone = "America/New_York"  # 23:30 EDT on 30 October
    db.session.commit()
    first = summary(learner)
    assert first is not None and first.days[0][0] == date(2026, 10, 30)
    clock.move_to(datetime(2026, 10, 31, 4, 0, tzinfo=UTC))  # midnight in New York
    later = summary(learner)
    assert later is not None and later.days[0][0] == date(2026, 10, 31)
    assert len(later.days) == DAYS
    for n in range(DAYS_KEPT + 5):
        _days_from(ZoneInfo("UTC"), date(2020, 1, 1) + timedelta(days=n), DAYS)
    assert _days_from.cache_info().currsize == DAYS_KEPT
