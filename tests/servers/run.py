"""Run the two-server proof and print what it found; exit 1 if anything went wrong.

    python -m tests.servers.run --database-url postgresql://postgres@/eduapp_two?host=/run/pg \\
        --queue-url unix:///run/redis/redis.sock?db=5

It needs Debian's haproxy and openssl, an empty PostgreSQL database and a Redis (``.ci/run``
passes its own). Midway through the journeys server b and its job worker get SIGTERM; b is
started again once both have exited, and the journeys go on throughout.
"""

from __future__ import annotations

import argparse
import shutil
import ssl
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import checks
from .browser import Browser, JourneyError, Tally
from .journeys import Learner, journey
from .stack import Stack

T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--queue-url", required=True, help="Redis: redis://... or unix://...")
    parser.add_argument("--learners", type=int, default=6)
    parser.add_argument("--restart-after", type=int, default=150, help="requests before SIGTERM")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and logs")
    args = parser.parse_args(argv)
    database = args.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    work = Path(tempfile.mkdtemp(prefix="eduapp-two-servers-"))
    stack = Stack(database, args.queue_url, work)
    started = time.monotonic()
    try:
        return _run(stack, args, database, started)
    finally:
        stack.stop_all()
        if args.keep:
            print(f"logs and files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(stack: Stack, args: argparse.Namespace, database: str, started: float) -> int:
    stack.prepare()
    for name in ("a", "b"):
        stack.start_server(name)
    stack.start_proxy()
    for name in ("a", "b"):
        stack.wait_up(name)
    context = ssl.create_default_context(cafile=str(stack.certificate))
    warm = Browser(stack.port, "127.0.0.9", Tally(), context)
    for _ in ("a", "b"):  # each server's first request loads the app; not counted below
        warm.get("/")
    tally = Tally()
    learners = [
        Learner(
            Browser(stack.port, f"127.0.0.{10 + i}", tally, context),
            f"learner{i}@two-servers.example.org",
            f"Learner {i}",
        )
        for i in range(args.learners)
    ]
    errors: list[str] = []
    outbox = stack.files / "outbox"
    threads = [
        threading.Thread(target=_guarded, args=(errors, journey, learner, outbox, database))
        for learner in learners
    ]
    setup = time.monotonic() - started
    for thread in threads:
        thread.start()
    restart = _restart_midway(stack, tally, args.restart_after, threads)
    for thread in threads:
        thread.join()
    found: list[str] = []
    back = tally.served.get("b", 0) - tally.served_before_return
    if back:
        found.append(f"server b answered {back} requests after its restart")
    else:
        errors.append("server b answered nothing after its restart")
    if not errors:
        found += _guarded(errors, checks.lockout, stack.port, tally, context, learners[0]) or []
        found += _guarded(errors, checks.csrf, learners[1]) or []
        found += _guarded(errors, checks.database, database, learners) or []
    _report(stack, tally, learners, restart, found, errors, setup, time.monotonic() - started)
    return 1 if errors else 0


def _guarded(errors: list[str], function: Callable[..., T], *args: object) -> T | None:
    """``function``'s result, or None with its JourneyError kept in ``errors``."""
    try:
        return function(*args)
    except JourneyError as error:
        errors.append(str(error))
        return None


def _restart_midway(
    stack: Stack, tally: Tally, after: int, threads: list[threading.Thread]
) -> list[str]:
    """SIGTERM server b once ``after`` requests were sent, start it again once it has exited."""
    while tally.sent < after:
        if not any(t.is_alive() for t in threads):
            return [f"the journeys ended before {after} requests: no restart"]
        time.sleep(0.05)
    sent_at_stop = tally.sent
    seconds = stack.stop_server("b")
    time.sleep(2)  # the journeys go on against server a alone
    sent_while_down = tally.sent - sent_at_stop
    stack.start_server("b")
    began = time.monotonic()
    stack.wait_up("b")
    tally.served_before_return = tally.served.get("b", 0)
    return [
        f"SIGTERM to server b and its worker after request {sent_at_stop}; both exited in "
        f"{seconds:.1f} s; {sent_while_down} requests while b was down; b up again "
        f"{time.monotonic() - began:.1f} s after its start"
    ]


def _report(
    stack: Stack,
    tally: Tally,
    learners: list[Learner],
    restart: list[str],
    found: list[str],
    errors: list[str],
    setup: float,
    total: float,
) -> None:
    stats = stack.proxy_stats()
    lines = [
        "== two servers behind haproxy (TLS), one PostgreSQL, the queue on Redis",
        f"learners: {len(learners)}, each from its own address, every request asking for the "
        "other server",
        f"requests sent: {tally.sent}; answered by server a: {tally.served.get('a', 0)}, b: "
        f"{tally.served.get('b', 0)}, by the other server than asked: {tally.elsewhere}",
        f"retried by the client: {tally.retried}; failed after retries: {tally.failed}; "
        f"submits answered 409 on a retry: {sum(x.retried_submits for x in learners)}",
        *(f"  retried: {why}" for why in tally.why_retried),
        "haproxy: "
        + "; ".join(
            f"{name}: {row['stot']} requests, {row['wretr']} retries, {row['wredis']} "
            f"redispatched, {row['hrsp_5xx']} 5xx, down {row['chkdown']} times"
            for name, row in sorted(stats.items())
            if name in ("a", "b")
        ),
        f"latency p50 {statistics.median(tally.latencies) * 1000:.0f} ms, max "
        f"{max(tally.latencies) * 1000:.0f} ms (2-core machine, everything on it)"
        if tally.latencies
        else "no requests",
        *restart,
        *found,
        f"setup {setup:.0f} s, total {total:.0f} s",
    ]
    print("\n".join(lines))
    if errors:
        print("!! FAILED:\n" + "\n".join(f"   {e}" for e in errors), file=sys.stderr)
    else:
        print("== two-server run passed")


if __name__ == "__main__":
    sys.exit(main())
