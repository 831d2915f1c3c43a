"""The demo organisation's people as Teams users, for tests that talk to the bot."""

from __future__ import annotations

from tests.support.teams import TeamsUser

HELEN_HR = TeamsUser(
    "Helen Okafor", "00000000-0000-4000-8000-000000000001", "helen.okafor@demo-council.example"
)
DAVID_HEAD = TeamsUser(
    "David Marsh", "00000000-0000-4000-8000-000000000002", "david.marsh@demo-council.example"
)
PRIYA_MANAGER = TeamsUser(
    "Priya Shah", "00000000-0000-4000-8000-000000000003", "priya.shah@demo-council.example"
)
STRANGER = TeamsUser(
    "Sam Stranger", "00000000-0000-4000-8000-00000000ffff", "sam.stranger@elsewhere.example"
)

TOM_MANAGER = TeamsUser(
    "Tom Griffiths", "00000000-0000-4000-8000-000000000004", "tom.griffiths@demo-council.example"
)
MARGARET_STAFF = TeamsUser(
    "Margaret Hughes",
    "00000000-0000-4000-8000-000000000011",
    "margaret.hughes@demo-council.example",
)
RHYS_STAFF = TeamsUser(
    "Rhys Evans", "00000000-0000-4000-8000-000000000013", "rhys.evans@demo-council.example"
)
