"""item totals for the item analysis

Running sums over the graded answers (per question, first attempt or not, max mark and
response), kept up to date by grading and rebuilt by a regrade, so the item-analysis page
reads a few rows per question instead of every answer. Filled here from existing answers.

Revision ID: 43a7e1475c0a
Revises: d3405be84efd
Create Date: 2026-11-24 00:34:29.633424

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43a7e1475c0a'
down_revision = 'd3405be84efd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('first_attempt', sa.Boolean(), nullable=False),
    sa.Column('max_mark', sa.Numeric(precision=8, scale=3), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.Column('sum_mark', sa.BigInteger(), nullable=False),
    sa.Column('sum_mark_sq', sa.BigInteger(), nullable=False),
    sa.Column('sum_total', sa.BigInteger(), nullable=False),
    sa.Column('sum_total_sq', sa.BigInteger(), nullable=False),
    sa.Column('sum_mark_total', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_item_totals_question_id_questions')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_item_totals_quiz_id_quizzes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_totals')),
    sa.UniqueConstraint('question_id', 'first_attempt', 'max_mark', 'response', name=op.f('uq_item_totals_question_id_first_attempt_max_mark_response'))
    )
    with op.batch_alter_table('item_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_totals_quiz_id'), ['quiz_id'], unique=False)

    # Marks in integer thousandths (see eduapp/quiz/itemtotals.py, which does the same).
    op.execute(
        """
        INSERT INTO item_totals (quiz_id, question_id, first_attempt, max_mark, response, n,
            sum_mark, sum_mark_sq, sum_total, sum_total_sq, sum_mark_total)
        SELECT t.quiz_id, a.question_id, t.number = 1, a.max_mark, CAST(a.chosen AS TEXT),
            COUNT(*),
            SUM(CAST(ROUND(a.mark * 1000) AS BIGINT)),
            SUM(CAST(ROUND(a.mark * 1000) AS BIGINT) * CAST(ROUND(a.mark * 1000) AS BIGINT)),
            SUM(CAST(ROUND(t.marks * 1000) AS BIGINT)),
            SUM(CAST(ROUND(t.marks * 1000) AS BIGINT) * CAST(ROUND(t.marks * 1000) AS BIGINT)),
            SUM(CAST(ROUND(a.mark * 1000) AS BIGINT) * CAST(ROUND(t.marks * 1000) AS BIGINT))
        FROM answers a JOIN attempts t ON t.id = a.attempt_id
        WHERE t.status = 'graded' AND a.max_mark > 0
        GROUP BY t.quiz_id, a.question_id, t.number = 1, a.max_mark, CAST(a.chosen AS TEXT)
        """
    )



def downgrade():
    with op.batch_alter_table('item_totals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_totals_quiz_id'))

    op.drop_table('item_totals')
