"""SQLAlchemy 2.0 typed models: the one home of Charter's schema.

Alembic migrations in ``storage/migrations`` create and evolve these tables; a test checks
that the migrated schema matches the models.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
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
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
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
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StateItem(Base):
    """A key-value item with an eTag: Bot Framework conversation and user state."""

    __tablename__ = "state_item"

    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
