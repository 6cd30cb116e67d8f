"""Benchmark: a clinic's compliance dashboard for 1,000 staff, as a ratio to hello-world.

Builds a fresh SQLite database (migrations, the catalogue, the CE rule packs), a clinic of
1,000 consenting staff with a licence each (several rule packs and renewal dates), three CE
records and one certificate each, and two course assignments; then serves the real app with
gunicorn -w 2 and times the dashboard's first request (which computes every person's stored
compliance summary, as after the migration that added them), then the page as it is served
from then on, a later page sorted by name, the next-due sort and a status filter; then, in
this process, the compliance CSV as its export job builds it (the request only records the
export and answers with its page). SQLite by default; ``--database-url`` names an empty
PostgreSQL database instead (analysed after the first request, as autovacuum would have done
in service).
Target: p50 under 150 ms for the page.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.item_analysis import (  # noqa: E402
    PASSWORD,
    Client,
    env_for,
    machine,
    serve,
)
from eduapp import create_app  # noqa: E402
from eduapp.auth.services import register  # noqa: E402
from eduapp.ce.packs import import_packs  # noqa: E402
from eduapp.ce.rulefile import load_packs  # noqa: E402
from eduapp.content.importer import import_courses  # noqa: E402
from eduapp.content.loader import load_catalogue  # noqa: E402
from eduapp.extensions import db  # noqa: E402
from eduapp.models import (  # noqa: E402
    Assignment,
    Certificate,
    Clinic,
    ClinicMember,
    Course,
    Enrolment,
    ExternalCredit,
    Licence,
    RulePack,
    User,
)

MANAGER = "bench-manager@example.org"
TOPICS = ("ethics", "general", "laws-and-rules", "self-care", "medical-errors")


def generate(staff: int, seed: int) -> float:
    from flask_migrate import upgrade

    started = time.perf_counter()
    rng = random.Random(seed)
    app = create_app()
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(ROOT / "courses"))
        import_packs(load_packs(ROOT / "ce-rules"))
        manager = register("Bench Manager", MANAGER, PASSWORD, "UTC")
        clinic = Clinic(name="Bench Clinic")
        db.session.add(clinic)
        db.session.flush()
        db.session.add(ClinicMember(clinic_id=clinic.id, user_id=manager.id, role="manager"))
        packs = db.session.execute(db.select(RulePack)).scalars().all()
        courses = db.session.execute(db.select(Course).order_by(Course.id)).scalars().all()
        first_user = (db.session.scalar(db.select(db.func.max(User.id))) or 0) + 1
        stamp = datetime.now(UTC)
        db.session.execute(
            insert(User),
            [
                {
                    "id": first_user + i,
                    "email": f"staff{i}@example.org",
                    "name": f"Staff {i:04d}",
                    "password_hash": "-",
                    "session_token": f"bench-{i}",
                    "timezone": "UTC",
                }
                for i in range(staff)
            ],
        )
        ids = [first_user + i for i in range(staff)]
        db.session.execute(
            insert(ClinicMember),
            [
                {"clinic_id": clinic.id, "user_id": u, "role": "staff", "consented_at": stamp}
                for u in ids
            ],
        )
        today = date.today()
        db.session.execute(
            insert(Licence),
            [
                {
                    "user_id": u,
                    "pack_id": (pack := rng.choice(packs)).id,
                    "number": f"L-{u}",
                    "state": pack.jurisdiction,
                    "renewal_date": today + timedelta(days=rng.randint(-60, 700)),
                }
                for u in ids
            ],
        )
        bodies = sorted({b for p in packs for b in p.approving_bodies})
        db.session.execute(
            insert(ExternalCredit),
            [
                {
                    "user_id": u,
                    "title": f"Workshop {k}",
                    "provider": "Somewhere",
                    "completed_on": today - timedelta(days=rng.randint(1, 600)),
                    "hours": Decimal(rng.choice([1, 2, 3, 6])),
                    "topic": rng.choice(TOPICS),
                    "delivery": rng.choice(["live", "home-study"]),
                    "approved_by": [rng.choice(bodies)],
                }
                for u in ids
                for k in range(3)
            ],
        )
        course = courses[0]
        db.session.execute(
            insert(Enrolment),
            [
                {
                    "user_id": u,
                    "course_id": course.id,
                    "version_id": course.current_version_id,
                    "completed_at": stamp,
                }
                for u in ids
            ],
        )
        db.session.execute(
            insert(Certificate),
            [
                {
                    "code": f"bench{u:017d}",
                    "user_id": u,
                    "course_id": course.id,
                    "facts": {
                        "course_title": course.title,
                        "course_type": "home-study",
                        "completed_on": today.isoformat(),
                        "ce_hours": "1",
                        "ce_categories": ["general"],
                        "approvals": [{"body": "NCBTMB"}],
                    },
                    "pdf": b"%PDF-1.4 bench",
                    "sha256": "0" * 64,
                }
                for u in ids
            ],
        )
        for offset, target in enumerate(courses[:2]):
            db.session.add(
                Assignment(
                    clinic_id=clinic.id,
                    course_id=target.id,
                    due_on=today + timedelta(days=10 + 30 * offset),
                    created_by_id=manager.id,
                )
            )
        db.session.commit()
        db.engine.dispose()
    return time.perf_counter() - started


def analyse(url: str) -> None:
    """Give PostgreSQL's planner the statistics autovacuum would have gathered by now: on a
    database loaded a second ago (and 10,000 summaries written by the first request) it
    plans the dashboard's joins blind, at twice the cost."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def time_csv_job(count: int) -> dict[str, object]:
    """The compliance CSV as the ``build_export`` job writes it, timed in this process (one
    warm-up): what used to be the ``/clinics/1/export/dashboard.csv`` request."""
    from eduapp.clinics.export_jobs import KINDS

    app = create_app()
    times, size = [], 0
    with app.app_context():
        for i in range(count + 1):
            start = time.perf_counter()
            size = len(b"".join(KINDS["dashboard"].build(1)))
            if i:
                times.append(time.perf_counter() - start)
            db.session.rollback()
    times.sort()
    return {
        "path": "build_export: compliance CSV",
        "note": " (in process, no request)",
        "n": count,
        "p50": times[len(times) // 2],
        "p90": times[min(len(times) - 1, -(-9 * len(times) // 10) - 1)],
        "queries": "-",
        "bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of SQLite"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="eduapp-bench-"))
    os.environ.update(env_for(workdir))
    if args.database_url:
        os.environ["EDUAPP_DATABASE_URL"] = args.database_url
    build = generate(args.staff, args.seed)
    database = {"EDUAPP_DATABASE_URL": args.database_url} if args.database_url else {}
    server = serve(workdir, args.port, **database)
    try:
        client = Client(args.port)
        client.sign_in(MANAGER)
        hello = client.measure("/__bench/hello", 300, 20)
        first = client.measure("/clinics/1", 1, 0)
        if args.database_url:
            analyse(args.database_url)
        rows = [
            hello,
            {**first, "note": " (first request: every summary computed)"},
            client.measure("/clinics/1", args.requests, 3),
            client.measure("/clinics/1?sort=due", args.requests, 1),
            client.measure("/clinics/1?sort=name&page=5", args.requests, 1),
            client.measure("/clinics/1?status=overdue", args.requests, 1),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows.append(time_csv_job(max(5, args.requests // 3)))
    if args.database_url:
        (workdir / "bench.sqlite3").touch()  # machine() reports the SQLite file's size
    info = machine(workdir)
    kind = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n### Clinic dashboard, {args.staff:,} staff ({kind})\n")
    hello_p50 = rows[0]["p50"]
    print("| Route | requests | p50 ms | p90 ms | p50 / hello p50 | queries/request | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| `{r['path']}`{r.get('note', '')} | {r['n']} | {r['p50'] * 1000:.1f} "
            f"| {r['p90'] * 1000:.1f} | {r['p50'] / hello_p50:.0f}x | {r['queries']} "
            f"| {r['bytes']:,} |"
        )
    print(
        f"\nnproc {info['nproc']} ({info['cpu']}), Python {info['python']}, "
        f"SQLite {info['sqlite']}, git {info['git']}, database {info['db_size']}, "
        f"built in {build:.0f} s; gunicorn -w 2 sync, one client signed in as the manager; "
        f"load {os.getloadavg()[0]:.1f} at the end."
    )
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
