"""SQLAlchemy 2.0 typed models: the one home of Charter's schema.

Alembic migrations in ``storage/migrations`` create and evolve these tables; a test checks
that the migrated schema matches the models.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back time-zone aware.

    SQLite keeps no time zone, so an aware London time would come back naive and shifted;
    converting to UTC on the way in and tagging UTC on the way out makes both databases agree.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Employee(Base):
    """A person in the council's org chart, loaded by HR from the HR system's export."""

    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased: email addresses are matched case-insensitively everywhere.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    department: Mapped[str] = mapped_column(String(200), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # ';'-separated role names, as in the org file; parsed by domain.people.
    roles: Mapped[str] = mapped_column(String(200), default="")
    left_on: Mapped[date | None] = mapped_column(Date)
    # Set by `charter erase`: the name, email and Teams id are replaced; the row stays so
    # records kept for legal reasons still have an owner.
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Working days for absence rules, e.g. "Mon,Wed,Fri"; empty means the default pattern.
    working_pattern: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=func.now(), onupdate=func.now()
    )

    manager: Mapped[Employee | None] = relationship(
        remote_side="Employee.id", back_populates="reports"
    )
    reports: Mapped[list[Employee]] = relationship(back_populates="manager")


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


class OneToOne(Base):
    """A supervision conversation between a line manager and a direct report."""

    __tablename__ = "one_to_one"
    __table_args__ = (Index("ix_one_to_one_employee_held", "employee_id", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    # Who held and logged it: the line manager at the time.
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    managing: Mapped[str] = mapped_column(Text, default="")
    developing: Mapped[str] = mapped_column(Text, default="")
    supporting: Mapped[str] = mapped_column(Text, default="")
    wellbeing: Mapped[str] = mapped_column(Text, default="")
    shared_notes: Mapped[str] = mapped_column(Text, default="")
    # Never shown to the employee, never exported in bulk.
    private_note: Mapped[str] = mapped_column(Text, default="")
    wellbeing_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    logged_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    employee_comment: Mapped[str | None] = mapped_column(Text)
    employee_commented_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class OneToOneAction(Base):
    """An action agreed at a one-to-one, carried forward until it is done."""

    __tablename__ = "one_to_one_action"
    __table_args__ = (Index("ix_one_to_one_action_employee_status", "employee_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    one_to_one_id: Mapped[int] = mapped_column(
        ForeignKey("one_to_one.id", ondelete="CASCADE"), index=True
    )
    # The report whose one-to-ones the action belongs to (denormalised for look-ups).
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(20))  # "manager" or "employee"
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # "open" or "done"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    carried_forward: Mapped[int] = mapped_column(Integer, default=0)


class OneToOneRevision(Base):
    """The audit trail of a one-to-one: every change, with the record as it was before."""

    __tablename__ = "one_to_one_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    one_to_one_id: Mapped[int] = mapped_column(
        ForeignKey("one_to_one.id", ondelete="CASCADE"), index=True
    )
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    change: Mapped[str] = mapped_column(String(30))  # created, edited, acknowledged, commented
    before_json: Mapped[str | None] = mapped_column(Text)


class CadenceOverride(Base):
    """HR's expected interval between one-to-ones for one employee, or a manager's team."""

    __tablename__ = "cadence_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), unique=True
    )
    team_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), unique=True
    )
    interval_days: Mapped[int] = mapped_column(Integer)
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CouncilPriority(Base):
    """A priority of the council's Strategic Plan: the top of the golden thread."""

    __tablename__ = "council_priority"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ServicePlan(Base):
    """A department, service or team plan that objectives can support (HR keeps the list)."""

    __tablename__ = "service_plan"
    __table_args__ = (UniqueConstraint("department", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Objective(Base):
    """An individual objective, linked up the golden thread to a council priority."""

    __tablename__ = "objective"
    __table_args__ = (Index("ix_objective_employee_status", "employee_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    measure: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date)
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("council_priority.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("service_plan.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    proposed_by: Mapped[str] = mapped_column(String(20), default="owner")  # owner or manager
    smart_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    agreed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    rag: Mapped[str | None] = mapped_column(String(10))
    # The APR at which it was agreed as one of next year's objectives, if any.
    from_apr_id: Mapped[int | None] = mapped_column(ForeignKey("apr.id", ondelete="SET NULL"))


class ObjectiveUpdate(Base):
    """The history of an objective: progress updates, status changes, edits, discussions."""

    __tablename__ = "objective_update"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objective.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(20))  # progress, status, edit, discuss, created
    percent: Mapped[int | None] = mapped_column(Integer)
    rag: Mapped[str | None] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    status_from: Mapped[str | None] = mapped_column(String(20))
    status_to: Mapped[str | None] = mapped_column(String(20))
    before_json: Mapped[str | None] = mapped_column(Text)


class AprPreparation(Base):
    """The employee's self-assessment before their APR, shared with their manager."""

    __tablename__ = "apr_preparation"
    __table_args__ = (UniqueConstraint("employee_id", "cycle_label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    cycle_label: Mapped[str] = mapped_column(String(20))
    # {objective id: what they achieved}, as JSON.
    achievements_json: Mapped[str] = mapped_column(Text, default="{}")
    obstacles: Mapped[str] = mapped_column(Text, default="")
    development_wishes: Mapped[str] = mapped_column(Text, default="")
    support_wanted: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    shared_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Apr(Base):
    """An Annual Performance Review as held (or imported from the previous system)."""

    __tablename__ = "apr"
    __table_args__ = (Index("ix_apr_employee_held", "employee_id", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    overall_comments: Mapped[str] = mapped_column(Text, default="")
    # ';'-separated leadership behaviour themes (Drive, Think, Feel, Connect, Inspire).
    leadership_themes: Mapped[str] = mapped_column(String(100), default="")
    development_needs: Mapped[str] = mapped_column(Text, default="")
    learning_needs: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="chat")  # chat or import
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    employee_comment: Mapped[str | None] = mapped_column(Text)
    employee_commented_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AprObjectiveReview(Base):
    """How one objective was judged at an APR."""

    __tablename__ = "apr_objective_review"
    __table_args__ = (UniqueConstraint("apr_id", "objective_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    apr_id: Mapped[int] = mapped_column(ForeignKey("apr.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")


class Absence(Base):
    """A period of absence. Sickness absence is special category health data (UK GDPR)."""

    __tablename__ = "absence"
    __table_args__ = (UniqueConstraint("employee_id", "start_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # last day absent; None while ongoing
    absence_type: Mapped[str] = mapped_column(String(20), default="sickness")
    reason_category: Mapped[str | None] = mapped_column(String(100))
    working_days_lost: Mapped[int | None] = mapped_column(Integer)
    # True when HR's file gave the figure; otherwise Charter computes it.
    working_days_given: Mapped[bool] = mapped_column(Boolean, default=False)
    disability_related: Mapped[bool] = mapped_column(Boolean, default=False)
    expected_return: Mapped[date | None] = mapped_column(Date)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="import")  # import or chat
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReturnToWork(Base):
    """The return-to-work conversation after a period of sickness absence."""

    __tablename__ = "return_to_work"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    absence_id: Mapped[int] = mapped_column(
        ForeignKey("absence.id", ondelete="CASCADE"), unique=True
    )
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    reason_category: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(Text, default="")
    reported_correctly: Mapped[bool] = mapped_column(Boolean, default=True)
    fit_note_received: Mapped[bool | None] = mapped_column(Boolean)
    work_related: Mapped[bool] = mapped_column(Boolean, default=False)
    accident_at_work: Mapped[bool] = mapped_column(Boolean, default=False)
    underlying_condition: Mapped[bool] = mapped_column(Boolean, default=False)
    adjustments_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    # ';'-separated: oh_referral, eap, mhfa, phased_return, adjustments
    support_offered: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(40))
    employee_comments: Mapped[str] = mapped_column(Text, default="")
    # The trigger position the card showed the manager when it was held.
    trigger_summary: Mapped[str] = mapped_column(Text, default="")
    trigger_reached: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    employee_comment: Mapped[str | None] = mapped_column(Text)


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


class Delegation(Base):
    """An acting manager for someone's team for a period (leave, secondment, vacancy)."""

    __tablename__ = "delegation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Whose team: the line manager in the org chart.
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    # Inclusive: the acting manager still acts on this day.
    ends_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    created_via: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )
    # None while it waits for an HR admin: a delegate outside the manager's own chain of
    # managers needs HR to confirm, and until then the delegation grants nothing.
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL")
    )


class FormSubmission(Base):
    """One row per form card saved: the card's form-instance token, written in the same
    transaction as the record, so a card pressed three times at once saves once."""

    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime())


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
