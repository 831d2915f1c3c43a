"""Questions people ask are stored, rated only by their asker, and reported to HR by count."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain.clock import FixedClock
from domain.errors import Invalid, Refused
from domain.people import Person
from services.answers import AnswerService, ContentLibrary
from services.directory import Directory
from storage.database import Database
from storage.questions import QuestionRepository

SAMPLE = Path(__file__).parents[1] / "fixtures" / "content_pack_sample"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


async def people(database: Database) -> tuple[Person, Person]:
    directory = Directory(database, FixedClock(NOW))
    manager = await directory.by_email("priya.shah@demo-council.example")
    staff = await directory.by_email("rhys.evans@demo-council.example")
    assert manager is not None and manager.is_manager
    assert staff is not None and not staff.is_manager
    return manager, staff


def service(database: Database, now: datetime = NOW) -> AnswerService:
    return AnswerService(database, FixedClock(now), ContentLibrary(SAMPLE))


async def test_ask_answers_for_the_askers_audience_and_stores_the_question(
    demo_org: Database,
) -> None:
    manager, staff = await people(demo_org)
    answers = service(demo_org)
    mine = await answers.ask("  What happens at my   APR? ", staff)
    assert mine.answered and mine.best is not None
    assert mine.best.section_id == "apr-for-staff#what-happens-at-your-apr"
    assert mine.question_id is not None
    theirs = await answers.ask("What happens at the APR?", manager, channel="teams")
    assert theirs.best is not None and theirs.best.section_id == "apr#what-happens-at-the-apr"

    record = await QuestionRepository(demo_org).get(mine.question_id)
    assert record is not None
    assert record.question == "What happens at my APR?"
    assert record.normalised == "what happens at my apr?"
    assert record.audience == "staff"
    assert record.employee_pk == staff.id
    assert record.answered and record.section_id == "apr-for-staff#what-happens-at-your-apr"
    assert record.asked_at == NOW.astimezone(UTC)
    assert record.rating is None and not record.referred_to_hr


async def test_long_questions_are_capped_and_empty_ones_refused(demo_org: Database) -> None:
    _, staff = await people(demo_org)
    answers = service(demo_org)
    answer = await answers.ask("appraisal " * 200, staff)
    record = await QuestionRepository(demo_org).get(answer.question_id or 0)
    assert record is not None and len(record.question) <= 500
    with pytest.raises(Invalid):
        await answers.ask("   ", staff)


async def test_only_the_asker_may_rate_or_refer_and_a_rerating_overwrites(
    demo_org: Database,
) -> None:
    manager, staff = await people(demo_org)
    answers = service(demo_org)
    answer = await answers.ask("what is the weather tomorrow", staff)
    assert not answer.answered and answer.best is None
    qid = answer.question_id
    assert qid is not None
    with pytest.raises(Refused):
        await answers.rate(qid, manager, helpful=False)
    with pytest.raises(Refused):
        await answers.refer_to_hr(qid, manager)
    with pytest.raises(Refused):
        await answers.rate(qid + 999, staff, helpful=True)
    with pytest.raises(Refused):
        await answers.refer_to_hr(qid + 999, staff)

    await answers.rate(qid, staff, helpful=False)
    await answers.rate(qid, staff, helpful=True)
    assert await answers.refer_to_hr(qid, staff) == "what is the weather tomorrow"
    record = await QuestionRepository(demo_org).get(qid)
    assert record is not None
    assert record.rating == "up" and record.referred_to_hr


async def test_the_report_groups_by_question_and_lists_only_what_needs_work(
    demo_org: Database,
) -> None:
    manager, staff = await people(demo_org)
    answers = service(demo_org)
    for _ in range(3):
        await answers.ask("Where is the  canteen", staff)
    await answers.ask("where is the canteen", manager)
    disliked = await answers.ask("how often should I hold one-to-ones", manager)
    await answers.rate(disliked.question_id or 0, manager, helpful=False)
    liked = await answers.ask("what happens at my appraisal", staff)
    await answers.rate(liked.question_id or 0, staff, helpful=True)  # fine: not listed
    referred = await answers.ask("return to work conversations", staff)
    await answers.refer_to_hr(referred.question_id or 0, staff)

    rows = await answers.question_report(None)
    # Most asked first; equal counts by when last asked, then alphabetically.
    assert [(r.question, r.asked, r.unanswered, r.down_votes, r.referred) for r in rows] == [
        ("where is the canteen", 4, 4, 0, 0),
        ("how often should i hold one-to-ones", 1, 0, 1, 0),
        ("return to work conversations", 1, 0, 0, 1),
    ]
    by_question = {r.question: r for r in rows}
    assert by_question["how often should i hold one-to-ones"].section_id == (
        "one-to-ones#how-often-to-hold-one-to-ones"
    )
    assert by_question["where is the canteen"].section_id is None
    assert by_question["where is the canteen"].last_asked == NOW.astimezone(UTC)
    assert "what happens at my appraisal" not in by_question
    assert not any(hasattr(r, "employee_pk") or hasattr(r, "asker") for r in rows)


async def test_the_report_can_start_from_a_date(demo_org: Database) -> None:
    _, staff = await people(demo_org)
    earlier = service(demo_org, datetime(2026, 10, 1, 9, 0, tzinfo=ZoneInfo("Europe/London")))
    await earlier.ask("where is the canteen", staff)
    later = service(demo_org)
    await later.ask("who won the world cup", staff)
    rows = await later.question_report(date(2026, 11, 1))
    assert [r.question for r in rows] == ["who won the world cup"]
    assert len(await later.question_report(None)) == 2


async def test_show_section_for_the_more_on_this_buttons(demo_org: Database) -> None:
    _, staff = await people(demo_org)
    answers = service(demo_org)
    shown = await answers.show_section("sickness-absence#mental-health-first-aiders", staff)
    assert shown is not None and shown.best is not None
    assert shown.best.section_title == "Mental health first aiders"
    assert shown.best.source == "Sample framework: Attendance"
    assert all(p.section_id != shown.best.section_id for p in shown.related)
    assert len(shown.related) <= 3
    assert await answers.show_section("nope#nothing", staff) is None
