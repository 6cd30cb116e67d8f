"""search entries: full-text rows of each course's current version (issue 15)

One row per course (title, summary, objectives), per module (title, objectives, the plain text
of its sanitised HTML) and per reference, for each course's current published version only.
Written by explicit statements per dialect, because neither an FTS5 virtual table nor a
generated tsvector column is something the models can describe; autogenerate skips the table
(``eduapp.search.schema.include_name``).

- SQLite: an FTS5 virtual table, Porter stemming over unicode61 (accents folded); bm25 ranks.
- PostgreSQL: a table whose ``document`` tsvector (english; title weighted A, text B) and
  ``title_vector`` are generated columns, each with a GIN index.

Rows are written by imports and publishing, in their transaction. This migration leaves the
table empty: ``flask courses import`` (``make run``) and ``flask search rebuild --missing``
(``make serve``) fill in courses imported before it.

Revision ID: dc4b78900fd8
Revises: fb126f5f7ee9
Create Date: 2026-12-04 07:58:02.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'dc4b78900fd8'
down_revision = 'fb126f5f7ee9'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE TABLE search_entries (
                id BIGSERIAL PRIMARY KEY,
                kind VARCHAR(20) NOT NULL,
                course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
                version_id INTEGER NOT NULL,
                module_id INTEGER,
                ref_id VARCHAR(200),
                position INTEGER NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                title_vector TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', title)) STORED,
                document TSVECTOR GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A')
                    || setweight(to_tsvector('english', body), 'B')
                ) STORED
            )
            """
        )
        op.execute("CREATE INDEX ix_search_entries_document ON search_entries USING gin (document)")
        op.execute(
            "CREATE INDEX ix_search_entries_title_vector ON search_entries USING gin (title_vector)"
        )
        op.execute("CREATE INDEX ix_search_entries_course_id ON search_entries (course_id)")
    else:
        op.execute(
            """
            CREATE VIRTUAL TABLE search_entries USING fts5(
                title, body,
                kind UNINDEXED, course_id UNINDEXED, version_id UNINDEXED, module_id UNINDEXED,
                ref_id UNINDEXED, position UNINDEXED,
                tokenize = 'porter unicode61 remove_diacritics 2'
            )
            """
        )


def downgrade():
    op.execute("DROP TABLE search_entries")
