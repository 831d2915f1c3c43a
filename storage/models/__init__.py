"""SQLAlchemy 2.0 typed models: the one home of Charter's schema, one module per part.

Alembic migrations in ``storage/migrations`` create and evolve these tables; a test checks
that the migrated schema matches the models. Every model is importable from here.
"""

from storage.models.agenda import AgendaPoint, AgendaPrepNote, PlannedOneToOne
from storage.models.base import NAMING_CONVENTION, Base, UtcDateTime
from storage.models.bot import (
    AuditEvent,
    ConversationReferenceRecord,
    Feedback,
    JobClaim,
    Nudge,
    NudgeDigest,
    NudgeSnooze,
    ProcessedActivity,
    QuestionAsked,
    StateItem,
)
from storage.models.notices import Notice
from storage.models.people import (
    CadenceOverride,
    Delegation,
    Employee,
    FormSubmission,
)
from storage.models.records import (
    Absence,
    Apr,
    AprObjectiveReview,
    AprPreparation,
    CouncilPriority,
    Objective,
    ObjectiveUpdate,
    OneToOne,
    OneToOneAction,
    OneToOneRevision,
    ReturnToWork,
    ServicePlan,
)

__all__ = [
    "NAMING_CONVENTION",
    "Absence",
    "AgendaPoint",
    "AgendaPrepNote",
    "Apr",
    "AprObjectiveReview",
    "AprPreparation",
    "AuditEvent",
    "Base",
    "CadenceOverride",
    "ConversationReferenceRecord",
    "CouncilPriority",
    "Delegation",
    "Employee",
    "Feedback",
    "FormSubmission",
    "JobClaim",
    "Notice",
    "Nudge",
    "NudgeDigest",
    "NudgeSnooze",
    "Objective",
    "ObjectiveUpdate",
    "OneToOne",
    "OneToOneAction",
    "OneToOneRevision",
    "PlannedOneToOne",
    "ProcessedActivity",
    "QuestionAsked",
    "ReturnToWork",
    "ServicePlan",
    "StateItem",
    "UtcDateTime",
]
