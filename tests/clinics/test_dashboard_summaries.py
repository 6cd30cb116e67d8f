"""The dashboard's stored summaries: statuses that change by the date alone change at the
person's next local midnight; pages, filters, sorts and totals are what assessing everyone
afresh gives; a recomputation never overwrites a later change; bulk statements mark too;
a fixed number of statements for 10 or 200 stale people."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from eduapp.clinics import dashboard, freshness, summaries
from eduapp.clinics.dashboard import PAGE_SIZE, SEVERITY, STATUSES, staff_rows
from eduapp.clock import now
from eduapp.extensions import db
from eduapp.models import (
    Assignment,
    Clinic,
    ClinicMember,
    Course,
    Enrolment,
    ExternalCredit,
    Licence,
    User,
)
from tests.ce.test_my_ce import add_licence
from tests.clinics.helpers import add_staff, join, make_clinic, packs
from tests.clinics.test_dashboard_freshness import chart
from tests.conftest import AuthActions, csrf_token
from tests.learn.test_course_pages import count_queries

__all__ = ["packs"]  # the fixture


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_statuses_change_at_the_persons_next_local_midnight(
    app: Flask, make_user, packs, clock
) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    # Renews 2027-02-24: at risk from 2026-11-26 (90 days before), overdue from 2027-02-25.
    add_licence(kim, packs["ncbtmb"], "BC-1", "2027-02-24")
    assert "1 on track" in chart(manager, clinic.id)

    def at(moment: str) -> str:
        """The chart at this moment (signed in again: sessions last 12 hours)."""
        clock.move_to(moment)
        AuthActions(manager).login("mia@example.org")
        return chart(manager, clinic.id)

    assert "1 on track" in at("2026-11-25 23:59:59")
    assert "1 at risk" in at("2026-11-26 00:00:00")  # Kim's midnight (UTC); nothing written

    # Kim moves to Auckland (UTC+13 in summer) on her account page: her dates follow.
    clock.move_to("2027-02-01 12:00:00")
    AuthActions(kim).login("kim@example.org")
    kim.post(
        "/account",
        data={"name": "Kim", "timezone": "Pacific/Auckland", "csrf_token": csrf_token(kim, "/")},
    )
    assert "1 at risk" in at("2027-02-24 10:59:59")  # 23:59:59 on the 24th in Auckland
    # Midnight in Auckland, still the 24th in UTC: overdue for her.
    assert at("2027-02-24 11:00:00").startswith("1 overdue")
    overdue = manager.get(f"/clinics/{clinic.id}?status=overdue").get_data(as_text=True)
    assert "kim@example.org" in overdue


def test_a_time_zone_change_alone_marks_the_summary(app: Flask) -> None:
    """The account page's write is caught as a change of ``User.timezone`` (a new user is
    not: it has nothing stored yet)."""
    user = User(email="tz@example.org", name="Tz", password_hash="-", timezone="UTC")
    db.session.add(user)
    db.session.commit()
    user.timezone = "Asia/Tokyo"
    db.session.flush()
    generation = db.session.execute(
        db.select(summaries.TABLE.c.generation).where(summaries.TABLE.c.user_id == user.id)
    ).scalar_one()
    assert generation == 1
    db.session.rollback()


def test_a_rule_pack_change_marks_everyone_holding_its_licences(app: Flask, packs) -> None:
    """A re-import of the rule files that changes a pack (its approving bodies, say) marks
    the summaries of everyone with a licence of that pack, and nobody else's."""
    holder, other = (
        User(email=f"{n}@example.org", name=n, password_hash="-") for n in ("holder", "other")
    )
    db.session.add_all([holder, other])
    db.session.flush()
    for user, pack in ((holder, packs["ncbtmb"]), (other, packs["florida"])):
        db.session.add(
            Licence(
                user_id=user.id,
                pack_id=pack.id,
                number="N1",
                state="US",
                renewal_date=date(2027, 5, 31),
            )
        )
    db.session.commit()

    def generations() -> dict[int, int]:
        table = summaries.TABLE
        return dict(db.session.execute(db.select(table.c.user_id, table.c.generation)).all())

    before = generations()
    packs["ncbtmb"].approving_bodies = ["NCBTMB", "Someone else"]
    db.session.flush()
    after = generations()
    assert after[holder.id] == before[holder.id] + 1
    assert after[other.id] == before[other.id]
    db.session.rollback()


