"""Benchmark: ``/search`` on the course catalogue, as a ratio to hello-world.

    python bench/search.py [--requests 60] [--database-url postgresql+psycopg://...]

1. A fresh database (SQLite in a temporary directory, or the empty PostgreSQL database named
   by ``--database-url``), migrated, with the course catalogue imported: the import writes
   each course's search rows, as ``make run`` does. A learner account.
2. In this process: rebuilding every course's rows (what an import or a publish adds to its
   transaction, for all six courses at once) and the search service for each query, signed
   in and signed out.
3. gunicorn (``-w 2``, sync) serves ``bench.benchapp:app``; one client signed in as the
   learner and one signed out request ``/search?q=...`` one at a time, beside
   ``/__bench/hello``, whose p50 every route's p50 is divided by.

Target: p50 under 50 ms on the catalogue. Prints Markdown tables with the machine, versions
and git SHA. Not run as a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.item_analysis import PASSWORD, Client, env_for, machine, serve  # noqa: E402
from bench.preview import summary, timed  # noqa: E402
from eduapp import create_app  # noqa: E402
from eduapp.auth.services import register  # noqa: E402
from eduapp.content.importer import import_courses  # noqa: E402
from eduapp.content.loader import load_catalogue  # noqa: E402
from eduapp.extensions import db  # noqa: E402
from eduapp.models import Role, User  # noqa: E402
from eduapp.search import index, services  # noqa: E402

LEARNER = "bench-learner@example.org"
# A word in nearly every row, two words, a phrase, a rare word, a word in no course.
QUERIES = ["massage", "effleurage strokes", '"low back pain"', "anticoagulants", "hippopotamus"]
ROUTE_QUERIES = ["massage", '"low back pain"', "anticoagulants"]


def generate(count: int) -> dict[str, Any]:
    """Build the database; time the rebuild and the service in process."""
    from flask_migrate import upgrade

    app = create_app()
    with app.app_context():
        upgrade()
        import_courses(load_catalogue(ROOT / "courses"))
        register("Bench Learner", LEARNER, PASSWORD, "UTC", Role.LEARNER)
        db.session.commit()
        learner = db.session.execute(db.select(User).filter_by(email=LEARNER)).scalar_one()
        rows = index.rebuild_all()
        db.session.commit()

        def rebuild() -> None:
            index.rebuild_all()
            db.session.commit()

        measured = [summary(f"rebuild every course's rows ({rows} rows)", timed(5, rebuild))]
        totals = {}
        for query in QUERIES:
            for who, user in (("signed in", learner), ("signed out", None)):
                services.search(query, user)  # warm up
                results = services.search(query, user)
                totals[(query, who)] = results.total
                measured.append(
                    summary(
                        f"`search({query!r})`, {who}: {results.total} "
                        f"result{'s' * (results.total != 1)}",
                        timed(count, lambda q=query, u=user: services.search(q, u)),
                    )
                )
        dialect = db.engine.dialect.name
        db.engine.dispose()
    return {"rows": rows, "service": measured, "totals": totals, "dialect": dialect}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--port", type=int, default=8768)
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of SQLite"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="eduapp-bench-"))
    os.environ.update(env_for(workdir))
    if args.database_url:
        os.environ["EDUAPP_DATABASE_URL"] = args.database_url
    built = generate(args.requests)
    database = {"EDUAPP_DATABASE_URL": args.database_url} if args.database_url else {}
    server = serve(workdir, args.port, **database)
    try:
        signed_in, signed_out = Client(args.port), Client(args.port)
        signed_in.sign_in(LEARNER)
        routes = [signed_in.measure("/__bench/hello", 300, 20)]
        for query in ROUTE_QUERIES:
            path = "/search?" + urlencode({"q": query})
            routes.append({**signed_in.measure(path, args.requests, 5), "who": "signed in"})
            routes.append({**signed_out.measure(path, args.requests, 5), "who": "signed out"})
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.database_url:
        (workdir / "bench.sqlite3").touch()  # machine() reports the SQLite file's size
    info = machine(workdir)
    hello = routes[0]["p50"]
    print(f"\n### Search on the catalogue ({built['dialect']}, {built['rows']} rows)\n")
    print("| Measured | calls | p50 ms | p95 ms | p50 / hello p50 |")
    print("|---|---:|---:|---:|---:|")
    for row in built["service"]:
        print(
            f"| {row['name']} | {row['n']} | {row['p50'] * 1000:.1f} | {row['p95'] * 1000:.1f} "
            f"| {row['p50'] / hello:.1f}x |"
        )
    print("\n| Route | requests | p50 ms | p90 ms | p50 / hello p50 | queries/request | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in routes:
        who = f" ({r['who']})" if "who" in r else ""
        print(
            f"| `{r['path']}`{who} | {r['n']} | {r['p50'] * 1000:.1f} | {r['p90'] * 1000:.1f} "
            f"| {r['p50'] / hello:.0f}x | {r['queries']} | {r['bytes']:,} |"
        )
    print(
        f"\nnproc {info['nproc']} ({info['cpu']}), Python {info['python']}, "
        f"SQLite {info['sqlite']}, git {info['git']}; gunicorn -w 2 sync, one request at a "
        f"time; load {os.getloadavg()[0]:.1f} at the end."
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
