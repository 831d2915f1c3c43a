"""The domain services one running Charter uses, built once from a database and a clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.absence import AbsencePolicy, AbsenceService
from domain.apr_cycle import AprCyclePolicy
from domain.aprs import AprService
from domain.clock import Clock
from domain.directory import Directory
from domain.feedback import FeedbackService
from domain.notify import Notifier
from domain.nudge_planner import PlanSettings
from domain.nudge_rules import NudgePolicy
from domain.nudges import NudgeService
from domain.objectives import ObjectiveService
from domain.one_to_ones import OneToOnePolicy, OneToOneService
from storage.database import Database
from storage.feedback import FeedbackRepository


@dataclass(frozen=True)
class Services:
    database: Database
    clock: Clock
    directory: Directory
    feedback: FeedbackService
    one_to_ones: OneToOneService
    objectives: ObjectiveService
    aprs: AprService
    absence: AbsenceService
    nudges: NudgeService
    notifier: Notifier

    @classmethod
    def build(
        cls,
        database: Database,
        clock: Clock,
        *,
        notifier: Notifier | None = None,
        one_to_one_policy: OneToOnePolicy | None = None,
        apr_policy: AprCyclePolicy | None = None,
        absence_policy: AbsencePolicy | None = None,
        nudge_policy: NudgePolicy | None = None,
    ) -> Services:
        one_to_one = one_to_one_policy or OneToOnePolicy()
        apr = apr_policy or AprCyclePolicy()
        absence = absence_policy or AbsencePolicy()
        plan = PlanSettings(
            default_cadence_days=one_to_one.default_cadence_days,
            default_pattern=absence.default_pattern,
            rtw_deadline_days=absence.rtw_deadline_days,
            apr_policy=apr,
        )
        return cls(
            database=database,
            clock=clock,
            directory=Directory(database, clock),
            feedback=FeedbackService(FeedbackRepository(database)),
            one_to_ones=OneToOneService(database, clock, one_to_one),
            objectives=ObjectiveService(database, clock),
            aprs=AprService(database, clock, apr),
            absence=AbsenceService(database, clock, absence),
            nudges=NudgeService(database, clock, nudge_policy or NudgePolicy(), plan),
            notifier=notifier or UnreachableNotifier(),
        )


class UnreachableNotifier:
    """For tools with no Teams connection: nobody can be reached proactively."""

    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        return False