def reference(clinic_id: int, status: str | None, query: str, sort: str, page: int) -> tuple:
    """The dashboard as it was computed before summaries: everyone assessed afresh."""
    everyone = staff_rows(clinic_id)
    counts = Counter(r.status for r in everyone)
    counted = sum((lr.compliance.total_counted for r in everyone for lr in r.licences), Decimal(0))
    required = sum(
        (lr.compliance.total_required for r in everyone for lr in r.licences), Decimal(0)
    )
    chosen = [
        r
        for r in everyone
        if (status is None or r.status == status)
        and (not query or query.casefold() in f"{r.user.name} {r.user.email}".casefold())
    ]
    keys = {
        "status": lambda r: (SEVERITY[r.status], r.user.name.casefold()),
        "name": lambda r: r.user.name.casefold(),
        "due": lambda r: (r.next_due.due_on if r.next_due else date.max, r.user.name.casefold()),
        "missing": lambda r: (-r.missing, r.user.name.casefold()),
    }
    chosen.sort(key=keys[sort])
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = [(r.user.id, r.status, r.certificates, r.next_due and r.next_due.due_on) for r in shown]
    return rows, len(chosen), pages, counts, counted, required


def board(clinic_id: int, status: str | None, query: str, sort: str, page: int) -> tuple:
    built = dashboard.build(clinic_id, status, query, sort, page)
    db.session.commit()
    rows = [
        (r.user.id, r.status, r.certificates, r.next_due and r.next_due.due_on) for r in built.rows
    ]
    return (
        rows,
        built.total,
        built.pages,
        built.counts,
        built.hours_counted,
        built.hours_required,
    )


@pytest.mark.clock("2026-11-24 12:00:00", tick=False)
def test_pages_filters_sorts_and_totals_match_assessing_everyone(
    app: Flask, make_user, packs, clock
) -> None:
    clinic, _ = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    rng = random.Random(16)
    courses = list(db.session.execute(db.select(Course).order_by(Course.id)).scalars())
    names = ["Ana", "ana", "Bo", "Émile", "emile", "Zoë", "zed", "Ćiro"]
    users = [
        User(
            email=f"p{i}@example.org",
            name=f"{rng.choice(names)} {rng.randint(1, 4)}",
            password_hash="-",
            timezone=rng.choice(["UTC", "Pacific/Auckland", "America/Los_Angeles"]),
        )
        for i in range(70)
    ]
    db.session.add_all(users)
    db.session.flush()
    today = date(2026, 11, 24)
    for user in users:
        db.session.add(
            ClinicMember(clinic_id=clinic.id, user_id=user.id, role="staff", consented_at=now())
        )
        for _ in range(rng.choice([0, 1, 1, 2])):
            pack = rng.choice(list(packs.values()))
            db.session.add(
                Licence(
                    user_id=user.id,
                    pack_id=pack.id,
                    number=f"L{user.id}",
                    state="US",
                    renewal_date=today + timedelta(days=rng.randint(-60, 400)),
                )
            )
        for _ in range(rng.randint(0, 4)):
            db.session.add(
                ExternalCredit(
                    user_id=user.id,
                    title="Workshop",
                    provider="P",
                    completed_on=today - timedelta(days=rng.randint(0, 500)),
                    hours=Decimal(rng.choice(["1", "2.5", "6", "12", "0.25"])),
                    topic=rng.choice(["ethics", "general", "self-care", "hands-on"]),
                    delivery=rng.choice(["live", "home-study"]),
                    approved_by=[rng.choice(["NCBTMB", "FSMTB", "Florida"])],
                )
            )
        if rng.random() < 0.3:
            db.session.add(
                Enrolment(
                    user_id=user.id,
                    course_id=courses[0].id,
                    version_id=courses[0].current_version_id,
                    completed_at=now(),
                )
            )
    manager = db.session.execute(db.select(User).filter_by(email="mia@example.org")).scalar_one()
    db.session.add(
        Assignment(
            clinic_id=clinic.id,
            course_id=courses[0].id,
            due_on=date(2027, 1, 10),
            created_by_id=manager.id,
        )
    )
    for user in users[::9]:
        db.session.add(
            Assignment(
                clinic_id=clinic.id,
                course_id=courses[-1].id,
                user_id=user.id,
                due_on=date(2026, 12, 1),
                created_by_id=manager.id,
            )
        )
    db.session.commit()
    for moment in ("2026-11-24 12:00:00", "2027-01-15 03:00:00", "2027-09-30 23:30:00"):
        clock.move_to(moment)
        for sort in dashboard.SORTS:
            for status in (None, *STATUSES):
                for query, page in (("", 1), ("", 2), ("ana", 1), ("EXAMPLE.ORG", 2)):
                    expected = reference(clinic.id, status, query, sort, page)
                    assert board(clinic.id, status, query, sort, page) == expected, (
                        moment,
                        sort,
                        status,
                        query,
                        page,
                    )


