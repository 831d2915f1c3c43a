"""Follow-up red-team pass on #13's fixes, through the SDK's TestAdapter: what still fails."""

from __future__ import annotations

from storage.database import Database
from tests.dialogs.test_objectives_and_aprs import add_agreed_objective, pk
from tests.dialogs.test_other_peoples_text import LURE, renders_a_link, texts
from tests.support.chat import Chat, RecordingNotifier
from tests.support.people import RHYS_STAFF


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
