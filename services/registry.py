"""The domain services one running Charter uses, built once from a database and a clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.answer_index import ANSWER_THRESHOLD
from domain.apr_cycle import AprCyclePolicy
from domain.clock import Clock
from domain.notify import Notifier
from domain.nudge_rules import NudgePolicy
from domain.report_links import ReportLinks
from services.absence import AbsencePolicy, AbsenceService
from services.answers import AnswerService, ContentLibrary
from services.aprs import AprService
from services.audit import AuditTrail, Channel
from services.delegation import DelegationService
from services.directory import Directory
from services.feedback import FeedbackService
from services.nudge_planner import PlanSettings
from services.nudges import NudgeService
from services.objectives import ObjectiveService
from services.one_to_ones import OneToOnePolicy, OneToOneService
from services.scorecard import DEFAULT_TARGETS, ScorecardService
from services.staff_status import StaffRules
from services.team_overview import TeamOverviewService
from services.waiting import WaitingService
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
    delegations: DelegationService
    team: TeamOverviewService
    staff_rules: StaffRules
    scorecard_targets: dict[str, float]
    scorecards: ScorecardService
    answers: AnswerService
    audit: AuditTrail
    waiting: WaitingService
    # Links to the report pages the bot serves; None where nothing serves them (no link).
    report_links: ReportLinks | None = None

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
        channel: Channel | str = Channel.CHAT,
        scorecard_targets: Mapping[str, float] | None = None,
        content_dir: Path | None = None,
        content_library: ContentLibrary | None = None,
        answer_threshold: float = ANSWER_THRESHOLD,
    ) -> Services:
        """``channel`` is how people reach these services (chat, cli or scheduler): every
        audit event they write carries it."""
        one_to_one = one_to_one_policy or OneToOnePolicy()
        apr = apr_policy or AprCyclePolicy()
        absence = absence_policy or AbsencePolicy()
        plan = PlanSettings(
            default_cadence_days=one_to_one.default_cadence_days,
            default_pattern=absence.default_pattern,
            rtw_deadline_days=absence.rtw_deadline_days,
            apr_policy=apr,
        )
        trail = AuditTrail(database, clock, channel)
        rules = StaffRules(
            default_cadence_days=one_to_one.default_cadence_days,
            apr_policy=apr,
            rtw_deadline_days=absence.rtw_deadline_days,
            default_pattern=absence.default_pattern,
            triggers=absence.triggers,
        )
        return cls(
            database=database,
            clock=clock,
            directory=Directory(database, clock),
            feedback=FeedbackService(FeedbackRepository(database)),
            one_to_ones=OneToOneService(database, clock, one_to_one, audit=trail),
            objectives=ObjectiveService(database, clock, audit=trail),
            aprs=AprService(database, clock, apr, audit=trail),
            absence=AbsenceService(database, clock, absence, audit=trail),
            nudges=NudgeService(database, clock, nudge_policy or NudgePolicy(), plan),
            notifier=notifier or UnreachableNotifier(),
            delegations=DelegationService(database, clock, trail),
            team=TeamOverviewService(database, clock, rules, trail),
            staff_rules=rules,
            scorecard_targets=dict(scorecard_targets or DEFAULT_TARGETS),
            scorecards=ScorecardService(database, clock, rules, scorecard_targets),
            answers=AnswerService(
                database,
                clock,
                content_library or _content_library(content_dir, answer_threshold),
            ),
            audit=trail,
            waiting=WaitingService(database, clock, trail),
        )


def _content_library(content_dir: Path | None, threshold: float) -> ContentLibrary:
    """The pack this Charter serves: the configured folder, else the one shipped with it."""
    from content import PACK_DIR

    return ContentLibrary(content_dir or PACK_DIR, threshold=threshold)


class UnreachableNotifier:
    """For tools with no Teams connection: nobody can be reached proactively."""

    async def send_card(self, employee_pk: int, card: dict[str, Any], summary: str) -> bool:
        return False
