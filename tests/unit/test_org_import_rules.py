"""The org file's rules, checked without a database: every problem comes with its line."""

from __future__ import annotations

import io
from datetime import date

import pytest

from domain.org_chart import EmployeeRecord
from domain.org_checks import check_org, plan_org_changes
from domain.org_file import OrgProblem, parse_date, parse_org_csv
from services.org_import import ProgressBar

HEADER = "employee_id,name,email,manager_email,department,job_title,start_date"
AS_OF = date(2026, 11, 23)


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems_in(
    text: str, existing: tuple[EmployeeRecord, ...] = (), *, full: bool = False
) -> list[tuple[int, str]]:
    rows, problems = parse_org_csv(io.StringIO(text))
    problems += check_org(rows, existing, full=full, as_of=AS_OF)
    return sorted((p.line, p.message) for p in problems)


def lines_of(problems: list[tuple[int, str]]) -> list[int]:
    return [line for line, _ in problems]


def record(
    pk: int, employee_id: str, email: str, manager: str | None = None, **kwargs: object
) -> EmployeeRecord:
    return EmployeeRecord(
        id=pk,
        employee_id=employee_id,
        name=f"Person {employee_id}",
        email=email,
        manager_employee_id=manager,
        department="Community Services",
        job_title="Officer",
        start_date=date(2020, 1, 1),
        **kwargs,  # type: ignore[arg-type]
    )


BOSS = "E1,Dana Boss,dana@council.example,,Community Services,Head of Service,2010-01-04"


# --- parsing ----------------------------------------------------------------------------------


def test_a_good_file_parses_with_emails_lower_cased() -> None:
    text = csv_text(
        BOSS,
        "E2,Sam Staff, Sam.Staff@Council.Example ,DANA@council.example,Community Services,"
        "Library Assistant,2021-03-01",
    )
    rows, problems = parse_org_csv(io.StringIO(text))
    assert problems == []
    assert [r.line for r in rows] == [2, 3]
    sam = rows[1]
    assert sam.email == "sam.staff@council.example"
    assert sam.manager_email == "dana@council.example"
    assert sam.start_date == date(2021, 3, 1)
    assert rows[0].manager_email is None
    assert sam.roles is None and sam.aad_object_id is None  # columns absent: keep stored
    assert check_org(rows, [], full=False, as_of=AS_OF) == []


def test_a_utf8_bom_before_the_header_is_ignored() -> None:
    rows, problems = parse_org_csv(io.StringIO("\ufeff" + csv_text(BOSS)))
    assert problems == []
    assert rows[0].employee_id == "E1"