def test_a_recomputation_never_overwrites_a_later_change(app: Flask, packs) -> None:
    """A dashboard request reads a stale summary, another request's write commits, then the
    first stores what it computed: the stored row must stay stale, for both an existing row
    (marked fresh only at the generation read) and a missing one (a mark appeared meanwhile)."""
    users = [User(email=f"r{i}@example.org", name=f"R{i}", password_hash="-") for i in range(2)]
    db.session.add_all(users)
    db.session.flush()
    clinic = Clinic(name="Race Clinic")
    db.session.add(clinic)
    db.session.flush()
    for user in users:
        db.session.add(
            ClinicMember(clinic_id=clinic.id, user_id=user.id, role="staff", consented_at=now())
        )
    # One person with a licence (its insert left a stale row), one with no row at all.
    db.session.add(
        Licence(
            user_id=users[0].id,
            pack_id=packs["ncbtmb"].id,
            number="X",
            state="US",
            renewal_date=date(2027, 5, 31),
        )
    )
    db.session.commit()
    read = sorted(summaries.stale_staff(clinic.id, now()), key=lambda r: r.id)
    assert [r.generation for r in read] == [1, None]
    db.session.rollback()
    freshness.mark_stale(db.session(), [u.id for u in users], [])  # the other request's write
    db.session.commit()
    summaries.refresh(read, now())
    db.session.commit()
    assert len(summaries.stale_staff(clinic.id, now())) == 2
    db.session.rollback()
    # The next request recomputes both and stores them.
    assert summaries.refresh_stale(clinic.id) is True
    db.session.commit()
    assert summaries.stale_staff(clinic.id, now()) == []
    assert summaries.refresh_stale(clinic.id) is False
    db.session.rollback()


@pytest.mark.clock("2026-11-24 12:00:00")
def test_bulk_statements_mark_the_people_they_reach(app: Flask, make_user, packs) -> None:
    clinic, manager = make_clinic(app, make_user, "Harbour Clinic", "mia@example.org")
    kim = join(app, manager, clinic, "kim@example.org", make_user)
    add_licence(kim, packs["ncbtmb"], "BC-1", "2027-05-31")
    assert chart(manager, clinic.id).endswith("1 on track, 0 complete, 0 no licence; 0 of 24 h")
    db.session.rollback()
    kim_id = db.session.execute(db.select(User.id).filter_by(email="kim@example.org")).scalar()
    db.session.execute(
        db.insert(ExternalCredit),
        [
            {
                "user_id": kim_id,
                "title": "Bulk",
                "provider": "P",
                "completed_on": date(2026, 5, 1),
                "hours": Decimal(5),
                "topic": "ethics",
                "delivery": "live",
                "approved_by": ["NCBTMB"],
            }
        ],
    )
    db.session.commit()
    assert chart(manager, clinic.id).endswith("; 5 of 24 h")
    db.session.rollback()  # see what the request wrote before writing
    db.session.execute(
        db.update(Licence).where(Licence.user_id == kim_id).values(renewal_date=date(2026, 6, 1))
    )
    db.session.commit()
    assert chart(manager, clinic.id).startswith("1 overdue")
    db.session.rollback()
    db.session.execute(db.delete(ExternalCredit).where(ExternalCredit.user_id == kim_id))
    db.session.commit()
    assert chart(manager, clinic.id).endswith("; 0 of 24 h")
    db.session.rollback()
    db.session.execute(  # the values in the statement, not as parameters
        db.insert(ExternalCredit).values(
            user_id=kim_id,
            title="One",
            provider="P",
            completed_on=date(2026, 5, 1),
            hours=Decimal(2),
            topic="ethics",
            delivery="live",
            approved_by=["NCBTMB"],
        )
    )
    db.session.commit()
    assert chart(manager, clinic.id).endswith("; 2 of 24 h")


def test_recomputing_10_or_200_stale_people_runs_the_same_statements(
    app: Flask, make_user, packs
) -> None:
    small, manager_small = make_clinic(app, make_user, "Small Clinic", "ms@example.org")
    large, manager_large = make_clinic(app, make_user, "Large Clinic", "ml@example.org")
    manager_small.get(f"/clinics/{small.id}")  # warm up: first requests load more
    manager_large.get(f"/clinics/{large.id}")
    add_staff(small, 10, packs["ncbtmb"], "small")
    db.session.execute(db.update(User).values(email=User.email + ".small"))
    db.session.execute(
        db.update(User)
        .where(User.email.in_([f"{m}@example.org.small" for m in ("ms", "ml", "ada")]))
        .values(email=db.func.replace(User.email, ".small", ""))
    )
    db.session.commit()
    add_staff(large, 200, packs["ncbtmb"], "large")
    small_page, large_page = f"/clinics/{small.id}", f"/clinics/{large.id}"
    db.session.rollback()
    with count_queries() as few:
        assert manager_small.get(small_page).status_code == 200
    with count_queries() as many:
        assert manager_large.get(large_page).status_code == 200
    assert len(many) == len(few), "\n".join(set(many) ^ set(few))
    db.session.rollback()
    stored = db.session.scalar(
        db.select(db.func.count()).where(
            summaries.TABLE.c.computed_generation == summaries.TABLE.c.generation
        )
    )
    assert stored == 210
