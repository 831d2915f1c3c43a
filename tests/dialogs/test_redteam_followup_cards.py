"""Follow-up red-team pass on #13's fixes, through the SDK's TestAdapter: what still fails."""

from __future__ import annotations

from storage.database import Database
from tests.dialogs.test_objectives_and_aprs import (
    add_agreed_objective,
    good_objective,
    objectives,
    pk,
)
from tests.dialogs.test_other_peoples_text import LURE, renders_a_link, texts
from tests.support.chat import Chat, RecordingNotifier
from tests.support.people import PRIYA_MANAGER, RHYS_STAFF


async def test_an_employees_apr_preparation_reaches_the_manager_as_typed(
    demo_org: Database,
) -> None:
    """The 'has prepared for their APR' notice puts what the employee typed (what got in
    the way, what they want to develop, the support they want) into the manager's card:
    a Markdown link in it must stay inert, as in every other card (#13 Low, escaping)."""
    notifier = RecordingNotifier()
    objective_id = await add_agreed_objective(demo_org, notifier)
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    await rhys.say("prepare my APR")
    await rhys.submit(
        {
            "form": "apr_prepare",
            f"achievement_{objective_id}": "Held five sessions",
            "obstacles": f"Please {LURE}",
            "development_wishes": LURE,
            "support_wanted": LURE,
        }
    )
    to, notice, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D003")  # Priya, his manager
    assert any("re-verify your login" in text for text in texts(notice))
    assert not renders_a_link(notice), "the employee's link is live in the manager's card"


async def test_the_objective_agreed_notice_shows_the_others_title_as_typed(
    demo_org: Database,
) -> None:
    """When a manager agrees the objective an employee wrote, the employee is told with its
    title as a subheading: the title is the employee's own typing, but a card built from
    another person's record must never render a link from it either."""
    notifier = RecordingNotifier()
    rhys = Chat(demo_org, RHYS_STAFF, notifier=notifier)
    await rhys.submit(await good_objective(demo_org, title=f"Sessions, see {LURE}"))
    [objective] = await objectives(demo_org)
    priya = Chat(demo_org, PRIYA_MANAGER, notifier=notifier)
    await priya.submit({"form": "objective_agree", "objective_id": objective.id})
    to, notice, _ = notifier.sent[-1]
    assert to == await pk(demo_org, "D013")  # Rhys
    assert any("re-verify your login" in text for text in texts(notice))
    assert not renders_a_link(notice), "the title's link is live in the agreed notice"
