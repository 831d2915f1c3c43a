"""The objective and APR routes: the golden thread, progress, and the annual review."""

from __future__ import annotations

from dialogs.objectives import apr_handlers, apr_views, handlers, views
from dialogs.routes import Route, command, for_form, for_named, for_person, submit
from domain.commands import Audience, Capability

ADD_OBJECTIVE = Capability(
    "add_objective",
    "add objective",
    "Record an objective linked to the council's plans (the golden thread)",
    aliases=("add an objective", "new objective", "set an objective", "set objective"),
    section="Objectives and APRs",
    menu_description="Record an objective linked to the council's plans",
)


MY_OBJECTIVES = Capability(
    "my_objectives",
    "my objectives",
    "Your objectives, their status and progress",
    aliases=("objectives", "my goals", "show my objectives"),
    section="Objectives and APRs",
    menu_description="Your objectives, their status and progress",
)


UPDATE_OBJECTIVE = Capability(
    "update_objective",
    "update objective",
    "Record progress on an objective (percentage, RAG status, comment)",
    aliases=("update my objective", "update objectives", "update progress", "progress"),
    listed=False,
    section="Objectives and APRs",
)


OBJECTIVES_FOR = Capability(
    "objectives_for",
    "objectives for",
    "See and agree a report's objectives (objectives for Sam)",
    aliases=("team objectives",),
    audience=Audience.MANAGER,
    listed=False,
    named=("objectives for", "objectives of", "show objectives for"),
    section="Objectives and APRs",
)


PROPOSE_OBJECTIVE = Capability(
    "propose_objective",
    "propose objective",
    "Propose an objective for someone in your team (propose objective for Sam)",
    aliases=("propose an objective",),
    audience=Audience.MANAGER,
    listed=False,
    named=("propose objective for", "propose an objective for", "suggest an objective for"),
    section="Objectives and APRs",
)


PREPARE_APR = Capability(
    "prepare_apr",
    "prepare my APR",
    "Get ready for your Annual Performance Review: a self-assessment your manager sees",
    aliases=("prepare apr", "prepare for my apr", "my apr", "apr prep", "appraisal prep"),
    section="Objectives and APRs",
    menu_description="Your self-assessment before your Annual Performance Review",
)


RECORD_APR = Capability(
    "record_apr",
    "record APR",
    "Record an Annual Performance Review for someone in your team (record APR for Sam)",
    aliases=("record an apr", "log apr", "log an apr", "new apr"),
    audience=Audience.MANAGER,
    named=("record apr for", "record an apr for", "record apr with", "log apr for", "apr for"),
    section="Objectives and APRs",
    menu_description="Record an APR for someone in your team",
)


ROUTES: tuple[Route, ...] = (
    command(ADD_OBJECTIVE, for_person(handlers.show_objective_form)),
    command(MY_OBJECTIVES, for_person(handlers.my_objectives)),
    command(UPDATE_OBJECTIVE, for_person(handlers.update_objective)),
    command(OBJECTIVES_FOR, for_named(handlers.objectives_for)),
    command(PROPOSE_OBJECTIVE, for_named(handlers.propose_objective)),
    command(PREPARE_APR, for_person(apr_handlers.prepare_apr)),
    command(RECORD_APR, for_named(apr_handlers.record_apr)),
    submit(views.OBJECTIVE, for_form(handlers.submit_objective)),
    submit(views.AGREE, for_form(handlers.agree)),
    submit(views.REVIEW, for_form(handlers.review_to_agree), changes=False),
    submit(views.DISCUSS, for_form(handlers.discuss)),
    submit(views.SHOW_PROGRESS, for_form(handlers.show_progress), changes=False),
    submit(views.PROGRESS, for_form(handlers.save_progress)),
    submit(views.EDIT, for_form(handlers.edit), changes=False),
    submit(apr_views.APR_PREPARE, for_form(apr_handlers.submit_preparation)),
    submit(apr_views.APR_RECORD, for_form(apr_handlers.submit_apr)),
    submit(apr_views.APR_ACK, for_form(apr_handlers.respond_to_apr)),
    submit(apr_views.APR_COMMENT, for_form(apr_handlers.respond_to_apr)),
)
