"""The reminder digest's buttons."""

from __future__ import annotations

from dialogs.nudges import handlers, views
from dialogs.routes import Route, for_form, submit

ROUTES: tuple[Route, ...] = (
    submit(views.SNOOZE, for_form(handlers.snooze)),
    # Its refusals stand on their own: the reason box is on the card to try again.
    submit(views.DONE_ELSEWHERE, for_form(handlers.done_elsewhere), changes=False),
    # An objective to agree, opened in the digest: its facts first, then Agree or changes.
    submit(views.REVIEW, for_form(handlers.review), changes=False),
    submit(views.AGREE, for_form(handlers.agree)),
    submit(views.CHANGES, for_form(handlers.ask_for_changes), changes=False),
    # Says on the item itself when nothing was added (empty text, a full agenda).
    submit(views.AGENDA_ADD, for_form(handlers.add_to_agenda), changes=False),
)
