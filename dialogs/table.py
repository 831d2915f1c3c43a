"""The route table: every feature's routes, registered in one place, in the order help lists
them. The recogniser, the help and welcome cards and the Teams app manifest's command menu
(``bot.teams.app_package``) all read this one table."""

from __future__ import annotations

from collections.abc import Callable

from botbuilder.dialogs import Dialog

from dialogs import general
from dialogs.absence import routes as absence
from dialogs.agenda import routes as agenda
from dialogs.answers import routes as answers
from dialogs.feedback import FeedbackDialog
from dialogs.nudges import routes as nudges
from dialogs.objectives import routes as objectives
from dialogs.one_to_ones import routes as one_to_ones
from dialogs.one_to_ones.dialog import OneToOneDialog
from dialogs.routes import RouteTable
from dialogs.team import routes as team
from services.registry import Services

ROUTES = RouteTable(
    (
        *general.HEAD,
        *one_to_ones.ROUTES,
        *agenda.ROUTES,
        *objectives.ROUTES,
        *absence.ROUTES,
        *team.ROUTES,
        *answers.ROUTES,
        *nudges.ROUTES,
        *general.TAIL,
    ),
    otherwise=answers.answer_any_text,
)

# The conversations that last more than one turn, kept in dialog state between turns.
DIALOGS: tuple[Callable[[Services], Dialog], ...] = (
    lambda services: FeedbackDialog(services.feedback),
    OneToOneDialog,
)
