"""Database engine set-up that SQLAlchemy cannot express as options.

SQLite: WAL (readers never block the writer), foreign keys on, a busy timeout, and
transactions we begin ourselves, so that a write that must serialise (start or submit an
attempt) can take the write lock up front with ``BEGIN IMMEDIATE`` instead of failing with
"database is locked" halfway through.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import Connection, CursorResult, Engine, Executable, event

from .extensions import db

IMMEDIATE = "eduapp_immediate"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite from issuing its own BEGIN; the "begin" hook below does it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock(conn) else "BEGIN")


def _wants_write_lock(conn: Connection) -> bool:
    """A request that may write takes SQLite's write lock when its transaction begins.

    Every request reads first (the signed-in user), and a deferred read transaction that
    later writes cannot wait for the lock: SQLite fails it at once with "database is locked".
    Taking the lock up front makes concurrent writers queue (busy_timeout) instead.
    """
    if conn.get_execution_options().get(IMMEDIATE, False):
        return True
    return has_request_context() and request.method not in SAFE_METHODS


def begin_write() -> None:
    """Start the session's transaction as a serialising write (SQLite: ``BEGIN IMMEDIATE``).

    A transaction already open for reads (loading the signed-in user, say) is ended first,
    so that the write lock is taken before this transaction reads anything it relies on. On
    PostgreSQL it is a plain transaction; callers pair it with a conditional UPDATE.
    """
    session = db.session()  # the request's Session, behind the scoped proxy
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() after unsaved changes; call it first")
        session.rollback()
    session.connection(execution_options={IMMEDIATE: True})


def read_rows(statement: Executable, params: dict[str, Any]) -> CursorResult[Any]:
    """Run a SELECT of columns (no ORM entities) in the session's transaction, as plain rows.

    The pages every learner reads run a handful of such statements per request, and
    ``Session.execute`` spends about 45 µs on each beyond what the connection does (ORM
    compile hooks, result adaptation): more than SQLite takes to run them. Pending ORM
    changes are flushed first, as ``Session.execute`` would, so the rows include them.
    """
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)
