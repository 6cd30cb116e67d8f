"""The two engines behind one query: FTS5 on SQLite, ``tsvector`` on PostgreSQL.

Each backend gives the SQL that finds rows (with its rank) and its parameters; the joins,
the catalogue rule (only listed courses, only rows of their current version) and the columns
returned are shared. Nothing typed reaches the SQL but as a bound parameter built by
``query.Query``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from ..extensions import db
from .index import Kind
from .query import Query
from .schema import TABLE


@dataclass
class Row:
    kind: str
    course_id: int
    course_slug: str
    course_title: str
    version_id: int
    version_label: str
    title: str
    body: str
    module_slug: str | None
    ref_id: str | None


@dataclass
class Plan:
    """The engine's part of the statement: what to join, what to match, how to rank."""

    source: str
    where: str
    rank: str
    params: dict[str, Any]


def _weight() -> str:
    """A reference is a few lines, so both engines rank it above a module that teaches the
    same words at length (and the same paper is listed by several courses); halved, it
    follows the modules unless it matches much better."""
    return f"(CASE {TABLE}.kind WHEN '{Kind.REFERENCE}' THEN 0.5 ELSE 1.0 END)"


def _sqlite(query: Query, public_only: bool) -> Plan:
    where = f"{TABLE} MATCH :match"
    params: dict[str, Any] = {"match": query.fts5()}
    if public_only:
        # Signed out, a module matches on its title only, as its page shows only that.
        where += (
            f" AND ({TABLE}.kind <> :module OR {TABLE}.rowid IN "
            f"(SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :title_match))"
        )
        params |= {"title_match": query.fts5(column="title"), "module": Kind.MODULE}
    # bm25: smaller (more negative) is better; a title's words weigh ten times the text's.
    return Plan(TABLE, where, f"bm25({TABLE}, 10.0, 1.0) * {_weight()}", params)


def _postgresql(query: Query, public_only: bool) -> Plan:
    where = f"{TABLE}.document @@ q.query"
    params: dict[str, Any] = {"match": query.websearch()}
    if public_only:
        where += f" AND ({TABLE}.kind <> :module OR {TABLE}.title_vector @@ q.query)"
        params["module"] = Kind.MODULE
    source = f"{TABLE} CROSS JOIN websearch_to_tsquery('english', :match) AS q(query)"
    # ts_rank: larger is better; negated so both engines sort ascending.
    return Plan(source, where, f"-ts_rank({TABLE}.document, q.query) * {_weight()}", params)


def _plan(query: Query, public_only: bool) -> Plan:
    dialect = db.session.get_bind().dialect.name
    return (_postgresql if dialect == "postgresql" else _sqlite)(query, public_only)


def _statement(plan: Plan, select: str, tail: str = "") -> str:
    return (
        f"SELECT {select} FROM {plan.source} "
        f"JOIN courses c ON c.id = {TABLE}.course_id "
        f"AND c.current_version_id = {TABLE}.version_id "
        f"LEFT JOIN modules m ON m.id = {TABLE}.module_id "
        f"WHERE {plan.where} AND c.status = 'published' {tail}"
    )


def find(query: Query, *, public_only: bool, limit: int, offset: int) -> tuple[list[Row], int]:
    """A page of the matching rows, best first (ties in course and module order), and how
    many match in all: one statement, so each engine matches and ranks once."""
    plan = _plan(query, public_only)
    matched = _statement(
        plan,
        f"{TABLE}.kind, c.id, c.slug, c.title AS course_title, c.current_version_id, "
        f"c.version, {TABLE}.title, {TABLE}.body, m.slug AS module_slug, {TABLE}.ref_id, "
        f"{TABLE}.position, {plan.rank} AS rank",
    )
    # FTS5 ranks only inside the query that matches, and no window function may sit there.
    sql = (
        f"SELECT *, count(*) OVER () AS total FROM ({matched}) AS matched "
        "ORDER BY rank, course_title, position LIMIT :limit OFFSET :offset"
    )
    rows = db.session.execute(text(sql), {**plan.params, "limit": limit, "offset": offset}).all()
    if not rows:  # past the last page, the window has no row to tell the total
        return [], count(query, public_only=public_only) if offset else 0
    return [Row(*row[:10]) for row in rows], int(rows[0].total)


def count(query: Query, *, public_only: bool) -> int:
    plan = _plan(query, public_only)
    return int(db.session.execute(text(_statement(plan, "count(*)")), plan.params).scalar_one())
