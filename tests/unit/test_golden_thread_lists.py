"""HR's golden-thread lists without a database: titles, departments, what a change did and
how it reads."""

from __future__ import annotations

import pytest

from domain.golden_thread_lists import (
    ListChange,
    ListError,
    after_adding,
    after_retiring,
    clean_title,
    describe_change,
    entries_table,
    find_entry,
    match_department,
)
from domain.records import ListEntry

PARKS_PLAN = ListEntry(4, "Green spaces", "Parks", True)


def test_a_title_is_tidied_and_must_fit() -> None:
    assert clean_title("  Thriving   places ") == "Thriving places"
    with pytest.raises(ListError, match="the title is empty"):
        clean_title("   ")
    with pytest.raises(ListError, match="longer than 200"):
        clean_title("x" * 201)


def test_a_department_is_spelt_as_the_org_chart_spells_it() -> None:
    assert match_department(" parks ", ["Libraries", "Parks"]) == "Parks"
    assert match_department("", []) == ""
    with pytest.raises(ListError, match="the departments are Libraries, Parks"):
        match_department("Prks", ["Libraries", "Parks"])
    with pytest.raises(ListError, match="nobody is in the org chart yet"):
        match_department("Parks", [])


def test_adding_again_restores_rather_than_duplicates() -> None:
    added = ListEntry(9, "Green spaces", "Parks", True)
    assert after_adding(None, added) == ListChange(added, "added")
    retired = ListEntry(4, "Green Spaces", "Parks", False)
    assert after_adding(retired, added) == ListChange(
        ListEntry(4, "Green Spaces", "Parks", True), "restored"
    )
    assert after_adding(PARKS_PLAN, added).outcome == "already active"


def test_retiring_keeps_the_links_and_counts_them() -> None:
    change = after_retiring(PARKS_PLAN, 2)
    assert change == ListChange(ListEntry(4, "Green spaces", "Parks", False), "retired", 2)
    assert describe_change(change, "service plan") == (
        "retired service plan 4: Green spaces (Parks)\n2 objectives not yet closed still link "
        "to it: they keep the link, but it is no longer offered for new objectives."
    )
    again = after_retiring(change.entry, 0)
    assert describe_change(again, "service plan") == (
        "service plan 4: Green spaces (Parks) was already retired"
    )


def test_entries_are_found_by_id_and_listed_as_a_table() -> None:
    assert find_entry([PARKS_PLAN], 4, "service plan", "plans") is PARKS_PLAN
    with pytest.raises(ListError, match="`charter plans list` shows them"):
        find_entry([PARKS_PLAN], 5, "service plan", "plans")
    table = entries_table([PARKS_PLAN, ListEntry(12, "Reading", "", False)], with_department=True)
    assert table.splitlines() == [
        "ID  Title         Department      Status",
        " 4  Green spaces  Parks           active",
        "12  Reading       (council-wide)  retired",
    ]
    assert entries_table([], with_department=False) == "The list is empty."
