"""The performance and absence records: one-to-ones, the golden thread's objectives, APRs, absences
and return-to-work conversations.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


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
