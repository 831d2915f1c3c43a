"""HR's bulk exports of objectives and APRs, as rows for ``write_export`` (CSV or JSON).

The APR export counts the outcomes and says whether the employee acknowledged and commented,
but never exports what anyone wrote: overall comments, development and learning needs and the
employee's comment can hold sensitive detail.
"""

from __future__ import annotations

from domain.apr_record import OUTCOMES
from domain.records import AprExportRow, ObjectiveExportRow

OBJECTIVE_COLUMNS = (
    "employee_id",
    "employee_email",
    "department",
    "title",
    "measure",
    "target_date",
    "council_priority",
    "service_plan",
    "status",
    "proposed_by",
    "percent_complete",
    "rag",
    "agreed_at",
    "created_at",
)
APR_OUTCOMES = OUTCOMES
APR_COLUMNS = (
    "employee_id",
    "employee_email",
    "manager_email",
    "held_on",
    "source",
    "objectives_reviewed",
    *APR_OUTCOMES,
    "leadership_themes",
    "acknowledged",
    "commented",
)


def objective_row(row: ObjectiveExportRow) -> dict[str, object]:
    objective = row.objective
    return {
        "employee_id": row.employee_ref,
        "employee_email": row.employee_email,
        "department": row.department,
        "title": objective.title,
        "measure": objective.measure,
        "target_date": objective.target_date,
        "council_priority": objective.priority_title,
        "service_plan": objective.plan_title,
        "status": objective.status,
        "proposed_by": objective.proposed_by,
        "percent_complete": objective.percent_complete,
        "rag": objective.rag,
        "agreed_at": objective.agreed_at,
        "created_at": objective.created_at,
    }


def apr_row(row: AprExportRow) -> dict[str, object]:
    result: dict[str, object] = {
        "employee_id": row.employee_ref,
        "employee_email": row.employee_email,
        "manager_email": row.manager_email,
        "held_on": row.held_on,
        "source": row.source,
        "objectives_reviewed": sum(row.outcomes.values()),
    }
    for outcome in APR_OUTCOMES:
        result[outcome] = row.outcomes.get(outcome, 0)
    result["leadership_themes"] = ";".join(row.leadership_themes)
    result["acknowledged"] = row.acknowledged
    result["commented"] = row.commented
    return result