def test_header_names_forgive_case_and_spaces() -> None:
    header = " Employee_ID ,Name,EMAIL,manager_email,department,job_title,start_date"
    rows, problems = parse_org_csv(io.StringIO(csv_text(BOSS, header=header)))
    assert problems == [] and len(rows) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-07", date(2026, 9, 7)),
        ("07/09/2026", date(2026, 9, 7)),  # UK: day first
        ("7/9/2026", date(2026, 9, 7)),
        ("31/12/2009", date(2009, 12, 31)),
        ("2026-02-30", None),
        ("30/02/2026", None),
        ("2026-9-7", None),
        ("20260907", None),
        ("09/07/26", None),
        ("Sept 2026", None),
    ],
)
def test_dates_are_iso_or_uk(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_uk_dates_in_the_file() -> None:
    text = csv_text("E1,Dana Boss,dana@council.example,,CS,Head,04/01/2010")
    rows, problems = parse_org_csv(io.StringIO(text))
    assert problems == []
    assert rows[0].start_date == date(2010, 1, 4)


def test_bad_dates_are_reported_with_their_line() -> None:
    text = csv_text(
        BOSS,
        "E2,Sam Staff,sam@council.example,dana@council.example,CS,Officer,2021-02-30",
        "E3,Kim Lee,kim@council.example,dana@council.example,CS,Officer,03/15/2021",
    )
    problems = problems_in(text)
    assert lines_of(problems) == [3, 4]
    assert "start_date '2021-02-30' is not a date" in problems[0][1]
    assert "YYYY-MM-DD" in problems[0][1]


def test_missing_required_values() -> None:
    text = csv_text(
        BOSS,
        ",No Id,noid@council.example,dana@council.example,CS,Officer,2021-01-01",
        "E3,,noname@council.example,dana@council.example,CS,Officer,2021-01-01",
        "E4,No Email,,dana@council.example,CS,Officer,2021-01-01",
        "E5,No Date,nodate@council.example,dana@council.example,CS,Officer,",
        "E6,No Dept,nodept@council.example,dana@council.example,,Officer,2021-01-01",
        "E7,No Title,notitle@council.example,dana@council.example,CS,,2021-01-01",
    )
    assert problems_in(text) == [
        (3, "employee_id is missing"),
        (4, "name is missing"),
        (5, "email is missing"),
        (6, "start_date is missing"),
        (7, "department is missing"),
        (8, "job_title is missing"),
    ]


def test_a_blank_manager_email_puts_someone_at_the_top() -> None:
    text = csv_text(BOSS, "E2,Helen HR,helen@council.example,,Corporate Resources,HRBP,2012-05-08")
    assert problems_in(text) == []


def test_unknown_and_missing_and_repeated_columns_are_reported_on_line_1() -> None:
    header = "employee_id,name,email,email,department,job_title,start_date,grade"
    problems = problems_in(
        csv_text("E1,A,a@x.example,a@x.example,CS,T,2020-01-01,5", header=header)
    )
    assert lines_of(problems) == [1, 1, 1]
    messages = " | ".join(message for _, message in problems)
    assert "column 'email' appears more than once" in messages
    assert "unknown column 'grade'" in messages
    assert "missing column manager_email" in messages


def test_several_missing_columns_are_named_together() -> None:
    problems = problems_in(csv_text("E1,A", header="employee_id,name"))
    assert problems == [
        (1, "the header is missing columns email, manager_email, department, job_title, start_date")
    ]


def test_an_empty_file() -> None:
    problems = problems_in("")
    assert lines_of(problems) == [1]
    assert "no header" in problems[0][1]


def test_rows_with_the_wrong_number_of_values() -> None:
    text = csv_text(BOSS, "E2,Sam,sam@council.example,dana@council.example,CS,Officer")
    assert problems_in(text) == [(3, "this row has 6 values but the header has 7 columns")]


def test_blank_lines_and_trailing_empty_cells_are_forgiven_and_lines_still_count() -> None:
    text = csv_text(
        BOSS,
        "",
        ",,,,,,",
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01,,",
        "E3,Kim,kim@council.example,nobody@council.example,CS,Officer,2021-01-01",
    )
    problems = problems_in(text)
    assert lines_of(problems) == [6]


def test_a_quoted_field_over_two_lines_keeps_line_numbers_right() -> None:
    text = csv_text(
        'E1,Dana Boss,dana@council.example,,"Community\nServices",Head,2010-01-04',
        "E2,Sam,sam@council.example,nobody@council.example,CS,Officer,2021-01-01",
    )
    assert lines_of(problems_in(text)) == [4]


def test_emails_and_aad_object_ids_must_look_right() -> None:
    header = HEADER + ",aad_object_id"
    text = csv_text(
        BOSS + ",",
        "E2,Sam,sam.council.example,dana@council.example,CS,Officer,2021-01-01,",
        "E3,Kim,kim@council.example,dana at council,CS,Officer,2021-01-01,",
        "E4,Lou,lou@council.example,dana@council.example,CS,Officer,2021-01-01,not-a-guid",
        header=header,
    )
    problems = problems_in(text)
    assert lines_of(problems) == [3, 4, 5]
    assert "email 'sam.council.example' is not an email address" in problems[0][1]
    assert "manager_email 'dana at council' is not an email address" in problems[1][1]
    assert "aad_object_id 'not-a-guid' is not an Azure AD object id" in problems[2][1]


def test_aad_object_ids_are_stored_lower_case() -> None:
    header = HEADER + ",aad_object_id"
    guid = "0000000A-0000-4000-8000-00000000000B"
    rows, problems = parse_org_csv(io.StringIO(csv_text(f"{BOSS},{guid}", header=header)))
    assert problems == []
    assert rows[0].aad_object_id == guid.lower()


def test_roles_are_checked_and_forgiving_of_case_and_spaces() -> None:
    header = HEADER + ",roles"
    text = csv_text(
        BOSS + ", HR_Admin ; ",
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01,",
        "E3,Kim,kim@council.example,dana@council.example,CS,Officer,2021-01-01,hr_admin;superuser",
        header=header,
    )
    rows, problems = parse_org_csv(io.StringIO(text))
    assert [r.roles for r in rows] == [
        frozenset({"hr_admin"}),
        frozenset(),
        frozenset({"hr_admin", "superuser"}),
    ]
    assert problems == [OrgProblem(4, "unknown role 'superuser'; the known roles are hr_admin")]


def test_values_longer_than_the_database_allows() -> None:
    text = csv_text(BOSS, f"E2,{'x' * 201},sam@council.example,,CS,Officer,2021-01-01")
    assert problems_in(text) == [(3, "name is longer than 200 characters")]


# --- duplicates -------------------------------------------------------------------------------


def test_duplicate_employee_ids_in_the_file() -> None:
    text = csv_text(
        BOSS,
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01",
        "E2,Kim,kim@council.example,dana@council.example,CS,Officer,2021-01-01",
    )
    assert problems_in(text) == [(4, "employee_id E2 is also on line 3")]


def test_duplicate_emails_in_the_file_ignore_case() -> None:
    text = csv_text(
        BOSS,
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01",
        "E3,Sam Too,SAM@council.example,dana@council.example,CS,Officer,2021-01-01",
    )
    assert problems_in(text) == [(4, "email sam@council.example is also on line 3")]


def test_duplicate_aad_object_ids_in_the_file() -> None:
    header = HEADER + ",aad_object_id"
    guid = "00000000-0000-4000-8000-000000000001"
    text = csv_text(
        BOSS + ",",
        f"E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01,{guid}",
        f"E3,Kim,kim@council.example,dana@council.example,CS,Officer,2021-01-01,{guid}",
        header=header,
    )
    assert problems_in(text) == [(4, f"aad_object_id {guid} is also on line 3")]


def test_an_email_used_by_another_employee_in_charter() -> None:
    existing = (record(1, "E1", "dana@council.example"), record(9, "E9", "sam@council.example"))
    text = csv_text(BOSS, "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01")
    problems = problems_in(text, existing)
    assert lines_of(problems) == [3]
    assert "email sam@council.example already belongs to E9 Person E9" in problems[0][1]


def test_an_email_can_move_to_someone_else_when_its_owner_changes_email_in_the_same_file() -> None:
    existing = (record(1, "E1", "dana@council.example"), record(9, "E9", "sam@council.example"))
    text = csv_text(
        BOSS,
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01",
        "E9,Sam Old,sam.old@council.example,dana@council.example,CS,Officer,2001-01-01",
    )
    assert problems_in(text, existing) == []


def test_an_aad_object_id_held_by_another_employee_in_charter() -> None:
    guid = "00000000-0000-4000-8000-000000000009"
    header = HEADER + ",aad_object_id"
    existing = (record(9, "E9", "kim@council.example", aad_object_id=guid),)
    file_row = f"E2,Sam,sam@council.example,,CS,Officer,2021-01-01,{guid}"
    problems = problems_in(csv_text(file_row, header=header), existing)
    assert lines_of(problems) == [2]
    assert f"aad_object_id {guid} already belongs to E9" in problems[0][1]

    # Still held if E9 is in the file with aad_object_id blank: blank keeps the stored id.
    text = csv_text(file_row, "E9,Kim,kim@council.example,,CS,Officer,2021-01-01,", header=header)
    problems = problems_in(text, existing)
    assert lines_of(problems) == [2]
    assert "line 3 leaves aad_object_id blank" in problems[0][1]

    # Free once the file gives E9 a different one.
    other = "00000000-0000-4000-8000-000000000010"
    text = csv_text(
        file_row, f"E9,Kim,kim@council.example,,CS,Officer,2021-01-01,{other}", header=header
    )
    assert problems_in(text, existing) == []


# --- managers and cycles ----------------------------------------------------------------------


def test_an_unknown_manager() -> None:
    text = csv_text(BOSS, "E2,Sam,sam@council.example,nobody@council.example,CS,Officer,2021-01-01")
    assert problems_in(text) == [
        (
            3,
            "unknown manager nobody@council.example: "
            "nobody in this file or in Charter has that email",
        )
    ]


def test_a_manager_already_in_charter_is_fine_unless_they_left() -> None:
    existing = (record(1, "E1", "dana@council.example"),)
    text = csv_text("E2,Sam,sam@council.example,Dana@council.example,CS,Officer,2021-01-01")
    assert problems_in(text, existing) == []

    left = (record(1, "E1", "dana@council.example", left_on=date(2026, 1, 31)),)
    problems = problems_in(text, left)
    assert lines_of(problems) == [2]
    assert "who left on 2026-01-31" in problems[0][1]


def test_with_full_a_manager_must_be_in_the_file() -> None:
    existing = (record(1, "E1", "dana@council.example"),)
    text = csv_text("E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01")
    problems = problems_in(text, existing, full=True)
    assert lines_of(problems) == [2]
    assert "would mark them as left" in problems[0][1]


def test_a_manager_named_by_an_email_the_file_is_changing() -> None:
    existing = (record(1, "E1", "dana@council.example"),)
    text = csv_text(
        "E1,Dana Boss,dana.boss@council.example,,CS,Head,2010-01-04",
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01",
    )
    problems = problems_in(text, existing)
    assert lines_of(problems) == [3]
    assert "old email of E1" in problems[0][1]
    assert "dana.boss@council.example" in problems[0][1]


def test_nobody_manages_themselves() -> None:
    text = csv_text("E1,Dana,dana@council.example,dana@council.example,CS,Head,2010-01-04")
    assert problems_in(text) == [
        (2, "manager_email is this person's own email: nobody can manage themselves")
    ]


def test_a_two_person_cycle_is_reported_on_both_lines() -> None:
    text = csv_text(
        BOSS,
        "E2,Ann,ann@council.example,bob@council.example,CS,Officer,2021-01-01",
        "E3,Bob,bob@council.example,ann@council.example,CS,Officer,2021-01-01",
    )
    assert problems_in(text) == [
        (3, "reporting cycle: ann@council.example → bob@council.example → ann@council.example"),
        (4, "reporting cycle: bob@council.example → ann@council.example → bob@council.example"),
    ]


def test_a_longer_cycle_and_people_reporting_into_it() -> None:
    text = csv_text(
        "E1,A,a@x.example,c@x.example,CS,T,2020-01-01",
        "E2,B,b@x.example,a@x.example,CS,T,2020-01-01",
        "E3,C,c@x.example,b@x.example,CS,T,2020-01-01",
        "E4,D,d@x.example,a@x.example,CS,T,2020-01-01",  # reports into the cycle: not in it
    )
    problems = problems_in(text)
    assert lines_of(problems) == [2, 3, 4]
    assert (
        problems[0][1] == "reporting cycle: a@x.example → c@x.example → b@x.example → a@x.example"
    )


def test_a_very_long_cycle_is_abbreviated() -> None:
    rows = [
        f"E{i},P{i},p{i}@x.example,p{(i + 1) % 10}@x.example,CS,T,2020-01-01" for i in range(10)
    ]
    problems = problems_in(csv_text(*rows))
    assert len(problems) == 10
    assert "(10 people)" in problems[0][1]


def test_a_cycle_through_someone_only_in_charter() -> None:
    # E9 is in Charter (managed by E2) and not in the file; the file makes E2 report to E9.
    existing = (record(9, "E9", "zed@council.example", manager="E2"),)
    text = csv_text("E2,Ann,ann@council.example,zed@council.example,CS,Officer,2021-01-01")
    assert problems_in(text, existing) == [
        (2, "reporting cycle: ann@council.example → zed@council.example → ann@council.example")
    ]


def test_a_cycle_and_an_unknown_manager_are_both_reported() -> None:
    """The acceptance case: the file is rejected with both line numbers."""
    text = csv_text(
        BOSS,
        "E2,Ann,ann@council.example,bob@council.example,CS,Officer,2021-01-01",
        "E3,Bob,bob@council.example,ann@council.example,CS,Officer,2021-01-01",
        "E4,Cat,cat@council.example,dana@council.example,CS,Officer,2021-01-01",
        "E5,Dev,dev@council.example,ghost@council.example,CS,Officer,2021-01-01",
    )
    problems = problems_in(text)
    assert lines_of(problems) == [3, 4, 6]
    assert problems[0][1].startswith("reporting cycle:")
    assert problems[2][1].startswith("unknown manager ghost@council.example")


def test_a_bad_row_does_not_make_its_reports_fail_too() -> None:
    text = csv_text(
        "E1,Dana Boss,dana@council.example,,CS,Head,not a date",
        "E2,Sam,sam@council.example,dana@council.example,CS,Officer,2021-01-01",
    )
    assert lines_of(problems_in(text)) == [2]


def test_problems_come_back_in_line_order() -> None:
    text = csv_text(
        "E1,A,a@x.example,nobody@x.example,CS,T,2020-01-01",
        "E1,B,b@x.example,,CS,T,bad",
    )
    problems = problems_in(text)
    assert lines_of(problems) == sorted(lines_of(problems)) == [2, 3, 3]


# --- planning ---------------------------------------------------------------------------------


def test_the_plan_writes_only_what_changed() -> None:
    existing = (
        record(1, "E1", "dana@council.example"),
        record(2, "E2", "sam@council.example", manager="E1"),
        record(3, "E3", "kim@council.example", manager="E1"),
    )
    text = csv_text(
        "E1,Person E1,dana@council.example,,Community Services,Officer,2020-01-01",
        "E2,Person E2,sam@council.example,dana@council.example,Community Services,Officer,"
        "2020-01-01",
        "E4,New Starter,new@council.example,sam@council.example,Community Services,Officer,"
        "2026-11-02",
    )
    rows, problems = parse_org_csv(io.StringIO(text))
    assert problems == []
    plan = plan_org_changes(rows, existing, full=True, as_of=AS_OF)
    assert (plan.updated, plan.unchanged) == (0, 2)
    assert [row["employee_id"] for row in plan.changes.new_rows] == ["E4"]
    assert plan.changes.changed_rows == []
    assert plan.changes.managers == [("E4", "E2")]
    assert plan.changes.left == [3]


# --- the progress bar -------------------------------------------------------------------------


def test_the_progress_bar_draws_on_one_line_and_ends_it() -> None:
    out = io.StringIO()
    bar = ProgressBar(out, width=10, min_total=10)
    for done in (0, 5, 5, 10):
        bar(done, 10)
    assert out.getvalue() == (
        "\r[..........]   0%  0/10\r[#####.....]  50%  5/10\r[##########] 100%  10/10\n"
    )
    bar(3, 5)  # below min_total: nothing
    assert out.getvalue().endswith("10/10\n")
