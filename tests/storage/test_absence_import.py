"""Importing absence records from HR's file (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from domain.absences import parse_reason_aliases
from services.absence import AbsencePolicy
from services.absence_import import AbsenceImportResult, import_absences
from storage import absences as repo
from storage.database import Database
from storage.models import Absence, Employee

AS_OF = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
POLICY = AbsencePolicy()
ALIAS_HINT = " (or their codes, or an alias HR has set up)"
HEADER = (
    "employee_id,employee_email,start_date,end_date,absence_type,"
    "reason_category,working_days_lost,disability_related\n"
)

Row = tuple[str, date, date | None, str, str | None, int | None, bool, bool, str]


async def _import(
    database: Database, text: str | bytes, policy: AbsencePolicy = POLICY
) -> AbsenceImportResult:
    source = io.BytesIO(text) if isinstance(text, bytes) else io.StringIO(text)
    return await import_absences(database, source, as_of=AS_OF, policy=policy, now=NOW)


async def _absences(database: Database) -> list[Row]:
    """(employee_id, start, end, type, reason, days, given, disability, source) of each."""
    async with database.sessions() as session:
        rows = await session.execute(
            select(
                Employee.employee_id,
                Absence.start_date,
                Absence.end_date,
                Absence.absence_type,
                Absence.reason_category,
                Absence.working_days_lost,
                Absence.working_days_given,
                Absence.disability_related,
                Absence.source,
            )
            .join(Employee, Employee.id == Absence.employee_id)
            .order_by(Employee.employee_id, Absence.start_date)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _lines(result: AbsenceImportResult) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in result.problems]


async def test_imports_by_id_or_email_and_counts_working_days(demo_org: Database) -> None:
    text = (
        "\ufeff"
        + HEADER
        # Friday 1 May to Tuesday 5 May 2026: Monday 4 May is the early May bank holiday.
        + 'D011,,2026-05-01,2026-05-05,Sickness," cold,  COUGH or flu",,\n'
        + ",Rhys.Evans@Demo-Council.example,02/03/2026,06/03/2026,sickness,,4,yes\n"
        + "D016,gary.whitfield@demo-council.example,2026-11-16,,sickness,Musculoskeletal,,\n"
        + "D021,,2026-09-24,2026-09-24,OTHER,,,0\n"
    )
    result = await _import(demo_org, text)
    assert _lines(result) == []
    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 4, 0, 0)
    assert await _absences(demo_org) == [
        (
            "D011",
            date(2026, 5, 1),
            date(2026, 5, 5),
            "sickness",
            "Cold, cough or flu",  # the configured spelling
            2,
            False,
            False,
            "import",
        ),
        ("D013", date(2026, 3, 2), date(2026, 3, 6), "sickness", None, 4, True, True, "import"),
        (
            "D016",
            date(2026, 11, 16),
            None,  # ongoing: counted whenever it is needed
            "sickness",
            "Musculoskeletal",
            None,
            False,
            False,
            "import",
        ),
        ("D021", date(2026, 9, 24), date(2026, 9, 24), "other", None, 1, False, False, "import"),
    ]


async def test_working_days_follow_the_employee_pattern(demo_org: Database) -> None:
    async with demo_org.transaction() as session:
        await session.execute(
            update(Employee).where(Employee.employee_id == "D014").values(working_pattern="Mon,Wed")
        )
    text = (
        HEADER
        + "D014,,2026-05-01,2026-05-08,sickness,,,\nD012,,2026-05-01,2026-05-08,sickness,,,\n"
    )
    result = await _import(demo_org, text, AbsencePolicy(default_pattern="Mon-Thu"))
    assert _lines(result) == []
    days = {row[0]: row[5] for row in await _absences(demo_org)}
    # Fri 1 to Fri 8 May 2026 with Mon 4 May a bank holiday: Mon,Wed works Wed 6 only; the
    # Mon-Thu default works Tue 5, Wed 6 and Thu 7.
    assert days == {"D014": 1, "D012": 3}


async def test_reimporting_updates_and_keeps_what_the_file_leaves_blank(
    demo_org: Database,
) -> None:
    first = (
        HEADER + "D011,,2026-10-05,,sickness,Injury,,true\nD012,,2026-10-05,2026-10-06,other,,,\n"
    )
    assert (await _import(demo_org, first)).created == 2
    again = await _import(demo_org, first)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    second = (
        HEADER
        + "D011,,2026-10-05,2026-10-09,sickness,,3,\n"  # ended; reason and flag kept
        + "D012,,2026-10-05,2026-10-07,sickness,Other,,false\n"
    )
    result = await _import(demo_org, second)
    assert _lines(result) == []
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert await _absences(demo_org) == [
        (
            "D011",
            date(2026, 10, 5),
            date(2026, 10, 9),
            "sickness",
            "Injury",
            3,
            True,
            True,
            "import",
        ),
        (
            "D012",
            date(2026, 10, 5),
            date(2026, 10, 7),
            "sickness",
            "Other",
            3,
            False,
            False,
            "import",
        ),
    ]
    # Blank working_days_lost again: Charter counts it (5 working days) and it is not given.
    third = HEADER + "D011,,2026-10-05,2026-10-09,sickness,,,\n"
    assert (await _import(demo_org, third)).updated == 1
    assert (await _absences(demo_org))[0][5:7] == (5, False)


async def test_end_before_start_and_overlaps_are_rejected_with_nothing_written(
    demo_org: Database,
) -> None:
    assert (await _import(demo_org, HEADER + "D013,,2026-06-01,2026-06-05,sickness,,,\n")).ok
    before = await _absences(demo_org)
    text = (
        HEADER
        + "D011,,2026-03-10,2026-03-04,sickness,,,\n"  # line 2: ends before it starts
        + "D012,,2026-03-02,2026-03-06,sickness,,,\n"  # line 3
        + "D012,,2026-03-05,2026-03-09,sickness,,,\n"  # line 4: overlaps line 3
        + "D013,,2026-06-04,,sickness,,,\n"  # line 5: overlaps the stored absence
        + "D014,,2026-04-01,2026-04-02,sickness,,,\n"  # line 6: fine, but nothing is written
    )
    result = await _import(demo_org, text)
    assert _lines(result) == [
        (2, "end_date 2026-03-04 is before start_date 2026-03-10; end_date is the last day absent"),
        (
            4,
            "this absence (2026-03-05 to 2026-03-09) overlaps the one on line 3 "
            "(2026-03-02 to 2026-03-06) for D012 Oluwaseun Adeyemi",
        ),
        (
            5,
            "this absence (2026-06-04 to ongoing) overlaps one Charter already has for "
            "D013 Rhys Evans (2026-06-01 to 2026-06-05)",
        ),
    ]
    assert (result.created, result.updated) == (0, 0)
    assert await _absences(demo_org) == before


async def test_an_update_may_move_its_own_dates_but_not_onto_another(
    demo_org: Database,
) -> None:
    stored = HEADER + "D013,,2026-06-01,2026-06-05,sickness,,,\nD013,,2026-06-15,,sickness,,,\n"
    assert (await _import(demo_org, stored)).created == 2
    # Changing the first absence's end is not an overlap with itself...
    assert (await _import(demo_org, HEADER + "D013,,2026-06-01,2026-06-08,sickness,,,\n")).ok
    # ...but running it into the second one is.
    result = await _import(demo_org, HEADER + "D013,,2026-06-01,2026-06-16,sickness,,,\n")
    assert _lines(result) == [
        (
            2,
            "this absence (2026-06-01 to 2026-06-16) overlaps one Charter already has for "
            "D013 Rhys Evans (2026-06-15 to ongoing)",
        )
    ]


async def test_every_row_problem_is_reported_with_its_line(demo_org: Database) -> None:
    text = (
        HEADER
        + "D999,,2026-03-02,2026-03-03,sickness,,,\n"  # 2
        + "D011,,2026-02-30,2026-03-03,sickness,,,\n"  # 3
        + "D011,,2026-12-01,,sickness,,,\n"  # 4
        + "D012,,2026-03-02,2026-03-03,holiday,,,\n"  # 5
        + "D012,,2026-04-06,2026-04-07,sickness,Hay fever,,\n"  # 6
        + "D012,,2026-05-05,2026-05-06,sickness,,two,\n"  # 7
        + "D012,,2026-06-02,2026-06-03,sickness,,,maybe\n"  # 8
        + "D013,,2026-06-02,2026-06-03,sickness,,,\n"  # 9
        + ",rhys.evans@demo-council.example,2026-06-02,2026-06-03,sickness,,,\n"  # 10
        + "D014,,2026-06-02,,sickness,,3,\n"  # 11
        + "D020,,2026-07-06,2026-07-07,other,Injury,,\n"  # 12
        + "D015,,2026-03-02,2026-03-03,sickness,,,\n"  # 13: before Callum started
        + "D016,,2026-11-02,2026-11-30,sickness,,,\n"  # 14
        + "D016,,2026-10-01,2026-10-02,sickness,,9,\n"  # 15
        + ",,2026-03-02,,sickness,,,\n"  # 16
        + "D017,,,,sickness,,,\n"  # 17
        + "D018,,2026-03-02,2026-03-03,sickness,,,,extra\n"  # 18
    )
    result = await _import(demo_org, text)
    reasons = "; ".join(POLICY.reasons)
    assert _lines(result) == [
        (2, "unknown employee_id D999: nobody in Charter has that employee_id"),
        (3, "start_date '2026-02-30' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)"),
        (4, "start_date 2026-12-01 is in the future"),
        (5, "absence_type 'holiday' is not sickness or other"),
        (6, f"unknown reason_category 'Hay fever'; the reasons are {reasons}{ALIAS_HINT}"),
        (7, "working_days_lost 'two' is not a whole number of days (0 or more)"),
        (8, "disability_related 'maybe' is not true/false, yes/no or 1/0"),
        (
            10,
            "an absence for D013 Rhys Evans starting 2026-06-02 is also on line 9",
        ),
        (
            11,
            "working_days_lost can only be given for an absence that has ended; leave it "
            "blank while the absence is ongoing",
        ),
        (
            12,
            "reason_category is for sickness absence; leave it blank for absence_type other",
        ),
        (
            13,
            "start_date 2026-03-02 is before D015 Callum Fraser started, on 2026-09-07",
        ),
        (
            14,
            "end_date 2026-11-30 is in the future; leave it blank while the absence is ongoing",
        ),
        (
            15,
            "working_days_lost 9 is more than the 2 calendar day(s) from start_date to end_date",
        ),
        (16, "employee_id or employee_email is needed"),
        (17, "start_date is missing"),
        (18, "this row has 9 values but the header has 8 columns"),
    ]
    assert await _absences(demo_org) == []


async def test_header_problems_and_files_that_are_not_text(demo_org: Database) -> None:
    result = await _import(demo_org, "employee_id,start_date,kind\nD011,2026-03-02,sickness\n")
    assert _lines(result) == [
        (
            1,
            "unknown column 'kind'; the columns are employee_id and/or employee_email, "
            "start_date, end_date, absence_type, and optionally reason_category, "
            "working_days_lost, disability_related",
        ),
        (1, "the header is missing columns end_date, absence_type"),
    ]
    result = await _import(demo_org, b"employee_id,start_date\n\xff\n")
    assert result.problems[0].line == 2 and "not UTF-8" in result.problems[0].message
    assert (await _import(demo_org, "")).problems[0].line == 1


async def test_reasons_come_from_the_policy(demo_org: Database) -> None:
    policy = AbsencePolicy(reasons=("Respiratory", "Mental health"))
    text = HEADER + "D011,,2026-03-02,2026-03-03,sickness,MENTAL  health,,\n"
    assert (await _import(demo_org, text, policy)).ok
    assert (await _absences(demo_org))[0][4] == "Mental health"
    bad = HEADER + "D012,,2026-03-02,2026-03-03,sickness,Musculoskeletal,,\n"
    assert _lines(await _import(demo_org, bad, policy)) == [
        (
            2,
            "unknown reason_category 'Musculoskeletal'; the reasons are Respiratory; Mental health"
            + ALIAS_HINT,
        )
    ]


async def test_hr_short_reason_codes_are_matched(demo_org: Database) -> None:
    """HR's exports write ``cold/flu`` and ``stomach``; labels and codes match too, any case."""
    text = (
        HEADER
        + "D011,,2026-03-02,2026-03-03,sickness,cold/flu,,\n"
        + "D012,,2026-03-02,2026-03-03,sickness,STOMACH,,\n"
        + "D013,,2026-03-02,2026-03-03,sickness,musculoskeletal,,\n"
        + "D014,,2026-03-02,2026-03-03,sickness,stress_anxiety_or_depression,,\n"
    )
    result = await _import(demo_org, text)
    assert result.ok, _lines(result)
    assert sorted(a[4] for a in await _absences(demo_org)) == [
        "Cold, cough or flu",
        "Musculoskeletal",
        "Stomach, liver or digestion",
        "Stress, anxiety or depression",
    ]


