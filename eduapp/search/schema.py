"""The full-text table: outside the models, created by its own migration per dialect.

SQLAlchemy's metadata cannot describe an FTS5 virtual table (and its ``_data``, ``_idx``...
shadow tables) or a generated ``tsvector`` column, so autogenerate must neither create nor
drop them: ``include_name`` keeps it from reflecting them at all. The columns are the same on
both backends, so the statements that write rows are shared.
"""

from __future__ import annotations

from typing import Any

TABLE = "search_entries"


def is_search_table(name: str | None) -> bool:
    """The table itself and FTS5's shadow tables (``search_entries_data`` and so on)."""
    return bool(name) and (name == TABLE or str(name).startswith(TABLE + "_"))


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic's hook: autogenerate neither reflects nor compares the full-text tables."""
    return not (type_ == "table" and is_search_table(name))
