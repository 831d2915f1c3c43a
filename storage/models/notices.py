"""The notice outbox's table: a card for one person, queued in the turn that made it and
delivered by the notice sender (bot/jobs/notice_sender.py).

One module of the schema like the others: exported from ``storage.models``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class Notice(Base):
    """One message to one person (an employee's one-to-one summary, an objective to agree,
    a comment back to the manager): the unit the notice sender delivers.

    The card holds what people wrote, so it is cleared once the notice's outcome is known:
    the outbox keeps no copy of a record after it has done its job.
    """

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    # The Adaptive Card as JSON, and the text Teams shows in its notification; None once done.
    card_json: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(String(200))
    # queued -> sending -> sent | undeliverable | dead (attempts exhausted)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # New with every claim: a sender writes an outcome only while the token is still its own.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
