"""Running totals behind the item analysis, so its page does not grow with the attempts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Numeric, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ItemTotal(db.Model):
    """Sums over the graded answers of one question that share a response.

    Kept per question, first attempt or not, max mark and response (the chosen values as JSON
    text), in thousandths of a mark: n, sum(m), sum(m^2), sum(t), sum(t^2), sum(m*t), where m is
    the answer's mark and t its attempt's total. Grading adds to them; a regrade rebuilds the
    quiz's rows from the answers. The item statistics need nothing else.
    """

    __tablename__ = "item_totals"
    __table_args__ = (UniqueConstraint("question_id", "first_attempt", "max_mark", "response"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    first_attempt: Mapped[bool] = mapped_column(Boolean)
    max_mark: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    response: Mapped[str] = mapped_column(Text)
    n: Mapped[int] = mapped_column(BigInteger)
    sum_mark: Mapped[int] = mapped_column(BigInteger)
    sum_mark_sq: Mapped[int] = mapped_column(BigInteger)
    sum_total: Mapped[int] = mapped_column(BigInteger)
    sum_total_sq: Mapped[int] = mapped_column(BigInteger)
    sum_mark_total: Mapped[int] = mapped_column(BigInteger)
