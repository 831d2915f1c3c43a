"""The audit trail's vocabulary without a database: actors, events, the rows they become, and
the events imports and exports write. Fixed moment throughout."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from domain.audit import (
    MAX_DETAIL,
    Actor,
    AuditAction,
    AuditEvent,
    Channel,
    RecordType,
    event_rows,
    ids_detail,
    on_behalf_of,
    read,
)
from domain.import_audit import export_events, import_events, left_events, source_name
from domain.people import Person

NOW = datetime(2026, 11, 23, 10, 30)
MANAGER = Person(8, "D014", "Mair Lloyd", "mair@x.example", "Libraries", "Lead", date(2019, 1, 7))


def test_an_actor_is_labelled_so_the_label_outlives_them() -> None:
    assert Actor.of(MANAGER) == Actor("mair@x.example", 8)
    assert Actor.of(MANAGER, on_behalf_of_id=3).on_behalf_of_id == 3
    assert Actor.cli("hr1") == Actor("cli:hr1")
    assert Actor.system() == Actor("system")


def test_an_acting_manager_acts_on_behalf_of_the_line_manager() -> None:
    report = Person(
        7, "D013", "Rhys Evans", "r@x.example", "Libraries", "Assistant", date(2020, 1, 6), 8
    )
    assert on_behalf_of(7, report) is None  # their own record
    assert on_behalf_of(8, report) is None  # their line manager
    assert on_behalf_of(9, report) == 8  # an acting manager, for the line manager


def test_events_become_rows_cut_to_the_columns() -> None:
    events = [
        AuditEvent(AuditAction.READ, RecordType.ABSENCE, 5, 12),
        AuditEvent("erase", "absence", None, "x" * 100, "d" * 600),
    ]
    first, second = event_rows(Actor("a" * 400, 8, 3), Channel.CHAT, events, NOW)
    assert (first.at, first.actor_id, first.on_behalf_of_id, first.channel) == (NOW, 8, 3, "chat")
    assert (first.action, first.record_type, first.record_id, first.subject_id) == (
        "read",
        "absence",
        "12",
        5,
    )
    assert len(first.actor_label) == 320
    assert second.record_id == "x" * 64
    assert len(second.detail) == MAX_DETAIL


def test_a_list_read_is_one_event() -> None:
    assert read(RecordType.APR, 5, [7]) == AuditEvent(AuditAction.READ, RecordType.APR, 5, 7)
    assert read(RecordType.APR, 5, [7, 8]).detail == "ids: 7,8"
    assert read(RecordType.APR, 5, []).detail == "none held"


def test_a_long_list_of_ids_is_shortened_to_fit() -> None:
    text = ids_detail(list(range(1000, 1300)))
    assert len(text) <= MAX_DETAIL
    assert text.startswith("ids: 1000,1001,")
    assert text.endswith(" more)")


def test_an_import_writes_one_event_per_person() -> None:
    events = import_events(RecordType.APR, [(5, True), (5, False), (6, False)], "aprs.csv")
    assert events == [
        AuditEvent(
            AuditAction.CREATE, RecordType.APR, 5, None, "import of aprs.csv: 1 added, 1 updated"
        ),
        AuditEvent(AuditAction.UPDATE, RecordType.APR, 6, None, "import of aprs.csv: 1 updated"),
    ]
    (left,) = left_events([9], date(2026, 10, 31), "org.csv")
    assert left.detail == "import of org.csv: marked as left on 2026-10-31"
    assert (left.record_type, left.subject_id, left.record_id) == (RecordType.EMPLOYEE, 9, 9)


def test_an_export_names_everyone_in_it() -> None:
    summary, *people = export_events("apr", {6: 1, 5: 2}, "APRs")
    assert (summary.subject_id, summary.detail) == (None, "APRs")
    assert [(e.subject_id, e.detail) for e in people] == [
        (5, "2 rows in an export of APRs"),
        (6, "1 row in an export of APRs"),
    ]


def test_the_source_is_named_by_its_file() -> None:
    assert source_name(Path("/tmp/in/aprs.csv")) == "aprs.csv"
    assert source_name("org.csv") == "org.csv"
    assert source_name(object()) == "a stream"
