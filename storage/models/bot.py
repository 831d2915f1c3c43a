"""What the bot keeps to talk and remind: Teams conversation references, conversation state,
reminders, questions, feedback and the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class ConversationReferenceRecord(Base):
    """Where to reach a Teams user proactively; refreshed on every turn they take."""

    __tablename__ = "conversation_reference"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The Teams user id (29:…) is stable per bot; aadObjectId is stable per tenant.
    user_id: Mapped[str] = mapped_column(String(200), unique=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    channel_id: Mapped[str] = mapped_column(String(50))
    service_url: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str] = mapped_column(String(500))
    bot_id: Mapped[str | None] = mapped_column(String(200))
    # The full reference as JSON, so nothing Teams sends is lost between SDK versions.
    reference_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StateItem(Base):
    """A key-value item with an eTag: Bot Framework conversation and user state."""

    __tablename__ = "state_item"

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProcessedActivity(Base):
    """Inbound activity ids already handled, so a Teams re-delivery is answered once."""

    __tablename__ = "processed_activity"
    __table_args__ = (UniqueConstraint("channel_id", "conversation_id", "activity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(50))
    conversation_id: Mapped[str] = mapped_column(String(500))
    activity_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Feedback(Base):
    """What a user told HR about Charter itself, through the `feedback` conversation."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class NudgeDigest(Base):
    """One digest per recipient per run day: the unit the sender delivers (the outbox)."""

    __tablename__ = "nudge_digest"
    __table_args__ = (
        UniqueConstraint("recipient_id", "run_date"),
        Index("ix_nudge_digest_status_next", "status", "next_attempt_at"),
        # Planning reads the outbox by date window (this week, the repeat window): with this
        # it reads only those days, however long the outbox is kept.
        Index("ix_nudge_digest_run_date", "run_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    run_date: Mapped[date] = mapped_column(Date)
    # queued -> sending -> sent | undeliverable | dead (attempts exhausted)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # New with every claim: a sender writes an outcome only while the token is still its own.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # Messages of a split digest already delivered: a retry or takeover resumes after them.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Nudge(Base):
    """One due item queued for a recipient; the idempotency key makes it once-only."""

    __tablename__ = "nudge"
    __table_args__ = (
        Index("ix_nudge_recipient_item", "recipient_id", "item_key"),
        # Escalation counts the sends of a few kinds (return-to-work by default): found here
        # instead of in a pass over the whole outbox.
        Index("ix_nudge_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    digest_id: Mapped[int] = mapped_column(
        ForeignKey("nudge_digest.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    item_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(String(500), default="")
    due_since: Mapped[date] = mapped_column(Date)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class JobClaim(Base):
    """One run of a scheduled job (the 09:00 reminder cycle of a day, one 5-minute sweep):
    the unique (job, slot) makes it run once across workers and instances."""

    __tablename__ = "job_claim"
    __table_args__ = (UniqueConstraint("job", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    slot: Mapped[str] = mapped_column(String(40))
    claimed_by: Mapped[str] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class NudgeSnooze(Base):
    """A recipient's Snooze (until a date) or Done elsewhere (with a reason) for an item."""

    __tablename__ = "nudge_snooze"
    __table_args__ = (UniqueConstraint("recipient_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(200))
    until: Mapped[date | None] = mapped_column(Date)
    done_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QuestionAsked(Base):
    """A "what good looks like" question, what Charter answered and how the asker rated it.

    HR reads these (without names) to improve the content pack; the asker is kept only so
    that nobody else can rate their answer.
    """

    __tablename__ = "question_asked"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    # Lower-cased, spaces collapsed: what the report groups by.
    normalised: Mapped[str] = mapped_column(String(500), index=True)
    answered: Mapped[bool] = mapped_column(Boolean)
    section_id: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # "up" or "down" once the asker used the 👍/👎 buttons.
    rating: Mapped[str | None] = mapped_column(String(10))
    rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    referred_to_hr: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    """Who read or changed which personal record, when, and through which channel.

    Append-only: nothing in Charter updates or deletes these rows except retention.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_subject_at", "subject_id", "at"),
        Index("ix_audit_event_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    # None for Charter itself (the scheduler, retention).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    # Who it was, as text that survives the person's erasure: an email, "cli:<os user>", "system".
    actor_label: Mapped[str] = mapped_column(String(320))
    # The line manager whose team an acting manager acted for, under a delegation.
    on_behalf_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    # chat, cli or scheduler
    channel: Mapped[str] = mapped_column(String(20))
    # read, create, update, delete, export, erase, anonymise
    action: Mapped[str] = mapped_column(String(20))
    # absence, return_to_work, one_to_one, one_to_one_private_notes, apr, objective, ...
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64))
    # The employee the record is about.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(500), default="")
