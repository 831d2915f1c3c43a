"""The demo teams' objectives and APRs (``data/objectives.yaml``, ``data/aprs.yaml``), written as
the bot would have written them.

The golden thread for the three team managers and their teams. Last cycle's objectives were
agreed, updated through the year and reviewed at an APR in the last APR window that has closed
(with the default policy and as_of 23 November 2026: 1 April to 30 June 2026); this cycle's were
agreed at that APR and have progress updates since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.apr_cycle import AprCyclePolicy, AprWindow, current_window, next_window, probation_ends
from domain.people import Person
from services.demo import load
from services.demo.org import at, demo_teams, meeting_day
from storage import aprs as apr_repo
from storage import objectives as objective_repo
from storage import priorities as priority_repo
from storage.database import Database


async def seed_demo_objectives(
    database: Database, as_of: date, *, policy: AprCyclePolicy | None = None
) -> int:
    """Give the demo teams objectives and APR history up to ``as_of``; returns the objectives.

    Adds nothing if anyone in the demo teams already has an objective or an APR, so running it
    again (or after someone has tried the bot) changes nothing. Dates come from the APR cycle
    (``policy``, by default the council's 1 April to 30 June window), so they stay right for
    any ``as_of`` and none is later than the day before it.
    """
    policy = policy or AprCyclePolicy()
    async with database.transaction() as session:
        teams = await demo_teams(session, as_of)
        people = [manager for manager, _ in teams]
        people += [report for _, reports in teams for report in reports.values()]
        if not people or await _has_objectives_or_aprs(session, [p.id for p in people]):
            return 0
        links = _Links(await _priority_ids(session), await _demo_plans(session, as_of))
        created = 0
        for person in people:
            if person.manager_id is not None:  # the team managers report to David Marsh
                seeder = _Seeder(session, person, person.manager_id, links, policy, as_of)
                created += await seeder.seed()
    return created


async def _has_objectives_or_aprs(session: AsyncSession, pks: list[int]) -> bool:
    if await apr_repo.last_held(session, pks):
        return True
    for pk in pks:
        if await objective_repo.objectives_for(session, pk, include_closed=True):
            return True
    return False


async def _priority_ids(session: AsyncSession) -> dict[str, int | None]:
    """The demo's priority keys → ids, by title; a missing one falls back to the first."""
    active = {
        row.title: row.id for row in await priority_repo.all_priorities(session) if row.active
    }
    fallback = next(iter(active.values()), None)
    return {key: active.get(title, fallback) for key, title in load.priorities().items()}


async def _demo_plans(session: AsyncSession, as_of: date) -> dict[str, int]:
    year = as_of.year if as_of.month >= 4 else as_of.year - 1  # the council's financial year
    financial_year = f"{year}/{(year + 1) % 100:02d}"
    return {
        key: await objective_repo.add_plan(
            session, plan.title.format(financial_year=financial_year), plan.department
        )
        for key, plan in load.plans().items()
    }


@dataclass(frozen=True)
class _Links:
    priorities: dict[str, int | None]
    plans: dict[str, int]


def _spread(start: datetime, end: datetime, count: int) -> list[datetime]:
    """``count`` moments evenly between ``start`` and ``end`` (exclusive)."""
    return [start + (end - start) * (i + 1) / (count + 1) for i in range(count)]


class _Seeder:
    """One person's objectives and APR, written as the bot would have written them."""

    def __init__(
        self,
        session: AsyncSession,
        person: Person,
        manager_pk: int,
        links: _Links,
        policy: AprCyclePolicy,
        as_of: date,
    ) -> None:
        self.session, self.person, self.manager_pk = session, person, manager_pk
        self.number = int(person.employee_id[1:])  # D011 → 11, as load.demo_number reads it
        self.links, self.policy, self.as_of = links, policy, as_of
        self.window = _last_closed_window(policy, person.start_date, as_of)
        following = next_window(policy, start_date=person.start_date, as_of=self.window.opens)
        self.cycle_end = following.opens - timedelta(days=1)
        self.latest = at(as_of - timedelta(days=1), 17)  # nothing later than yesterday

    async def seed(self) -> int:
        number = self.number
        objectives = load.objectives().get(number, ())
        created = 0
        last = []
        for objective in (o for o in objectives if o.kind == "last"):
            objective_id = await self._last_cycle(objective)
            if objective_id is not None:
                last.append((objective_id, objective))
                created += 1
        apr = load.aprs().get(number)
        held_on = self._held_on(apr)
        apr_id = None
        if apr is not None and held_on is not None:
            apr_id = await self._apr(apr, held_on, last)
        else:  # no APR: last cycle's objectives carry on, with their updates since
            for objective_id, objective in last:
                await self._updates(objective_id, objective.updates, self.latest)
        for objective in objectives:
            if objective.kind == "this" and apr_id is not None and held_on is not None:
                created += await self._this_cycle(objective, apr_id, held_on)
            elif objective.kind in ("draft", "proposed", "probation"):
                created += await self._recent(objective)
        return created

    def _held_on(self, apr: load.Apr | None) -> date | None:
        """When the APR was held, if the person was out of probation by then."""
        if apr is None:
            return None
        held_on = meeting_day(
            min(
                self.window.opens + timedelta(days=apr.held_days_after_window_opens),
                self.window.closes,
            )
        )
        out_of_probation = probation_ends(self.person.start_date, self.policy.probation_months)
        return held_on if out_of_probation <= held_on < self.as_of else None

    async def _add(
        self,
        objective: load.Objective,
        *,
        status: str,
        by_manager: bool,
        now: datetime,
        **extra: Any,
    ) -> int:
        return await objective_repo.add_objective(
            self.session,
            employee_pk=self.person.id,
            title=objective.title,
            measure=objective.measure,
            target_date=extra.pop("target_date", self.cycle_end),
            priority_id=self.links.priorities[objective.priority],
            plan_id=self.links.plans[objective.plan] if objective.plan else None,
            status=status,
            proposed_by="manager" if by_manager else "owner",
            smart_overridden=False,
            created_by_pk=self.manager_pk if by_manager else self.person.id,
            now=now,
            **extra,
        )

    async def _agree(self, objective_id: int, *, actor_pk: int, now: datetime) -> None:
        await objective_repo.set_status(
            self.session, objective_id, status="agreed", actor_pk=actor_pk, comment="", now=now
        )

    async def _updates(
        self, objective_id: int, updates: tuple[load.Update, ...], end: datetime
    ) -> None:
        objective = await objective_repo.get_objective(self.session, objective_id)
        assert objective is not None
        start = objective.updated_at
        for moment, update in zip(_spread(start, end, len(updates)), updates, strict=True):
            await objective_repo.add_progress(
                self.session,
                objective_id,
                percent=update.percent,
                rag=update.rag,
                comment=update.comment,
                author_pk=self.person.id,
                now=moment,
            )

    async def _last_cycle(self, objective: load.Objective) -> int | None:
        """Proposed by the employee early in last cycle and agreed by the manager a week later."""
        start = self.person.start_date + timedelta(days=14)
        day = max(self.window.opens - timedelta(days=336 - 2 * (self.number % 10)), start)
        if day >= self.as_of - timedelta(days=7):
            return None
        objective_id = await self._add(
            objective,
            status="draft",
            by_manager=False,
            now=at(day, 10, 5 * (self.number % 12)),
            target_date=self.window.opens - timedelta(days=1),
        )
        agreed = at(day + timedelta(days=4 + self.number % 5), 9, 30)
        await self._agree(objective_id, actor_pk=self.manager_pk, now=agreed)
        return objective_id

    async def _apr(
        self, apr: load.Apr, held_on: date, last: list[tuple[int, load.Objective]]
    ) -> int:
        """The APR as the manager recorded it: last cycle's objectives reviewed and closed."""
        now = at(held_on, 16)
        reviewed = []
        for objective_id, objective in last:
            view = await objective_repo.get_objective(self.session, objective_id)
            assert view is not None
            if view.updated_at < now - timedelta(days=14):
                updates = objective.updates
                if objective.outcome == "achieved":  # the final update says it is done
                    updates = (*updates, load.Update(100, "green", objective.review))
                await self._updates(objective_id, updates, now - timedelta(days=7))
                reviewed.append((objective_id, objective.outcome, objective.review))
            else:  # agreed too close to the APR to review: it carries on
                await self._updates(objective_id, objective.updates, self.latest)
        apr_id = await apr_repo.add_apr(
            self.session,
            employee_pk=self.person.id,
            manager_pk=self.manager_pk,
            held_on=held_on,
            overall_comments=apr.overall,
            leadership_themes=apr.leadership_themes if self.person.is_manager else (),
            development_needs=apr.development,
            learning_needs=apr.learning,
            reviews=reviewed,
            source="chat",
            now=now,
        )
        for objective_id, outcome, comment in reviewed:
            if outcome != "continuing":
                await objective_repo.set_status(
                    self.session,
                    objective_id,
                    status=outcome,
                    actor_pk=self.manager_pk,
                    comment=comment,
                    now=now,
                )
        if apr.employee_response is not None:
            await apr_repo.record_response(
                self.session,
                apr_id,
                comment=apr.employee_response or None,
                now=min(at(held_on + timedelta(days=3), 9, 30), self.latest),
            )
        return apr_id

    async def _this_cycle(self, objective: load.Objective, apr_id: int, held_on: date) -> int:
        """Agreed at the APR as one of the coming year's objectives, updated since."""
        objective_id = await self._add(
            objective,
            status="agreed",
            by_manager=True,
            now=at(held_on, 16),
            from_apr_id=apr_id,
        )
        await self._updates(objective_id, objective.updates, self.latest)
        return 1

    async def _recent(self, objective: load.Objective) -> int:
        """A draft waiting for the other side, or a probation objective agreed at the start."""
        if objective.kind == "probation":
            day = self.person.start_date + timedelta(days=3)
            target = probation_ends(self.person.start_date, self.policy.probation_months)
        else:
            day = self.as_of - timedelta(days=3 + self.number % 5)
            target = self.cycle_end
        if day < self.person.start_date or day >= self.as_of:
            return 0
        by_manager = objective.kind in ("proposed", "probation")
        objective_id = await self._add(
            objective,
            status="draft",
            by_manager=by_manager,
            now=at(day, 11, 20),
            target_date=target,
        )
        if objective.kind == "probation":
            agreed = min(at(day + timedelta(days=1), 10), self.latest)
            await self._agree(objective_id, actor_pk=self.person.id, now=agreed)
            await self._updates(objective_id, objective.updates, self.latest)
        return 1


def _last_closed_window(policy: AprCyclePolicy, start_date: date, as_of: date) -> AprWindow:
    """The most recent APR window that closed before ``as_of``."""
    window = current_window(policy, start_date=start_date, as_of=as_of)
    if window.closes < as_of:
        return window
    return current_window(policy, start_date=start_date, as_of=window.opens - timedelta(days=1))
