"""The org chart and what hangs on a person: employees, cadence overrides, delegations and the
forms they sent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UtcDateTime


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
