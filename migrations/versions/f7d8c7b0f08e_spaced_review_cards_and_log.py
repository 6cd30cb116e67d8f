"""Spaced review: cards, the append-only review log, modules' key points, learners' settings.

Existing modules get their key points list through a server default that is dropped again
(the model sets it in Python); users' review settings keep theirs, as the model does.

Revision ID: f7d8c7b0f08e
Revises: dc4b78900fd8
Create Date: 2026-12-04 07:21:42.917650

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f7d8c7b0f08e"
down_revision = "dc4b78900fd8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item", sa.String(length=170), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_review_cards_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_review_cards_module_id_modules")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["questions.id"], name=op.f("fk_review_cards_question_id_questions")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_cards_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["course_versions.id"],
            name=op.f("fk_review_cards_version_id_course_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
        sa.UniqueConstraint(
            "user_id",
            "course_id",
            "kind",
            "item",
            name=op.f("uq_review_cards_user_id_course_id_kind_item"),
        ),
    )
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_cards_user_due", ["user_id", "retired", "due"], unique=False
        )

    op.create_table(
        "review_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fsrs_version", sa.String(length=20), nullable=False),
        sa.Column("desired_retention", sa.Float(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"], ["review_cards.id"], name=op.f("fk_review_logs_card_id_review_cards")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_logs_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_logs")),
    )
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_logs_card_id"), ["card_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_logs_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("keypoints", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.alter_column("keypoints", server_default=None)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_retention", sa.Float(), server_default=sa.text("0.9"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("review_weekly_mail", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("review_mailed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("review_mailed_at")
        batch_op.drop_column("review_weekly_mail")
        batch_op.drop_column("review_retention")

    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.drop_column("keypoints")

    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_logs_user_id"))
        batch_op.drop_index(batch_op.f("ix_review_logs_card_id"))

    op.drop_table("review_logs")
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cards_user_due")

    op.drop_table("review_cards")
