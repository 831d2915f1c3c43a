from __future__ import annotations

from datetime import date

from domain.name_match import match_people, normalise_name
from domain.people import Person


def person(pid: int, name: str, email: str) -> Person:
    return Person(
        id=pid,
        employee_id=f"E{pid}",
        name=name,
        email=email,
        department="Housing",
        job_title="Officer",
        start_date=date(2020, 1, 1),
    )


MARGARET = person(1, "Margaret Hughes", "margaret.hughes@council.gov.uk")
SEUN = person(2, "Oluwaseun Adeyemi", "seun.adeyemi@council.gov.uk")
RHYS = person(3, "Rhys Evans", "rhys.evans@council.gov.uk")
MEI = person(4, "Mei Ling Chen", "meiling.chen@council.gov.uk")
CALLUM = person(5, "Callum Fraser", "c.fraser@council.gov.uk")
NIAMH = person(6, "Niamh O'Brien", "niamh.obrien@council.gov.uk")
RHYS_MORGAN = person(7, "Rhys Morgan", "rhys.morgan@council.gov.uk")
ZOE = person(8, "Zoë Müller", "zoe.muller@council.gov.uk")

TEAM = [MARGARET, SEUN, RHYS, MEI, CALLUM, NIAMH]


def names(found: list[Person]) -> list[str]:
    return [p.name for p in found]


def test_first_name() -> None:
    assert match_people("rhys", TEAM) == [RHYS]
    assert match_people("Margaret", TEAM) == [MARGARET]
    assert match_people("  CALLUM ", TEAM) == [CALLUM]


def test_full_name() -> None:
    assert match_people("margaret hughes", TEAM) == [MARGARET]
    assert match_people("Rhys Evans", [*TEAM, RHYS_MORGAN]) == [RHYS]


def test_email_and_local_part() -> None:
    assert match_people("c.fraser", TEAM) == [CALLUM]
    assert match_people("seun.adeyemi@council.gov.uk", TEAM) == [SEUN]
    assert match_people("rhys.evans", [*TEAM, RHYS_MORGAN]) == [RHYS]


def test_last_name() -> None:
    assert match_people("evans", TEAM) == [RHYS]
    assert match_people("Adeyemi", TEAM) == [SEUN]


def test_prefixes() -> None:
    assert match_people("mar", TEAM) == [MARGARET]
    assert match_people("olu", TEAM) == [SEUN]
    assert match_people("rhys e", [*TEAM, RHYS_MORGAN]) == [RHYS]
    assert match_people("hugh", TEAM) == [MARGARET]


def test_multi_word_first_name() -> None:
    assert match_people("mei", TEAM) == [MEI]
    assert match_people("mei ling", TEAM) == [MEI]
    assert match_people("Mei Ling Chen", TEAM) == [MEI]
    assert match_people("chen", TEAM) == [MEI]


def test_punctuation_insensitive() -> None:
    assert match_people("o'brien", TEAM) == [NIAMH]
    assert match_people("obrien", TEAM) == [NIAMH]
    assert match_people("O\u2019Brien", TEAM) == [NIAMH]
    assert match_people("niamh obrien", TEAM) == [NIAMH]


def test_accent_insensitive() -> None:
    assert match_people("zoe", [*TEAM, ZOE]) == [ZOE]
    assert match_people("Zoë", [*TEAM, ZOE]) == [ZOE]
    assert match_people("zoe muller", [*TEAM, ZOE]) == [ZOE]
    assert normalise_name("Zoë Müller") == "zoe muller"


def test_typos() -> None:
    assert match_people("margret", TEAM) == [MARGARET]
    assert match_people("rys", TEAM) == [RHYS]
    assert match_people("callam", TEAM) == [CALLUM]
    assert match_people("rhys evens", TEAM) == [RHYS]


def test_same_first_name_is_ambiguous() -> None:
    team = [*TEAM, RHYS_MORGAN]
    assert names(match_people("rhys", team)) == ["Rhys Evans", "Rhys Morgan"]
    assert names(match_people("rys", team)) == ["Rhys Evans", "Rhys Morgan"]
    assert match_people("morgan", team) == [RHYS_MORGAN]


def test_better_tier_wins_over_weaker_ones() -> None:
    evan = person(9, "Evan Jones", "evan.jones@council.gov.uk")
    # "evan" is Evan's exact first name and only a prefix of Rhys's surname.
    assert match_people("evan", [RHYS, evan]) == [evan]
    assert match_people("evans", [RHYS, evan]) == [RHYS]


def test_no_match() -> None:
    assert match_people("", TEAM) == []
    assert match_people("   ", TEAM) == []
    assert match_people("'", TEAM) == []
    assert match_people("xavier", TEAM) == []
    assert match_people("rhys", []) == []
