"""The one-to-one agenda: talking points either person adds, the manager's private prep note,
and the next planned one-to-one."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class AgendaPoint(Base):
    """A talking point for the next one-to-one of an employee and their manager."""

    __tablename__ = "agenda_point"
    __table_args__ = (Index("ix_agenda_point_employee_discussed", "employee_id", "discussed_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The report whose one-to-ones it is for (the agenda moves with them to a new manager).
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(20))  # "employee" or "manager"
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    discussed_on: Mapped[date | None] = mapped_column(Date)
    one_to_one_id: Mapped[int | None] = mapped_column(
        ForeignKey("one_to_one.id", ondelete="SET NULL")
    )


class AgendaPrepNote(Base):
    """The manager's private prep note about a report: never shown to the employee, never
    exported in bulk; in the employee's subject access (it is about them)."""

    __tablename__ = "agenda_prep_note"
    __table_args__ = (UniqueConstraint("employee_id", "manager_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PlannedOneToOne(Base):
    """A one-to-one planned for a date and time, and what became of it."""

    __tablename__ = "planned_one_to_one"
    __table_args__ = (Index("ix_planned_one_to_one_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # planned, held, moved or missed
    status: Mapped[str] = mapped_column(String(20), default="planned")
    proposed: Mapped[bool] = mapped_column(Boolean, default=False)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    one_to_one_id: Mapped[int | None] = mapped_column(
        ForeignKey("one_to_one.id", ondelete="SET NULL")
    )
