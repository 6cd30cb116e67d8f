"""Marking stored compliance summaries stale, in the transaction of the write that changed
what they are computed from.

A summary depends on the person's licences, CE records and certificates, the rule packs of
their licences, their time zone (which decides their local date), and their name and email
(kept casefolded for the dashboard's order and search). Rather than ask each of
the many places that write these (My CE, uploads, a manager's licence correction, issue,
revoke, correct and reissue of certificates, regrades, rule-pack imports and admins' rule
edits, the account page) to remember a call, the session tells us after every flush what it
wrote, and bulk INSERT/UPDATE/DELETE statements on those models are caught as they run.
Who is on a clinic's staff, assignments and course completions are read live by the
dashboard and need nothing here.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import Table, event, inspect, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from ..models import (
    Certificate,
    ComplianceSummary,
    ExternalCredit,
    Licence,
    RulePack,
    RuleVersion,
    User,
)

TABLE: Table = ComplianceSummary.__table__  # type: ignore[assignment]
BY_USER = (Licence, ExternalCredit, Certificate)
BY_PACK = (RulePack, RuleVersion)
CHUNK = 1000
# What a summary keeps of the person: the time zone decides their local date; the name and
# email are kept casefolded for the dashboard's order and search.
USER_FIELDS = ("timezone", "name", "email")


def init_app() -> None:
    """Listen on every ORM session (the app's, the CLI's, the tests'): a write made anywhere
    must mark what it changed. Idempotent, since tests build many apps."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _on_bulk_statement)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # In after_flush the new/dirty/deleted sets and attribute histories still show what the
    # flush wrote, and new rows have their ids.
    users: set[int] = set()
    packs: set[int] = set()
    new = session.new
    changed = chain(
        new,
        (obj for obj in session.dirty if session.is_modified(obj)),
        session.deleted,
    )
    for obj in changed:
        if isinstance(obj, BY_USER):
            users.update(_values(obj, "user_id"))
        elif isinstance(obj, User) and obj not in new:
            attrs = inspect(obj).attrs
            if any(attrs[name].history.has_changes() for name in USER_FIELDS):
                users.add(obj.id)
        elif isinstance(obj, RulePack):
            packs.add(obj.id)
        elif isinstance(obj, RuleVersion):
            packs.update(_values(obj, "pack_id"))
    if users or packs:
        mark_stale(session, users, packs)


def _values(obj: Any, name: str) -> set[int]:
    """The attribute's value now and before this flush (a row moved to another person stales
    both)."""
    history = inspect(obj).attrs[name].history
    return {v for v in chain(history.added, history.unchanged, history.deleted) if v is not None}


def _on_bulk_statement(state: ORMExecuteState) -> None:
    """Statements that bypass the unit of work: a bulk UPDATE or DELETE of a watched model
    (``reissue`` revokes this way) marks the people its WHERE clause reaches, found before it
    runs; a bulk INSERT marks the people in its parameters."""
    if state.is_select or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    if not issubclass(model, (*BY_USER, *BY_PACK, User)):
        return
    if model is User and not state.is_update:
        return  # a new person has nothing stored; people are never deleted
    by_user = issubclass(model, (*BY_USER, User))
    column = (
        User.id
        if model is User
        else model.user_id
        if by_user
        else RuleVersion.pack_id
        if model is RuleVersion
        else None
    )
    if state.is_insert:
        key = column.key if column is not None else "id"
        params = state.parameters
        rows = params if isinstance(params, list) else [params or {}]
        if not any(rows):  # insert(...).values(...): the values are in the statement
            compiled = state.statement.compile().params
            rows = [{key: v} for k, v in compiled.items() if k == key or k.startswith(key + "_m")]
        ids = {row.get(key) for row in rows}
        ids.discard(None)
    elif state.is_update or state.is_delete:
        reached = select(column if column is not None else RulePack.id).distinct()
        where = state.statement.whereclause  # type: ignore[attr-defined]
        if where is not None:
            reached = reached.where(where)
        ids = set(state.session.connection().execute(reached).scalars())
    else:  # pragma: no cover - nothing else is written through the ORM
        return
    if by_user:
        mark_stale(state.session, ids, ())
    else:
        mark_stale(state.session, (), ids)


_TABLE_SEEN: weakref.WeakSet[Any] = weakref.WeakSet()  # engines seen with the table


def _has_table(connection: Any) -> bool:
    """Whether this database has the summaries yet: a database migrated to a revision before
    them (a migration's test writing certificates, say) has nothing to mark. Only a yes is
    remembered, per engine, so an upgrade in the same process is noticed."""
    engine = connection.engine
    if engine not in _TABLE_SEEN:
        if not inspect(connection).has_table(TABLE.name):
            return False
        _TABLE_SEEN.add(engine)
    return True


def mark_stale(session: Session, users: Iterable[int], packs: Iterable[int]) -> None:
    """Bump the generation of these people and of everyone holding a licence of these packs,
    creating the row where there is none (so a recomputation racing this write, which only
    inserts where no row exists, cannot store what it read before the write)."""
    users, packs = sorted(set(users)), sorted(set(packs))
    connection = session.connection()
    if not _has_table(connection):
        return
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    bump = {"generation": TABLE.c.generation + 1}
    # In user id order, as the dashboard's refresh writes, so two transactions never wait
    # on each other's rows in opposite orders (a deadlock on PostgreSQL); in chunks, so a
    # bulk load of any size stays under the databases' limits on bound parameters.
    for start in range(0, len(users), CHUNK):
        rows = [{"user_id": u, "generation": 1} for u in users[start : start + CHUNK]]
        statement = insert(TABLE).values(rows)
        connection.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=bump))
    if packs:
        holders = (
            select(Licence.user_id, literal(1))
            .where(Licence.pack_id.in_(packs))
            .group_by(Licence.user_id)
            .order_by(Licence.user_id)
        )
        statement = insert(TABLE).from_select(["user_id", "generation"], holders)
        connection.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=bump))
