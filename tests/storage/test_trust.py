"""Issue #9 on both databases: the audit trail, retention, subject access and erasure."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.config import load_settings
from bot.jobs.reminders import start_scheduler
from cli.main import main
from domain.clock import FixedClock
from domain.errors import Invalid
from domain.retention import DEFAULT_PERIODS, Kind
from services.absence import OUTCOMES
from services.audit import AuditTrail, Channel
from services.demo import seed_demo
from services.one_to_ones import OneToOneDraft
from services.org_import import import_org
from services.registry import Services
from services.retention_run import apply_retention, claim_nightly_run, finish_nightly_run
from storage import employees
from storage.database import Database
from storage.models import (
    Absence,
    Apr,
    AuditEvent,
    Employee,
    Nudge,
    NudgeDigest,
    NudgeSnooze,
    Objective,
    OneToOne,
    ReturnToWork,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TOM = "tom.griffiths@demo-council.example"
BILAL = "bilal.hussain@demo-council.example"


@pytest.fixture
async def demo(database: Database) -> Database:
    await seed_demo(database, NOW.date())
    return database


async def events(database: Database, **where: object) -> list[AuditEvent]:
    async with database.sessions() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEvent, key) == value)
        return list((await session.scalars(query)).all())


async def count(database: Database, model: object, *where: object) -> int:
    async with database.sessions() as session:
        return int(
            await session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]
        )


async def person(database: Database, email: str):  # type: ignore[no-untyped-def]
    async with database.sessions() as session:
        found = await employees.get_person_by_email(session, email, as_of=NOW.date())
    assert found is not None
    return found


async def test_a_write_and_its_audit_event_commit_together(demo: Database) -> None:
    services = Services.build(demo, FixedClock(NOW))
    tom, bilal = await person(demo, TOM), await person(demo, BILAL)
    draft = OneToOneDraft(
        held_on=NOW.date(), notes={"managing": "Rounds on time"}, private_note="Watch workload"
    )
    logged = await services.one_to_ones.log(tom, bilal.employee_id, draft)

    [created] = await events(demo, action="create", record_type="one_to_one")
    assert (created.actor_id, created.actor_label, created.channel) == (tom.id, TOM, "chat")
    assert (created.subject_id, created.record_id) == (bilal.id, str(logged.record.id))
    assert "private note" in created.detail

    before = len(await events(demo))
    with pytest.raises(Invalid):
        await services.one_to_ones.log(tom, bilal.employee_id, OneToOneDraft(None, {}))
    assert len(await events(demo)) == before  # nothing saved, nothing audited


async def test_reads_of_private_notes_absence_and_rtw_are_audited(demo: Database) -> None:
    services = Services.build(demo, FixedClock(NOW))
    tom, bilal = await person(demo, TOM), await person(demo, BILAL)
    await services.one_to_ones.history(tom, bilal)
    await services.absence.summary(tom, bilal)

    reads = {e.record_type: e for e in await events(demo, action="read", subject_id=bilal.id)}
    assert set(reads) >= {"one_to_one", "absence", "return_to_work"}
    assert all(e.actor_id == tom.id for e in reads.values())
    assert reads["absence"].detail.startswith("ids: ")


async def test_the_history_is_a_one_to_one_read_and_only_editing_reads_the_private_note(
    demo: Database,
) -> None:
    """The history card shows dates, areas, shared notes, actions and comments, never the
    private note: audited as what it showed. Opening a record to edit shows the note."""
    services = Services.build(demo, FixedClock(NOW))
    tom, bilal = await person(demo, TOM), await person(demo, BILAL)
    draft = OneToOneDraft(
        held_on=NOW.date() - timedelta(days=1),
        notes={"managing": "Rota", "developing": "", "supporting": "", "wellbeing": ""},
        shared_notes="Thanks for covering.",
        private_note="Kestrel-5: worried about his health",
        wellbeing_concern=False,
    )
    logged = await services.one_to_ones.log(tom, bilal.employee_id, draft)
    before = len(await events(demo, action="read", subject_id=bilal.id))

    records = await services.one_to_ones.history(tom, bilal)
    assert logged.record.id in [r.id for r in records]
    assert all(r.private_note == "" for r in records)  # not read: the card never shows it
    reads = await events(demo, action="read", subject_id=bilal.id)
    assert [e.record_type for e in reads[before:]] == ["one_to_one"]

    record, _ = await services.one_to_ones.editable(tom, logged.record.id)
    assert record.private_note == "Kestrel-5: worried about his health"
    reads = await events(demo, action="read", subject_id=bilal.id)
    assert [(e.record_type, e.record_id) for e in reads[before + 1 :]] == [
        ("one_to_one", str(logged.record.id)),
        ("one_to_one_private_notes", str(logged.record.id)),
    ]


async def test_the_team_overview_is_an_audited_read_of_each_persons_absence(
    demo: Database,
) -> None:
    services = Services.build(demo, FixedClock(NOW))
    tom = await person(demo, TOM)
    [team] = await services.team.my_teams(tom)
    shown = {row.employee_pk for row in team.rows}
    reads = await events(demo, action="read", record_type="absence", actor_id=tom.id)
    assert shown and {e.subject_id for e in reads} == shown
    assert all(e.detail.startswith("team overview") for e in reads)


async def test_cli_channel_and_exports_are_audited(
    demo: Database, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    assert await asyncio.to_thread(main, ["export", "absences", "--out", "a.csv"]) == 0
    cadence_args = ["cadence", "set", "--employee", BILAL, "--days", "14"]
    assert await asyncio.to_thread(main, cadence_args) == 0
    exports = await events(demo, action="export")
    [export] = [e for e in exports if e.subject_id is None]
    assert (export.channel, export.record_type, export.actor_id) == ("cli", "absence", None)
    assert export.actor_label.startswith("cli:")
    # One event per person in the export, so each person's own audit shows it.
    async with demo.sessions() as session:
        with_absences = set((await session.scalars(select(Absence.employee_id))).all())
    per_person = [e for e in exports if e.subject_id is not None]
    assert with_absences and {e.subject_id for e in per_person} == with_absences
    assert len(per_person) == len(with_absences)
    assert all(e.record_type == "absence" and e.channel == "cli" for e in per_person)
    [cadence] = await events(demo, record_type="cadence")
    assert cadence.subject_id == (await person(demo, BILAL)).id


async def test_retention_dry_run_counts_what_apply_deletes_and_audits(demo: Database) -> None:
    clock = FixedClock(NOW)
    trail = AuditTrail(demo, clock, Channel.SCHEDULER)
    bilal_pk = (await person(demo, BILAL)).id
    async with demo.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.email == BILAL).values(left_on=date(2020, 3, 31))
        )
    far = date(2033, 1, 1)  # absences of 2026 are over six years old then
    dry = await apply_retention(demo, trail, clock, DEFAULT_PERIODS, as_of=far, dry_run=True)
    assert dry.counts[Kind.ABSENCE] == await count(demo, Absence, Absence.end_date.is_not(None))
    assert await count(demo, AuditEvent) == 0  # a dry run changes nothing

    done = await apply_retention(demo, trail, clock, DEFAULT_PERIODS, as_of=far)
    assert done.counts == dry.counts
    assert await count(demo, Absence, Absence.end_date.is_not(None)) == 0
    assert await count(demo, Absence, Absence.end_date.is_(None)) == 1  # ongoing: never due
    async with demo.sessions() as session:
        row = await session.get(Employee, bilal_pk)
        assert row is not None and row.erased_at is not None  # anonymised
        assert row.email.endswith("@erased.invalid")
    assert await count(demo, OneToOne, OneToOne.employee_id == bilal_pk) == 0
    deleted = await events(demo, action="delete", record_type="absence", subject_id=bilal_pk)
    assert deleted and all(e.channel == "scheduler" for e in deleted)

    again = await apply_retention(demo, trail, clock, DEFAULT_PERIODS, as_of=far)
    assert again.total == 0


async def test_only_one_instance_claims_the_nightly_run(demo: Database) -> None:
    trail = AuditTrail(demo, FixedClock(NOW), Channel.SCHEDULER)
    claims = await asyncio.gather(*(claim_nightly_run(demo, trail, NOW.date()) for _ in range(4)))
    assert sorted(claims) == [False, False, False, True]


async def test_a_claim_that_never_finished_is_retried_after_an_hour(demo: Database) -> None:
    day = NOW.date()

    def trail_at(minutes: int) -> AuditTrail:
        return AuditTrail(demo, FixedClock(NOW + timedelta(minutes=minutes)), Channel.SCHEDULER)

    assert await claim_nightly_run(demo, trail_at(0), day)  # then the process dies
    assert not await claim_nightly_run(demo, trail_at(30), day)  # may still be running
    retry = trail_at(61)
    assert await claim_nightly_run(demo, retry, day)
    clock = FixedClock(NOW + timedelta(minutes=61))
    report = await apply_retention(demo, retry, clock, DEFAULT_PERIODS, as_of=day)
    await finish_nightly_run(demo, retry, day, report)
    assert not await claim_nightly_run(demo, trail_at(200), day)  # finished: never again
    runs = await events(demo, record_type="retention_run")
    assert [e.action for e in runs] == ["create", "create", "update"]
    assert "retry" in runs[1].detail and "finished" in runs[2].detail


def retention_runtime(database: Database, now: datetime, **env: str) -> SimpleNamespace:
    settings = load_settings(env, env_file=None)
    services = Services.build(database, FixedClock(now))
    return SimpleNamespace(settings=settings, database=database, services=services)


async def test_the_scheduler_runs_retention_nightly_at_its_time_unless_off(
    demo: Database,
) -> None:
    far = datetime(2033, 1, 1, 3, 15, tzinfo=ZoneInfo("Europe/London"))
    runtime = retention_runtime(
        demo, far, CHARTER_RETENTION_TIME="03:15", CHARTER_NUDGE_SCHEDULE="off"
    )
    scheduler = start_scheduler(runtime)
    assert scheduler is not None
    try:
        job = scheduler.get_job("retention")
        assert job is not None and scheduler.get_job("reminder-cycle") is None
        fields = {f.name: str(f) for f in job.trigger.fields}
        assert (fields["hour"], fields["minute"]) == ("3", "15")
        assert scheduler.get_job("retention-catch-up") is not None
        ended = await count(demo, Absence, Absence.end_date.is_not(None))
        assert ended > 0
        await job.func()  # the job itself, end to end, on the night of 1 January 2033
    finally:
        scheduler.shutdown(wait=False)
    assert await count(demo, Absence, Absence.end_date.is_not(None)) == 0
    assert await events(demo, action="delete", record_type="absence", channel="scheduler")
    runs = await events(demo, record_type="retention_run")
    assert [(e.action, e.record_id) for e in runs] == [
        ("create", "2033-01-01"),
        ("update", "2033-01-01"),
    ]

    off = retention_runtime(demo, far, CHARTER_RETENTION_TIME="off")
    scheduler = start_scheduler(off)
    assert scheduler is not None
    try:
        assert scheduler.get_job("retention") is None
        assert scheduler.get_job("retention-catch-up") is None
        assert scheduler.get_job("reminder-cycle") is not None
    finally:
        scheduler.shutdown(wait=False)
    both_off = {"CHARTER_RETENTION_TIME": "off", "CHARTER_NUDGE_SCHEDULE": "off"}
    assert start_scheduler(retention_runtime(demo, far, **both_off)) is None


def cli(*args: str) -> int:
    return main(list(args))


async def by_ref(database: Database, employee_id: str) -> int:
    async with database.sessions() as session:
        found = await employees.get_person_by_employee_id(session, employee_id)
    assert found is not None
    return found.id


async def test_imports_audit_each_person_whose_records_they_write(
    demo: Database, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    d011, d012, d013 = [await by_ref(demo, ref) for ref in ("D011", "D012", "D013")]
    header = "employee_id,employee_email,start_date,end_date,absence_type,reason_category\n"
    absences = tmp_path / "absences.csv"
    absences.write_text(
        header
        + "D011,,2025-01-06,2025-01-07,sickness,\n"
        + "D011,,2025-02-03,2025-02-04,sickness,\n"
        + "D013,,2025-03-03,,sickness,\n",
        encoding="utf-8",
    )
    assert await asyncio.to_thread(cli, "import", "absences", str(absences)) == 0
    created = {e.subject_id: e for e in await events(demo, record_type="absence")}
    assert set(created) == {d011, d013}
    assert created[d011].action == "create"
    assert created[d011].detail == "import of absences.csv: 2 added"
    assert all(e.channel == "cli" and e.actor_label.startswith("cli:") for e in created.values())

    absences.write_text(header + "D013,,2025-03-03,2025-03-05,sickness,\n", encoding="utf-8")
    assert await asyncio.to_thread(cli, "import", "absences", str(absences)) == 0
    [updated] = await events(demo, record_type="absence", action="update")
    assert (updated.subject_id, updated.detail) == (d013, "import of absences.csv: 1 updated")

    aprs = tmp_path / "aprs.csv"
    aprs.write_text(
        "employee_id,employee_email,held_on,manager_email,overall_comments\n"
        "D011,,2025-05-04,,Strong year\n",
        encoding="utf-8",
    )
    assert await asyncio.to_thread(cli, "import", "aprs", str(aprs)) == 0
    [apr] = await events(demo, record_type="apr", action="create")
    assert (apr.subject_id, apr.detail) == (d011, "import of aprs.csv: 1 added")

    from services.demo import demo_org_csv

    org = tmp_path / "org.csv"
    lines = demo_org_csv().splitlines(keepends=True)
    org.write_text("".join(line for line in lines if not line.startswith("D012,")))
    assert await asyncio.to_thread(cli, "import", "org", str(org), "--full") == 0
    people = await events(demo, record_type="employee")
    summary = [e for e in people if e.subject_id is None]
    assert len(summary) == 1 and "1 marked as left" in summary[0].detail
    assert [(e.subject_id, e.action) for e in people if e.subject_id] == [(d012, "update")]


async def test_sar_separates_records_about_them_from_what_they_wrote(
    demo: Database, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "sar.json"
    assert await asyncio.to_thread(cli, "sar", TOM, "--out", str(out)) == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    report = json.loads(out.read_text())
    about, wrote = report["records_about_them"], report["records_they_wrote_about_others"]
    assert about["employee"]["email"] == TOM
    assert about["aprs"] and about["aprs"][0]["overall_comments"]
    assert {r["record_type"] for r in wrote} >= {"one_to_one", "return_to_work"}
    text = json.dumps(wrote)
    assert "Back strain" not in text and "heavy cold" not in text  # others' health details
    assert all(set(r) <= {"record_type", "id", "date", "what"} for r in wrote)

    assert await asyncio.to_thread(cli, "sar", "daniel.kowalski@demo-council.example") == 0
    exports = await events(demo, action="export", record_type="subject_access")
    assert [e.channel for e in exports] == ["cli", "cli"]


async def add_reminder(
    database: Database, recipient_id: int, subject_id: int, kind: str, title: str, item_key: str
) -> None:
    async with database.transaction() as session:
        digest = NudgeDigest(
            recipient_id=recipient_id,
            # One digest a recipient a day: a day of its own, long before the demo's.
            run_date=date(2020, 1, 1) + timedelta(days=int(item_key.split(":")[1])),
            status="sent",
            next_attempt_at=NOW,
            created_at=NOW,
        )
        session.add(digest)
        await session.flush()
        session.add(
            Nudge(
                idempotency_key=f"{recipient_id}:{item_key}",
                digest_id=digest.id,
                recipient_id=recipient_id,
                subject_id=subject_id,
                kind=kind,
                item_key=item_key,
                title=title,
                detail="",
                due_since=NOW.date(),
                created_at=NOW,
            )
        )


async def test_a_managers_sar_lists_reminders_about_reports_by_kind_id_and_date_only(
    demo: Database, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tom, bilal = await person(demo, TOM), await person(demo, BILAL)
    rtw = "Return-to-work conversation with Bilal Hussain, back on 20 Nov after a Kestrel-7"
    await add_reminder(demo, tom.id, bilal.id, "rtw_due", rtw, "absence:9001")
    await add_reminder(
        demo,
        tom.id,
        tom.id,
        "objective_to_agree",
        "Objective to agree: Tom's own goal",
        "objective:77",
    )
    async with demo.transaction() as session:
        session.add(
            NudgeSnooze(
                recipient_id=tom.id,
                item_key="absence:9001",
                done_reason="Held at his home visit: Kestrel-7 flare-up",
                created_at=NOW,
            )
        )
        session.add(NudgeSnooze(recipient_id=tom.id, item_key="objective:77", created_at=NOW))

    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "sar.json"
    assert await asyncio.to_thread(cli, "sar", TOM, "--out", str(out)) == 0
    report = json.loads(out.read_text())
    assert "Kestrel-7" not in json.dumps(report)
    about, wrote = report["records_about_them"], report["records_they_wrote_about_others"]
    assert [r["title"] for r in about["reminders_sent_to_you"]] == [
        "Objective to agree: Tom's own goal"
    ]
    assert [r["item_key"] for r in about["reminders_snoozed"]] == ["objective:77"]
    others = [r for r in wrote if r["record_type"] in ("reminder", "reminder_snooze")]
    assert [(r["record_type"], r["what"]) for r in others] == [
        ("reminder", "rtw_due"),
        ("reminder_snooze", "done elsewhere"),
    ]
    assert all(set(r) == {"record_type", "id", "date", "what"} for r in others)

    # The report the reminder was about sees it in full: it is about them.
    bilal_out = tmp_path / "bilal.json"
    assert await asyncio.to_thread(cli, "sar", BILAL, "--out", str(bilal_out)) == 0
    bilal_report = json.loads(bilal_out.read_text())["records_about_them"]
    assert [r["title"] for r in bilal_report["reminders_about_you"]] == [rtw]


async def test_erase_refuses_staff_in_post_previews_then_erases_a_leaver(
    demo: Database,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    bilal = await person(demo, BILAL)
    assert await asyncio.to_thread(cli, "erase", BILAL, "--confirm") == 1
    assert "still employed" in capsys.readouterr().err

    async with demo.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.id == bilal.id).values(left_on=date(2026, 10, 31))
        )
    one_to_ones = await count(demo, OneToOne, OneToOne.employee_id == bilal.id)
    assert one_to_ones > 0
    assert await asyncio.to_thread(cli, "erase", BILAL) == 1  # preview only
    assert "Nothing was changed" in capsys.readouterr().err
    assert await count(demo, OneToOne, OneToOne.employee_id == bilal.id) == one_to_ones

    assert await asyncio.to_thread(cli, "erase", BILAL, "--confirm") == 0
    async with demo.sessions() as session:
        row = await session.get(Employee, bilal.id)
        assert row is not None and row.erased_at is not None
        assert BILAL not in row.email and "Bilal" not in row.name and row.aad_object_id is None
        rtw_notes = (
            await session.scalars(
                select(ReturnToWork.notes).where(ReturnToWork.employee_id == bilal.id)
            )
        ).all()
        apr_comments = (
            await session.scalars(select(Apr.overall_comments).where(Apr.employee_id == bilal.id))
        ).all()
    assert await count(demo, OneToOne, OneToOne.employee_id == bilal.id) == 0
    assert await count(demo, Objective, Objective.employee_id == bilal.id) == 0
    assert await count(demo, Absence, Absence.employee_id == bilal.id) == 3  # kept
    assert rtw_notes and set(rtw_notes) == {""}
    assert apr_comments and set(apr_comments) == {""}
    [erased] = await events(demo, action="erase")
    assert erased.subject_id == bilal.id and erased.channel == "cli"

    capsys.readouterr()
    assert await asyncio.to_thread(cli, "audit", "--employee", bilal.employee_id) == 0
    assert "erase employee" in capsys.readouterr().out


async def test_an_org_import_never_brings_an_erased_person_back(demo: Database) -> None:
    bilal = await person(demo, BILAL)
    async with demo.transaction() as session:
        await session.execute(
            update(Employee)
            .where(Employee.id == bilal.id)
            .values(
                left_on=date(2026, 10, 31),
                erased_at=NOW,
                name="Erased person 1",
                email="erased-1@erased.invalid",
            )
        )
    # HR's next export still lists him, with his real name and email.
    manager = await person(demo, TOM)
    org = (
        "employee_id,name,email,manager_email,department,job_title,start_date\n"
        f"{bilal.employee_id},Bilal Hussain,{BILAL},{manager.email},Community Services,"
        "Officer,2020-01-06\n"
    )
    result = await import_org(demo, io.StringIO(org), full=False, as_of=NOW.date())
    assert result.problems == [] and result.kept_erased == 1 and result.updated == 0
    async with demo.sessions() as session:
        row = await session.get(Employee, bilal.id)
    assert row is not None and row.name == "Erased person 1" and BILAL not in row.email


async def test_an_apr_sent_to_the_employee_is_an_audited_read_of_it(demo: Database) -> None:
    services = Services.build(demo, FixedClock(NOW))
    tom, bilal = await person(demo, TOM), await person(demo, BILAL)
    _, reviewable, _ = await services.aprs.recording_context(tom, bilal.employee_id)
    values = {"held_on": NOW.date().isoformat(), "overall_comments": "A steady year"}
    values |= {f"outcome_{o.id}": "continuing" for o in reviewable}
    recorded = await services.aprs.record(tom, bilal.employee_id, values)
    [read] = await events(demo, action="read", record_type="apr")
    assert (read.subject_id, read.record_id) == (bilal.id, str(recorded.apr.id))
    assert (read.actor_id, read.detail) == (bilal.id, "sent to them to acknowledge")


async def test_a_return_to_work_sent_to_the_employee_is_an_audited_read_of_it(
    demo: Database,
) -> None:
    services = Services.build(demo, FixedClock(NOW))
    priya = await person(demo, "priya.shah@demo-council.example")
    oluwaseun = await person(demo, "oluwaseun.adeyemi@demo-council.example")
    _, waiting = await services.absence.waiting_for_rtw(priya, oluwaseun.employee_id)
    values = {"held_on": NOW.date().isoformat(), "outcome": next(iter(OUTCOMES))}
    _, rtw = await services.absence.log_rtw(priya, waiting[0].id, values)
    reads = await events(demo, action="read", record_type="return_to_work", record_id=str(rtw.id))
    assert [(e.actor_id, e.subject_id, e.detail) for e in reads] == [
        (oluwaseun.id, oluwaseun.id, "sent to them to acknowledge")
    ]