async def test_aliases_are_configurable(demo_org: Database) -> None:
    policy = AbsencePolicy(
        reasons=("Respiratory", "Mental health"),
        reason_aliases=parse_reason_aliases(
            "RESP=respiratory|mh=Mental health", ("Respiratory", "Mental health")
        ),
    )
    text = HEADER + "D011,,2026-03-02,2026-03-03,sickness,resp,,\n"
    assert (await _import(demo_org, text, policy)).ok
    assert (await _absences(demo_org))[0][4] == "Respiratory"
    # The default aliases name labels this council doesn't use: they match nothing.
    flu = HEADER + "D012,,2026-03-02,2026-03-03,sickness,cold/flu,,\n"
    assert not (await _import(demo_org, flu, policy)).ok


async def test_an_absence_with_a_return_to_work_must_end_before_it(demo_org: Database) -> None:
    assert (await _import(demo_org, HEADER + "D013,,2026-06-01,2026-06-05,sickness,,,\n")).ok
    async with demo_org.transaction() as session:
        rhys = await session.scalar(select(Employee).where(Employee.employee_id == "D013"))
        assert rhys is not None and rhys.manager_id is not None
        [absence] = await repo.absences_for(session, rhys.id)
        await repo.add_rtw(
            session,
            absence_id=absence.id,
            employee_pk=rhys.id,
            manager_pk=rhys.manager_id,
            held_on=date(2026, 6, 8),
            reason_category=None,
            notes="",
            reported_correctly=True,
            fit_note_received=None,
            work_related=False,
            accident_at_work=False,
            underlying_condition=False,
            adjustments_needed=False,
            support_offered=(),
            outcome="no_further_action",
            employee_comments="",
            trigger_summary="",
            trigger_reached=False,
            now=NOW,
        )
    result = await _import(demo_org, HEADER + "D013,,2026-06-01,,sickness,,,\n")
    assert _lines(result) == [
        (
            2,
            "the return-to-work conversation for this absence was held on 2026-06-08, "
            "so end_date must be a day before then",
        )
    ]
    assert (await _import(demo_org, HEADER + "D013,,2026-06-01,2026-06-04,sickness,,,\n")).ok
