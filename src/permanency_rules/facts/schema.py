"""The fact vocabulary rules are written against.

A case becomes flat facts (one ``case`` fact plus one fact per goal, need, service, ...). Each
field is typed here once: the rule loader checks rules against it, both engines read their
column types from it, and the docs list it. Derived values (ages, day counts, deadline
statuses) are computed in Python by the clocks, so rules only compare values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from ..clocks.deadline import DeadlineName, DeadlineStatus
from ..model import codes

Kind = Literal["bool", "int", "day", "str"]


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    doc: str
    required: bool = False  # always present (never missing) in a fact of this type
    values: tuple[str, ...] | None = None  # allowed values of a coded str field

    def python_type(self) -> type:
        return {"bool": bool, "int": int, "day": int, "str": str}[self.kind]


def _codes(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


def F(kind: Kind, doc: str, required: bool = False, values: type[StrEnum] | None = None) -> FieldSpec:
    return FieldSpec(kind, doc, required, _codes(values) if values else None)


ID = F("str", "Fact id, unique within the case.", True)

FACT_TYPES: dict[str, dict[str, FieldSpec]] = {
    "case": {
        "id": ID,
        "is_open": F("bool", "The current episode has no discharge date.", True),
        "removal_day": F("day", "Removal date of the current episode.", True),
        "defc_day": F(
            "day", "Date entered foster care: earlier of first adjudication or removal + 60 days.", True
        ),
        "discharge_reason": F("str", "Reason for discharge, if discharged.", values=codes.DischargeReason),
        "days_since_discharge": F("int", "Days from discharge to as_of, if discharged."),
        "age_years": F("int", "Child's age in whole years at as_of (missing if birth date unknown)."),
        "days_since_removal": F("int", "Days from removal to as_of.", True),
        "months_since_removal": F("int", "Whole calendar months from removal to as_of.", True),
        "months_since_defc": F(
            "int", "Whole calendar months from the date entered foster care to as_of.", True
        ),
        "tpr_months_in_care": F("int", "Cumulative whole months in care in the most recent 22 months.", True),
        "established_goal_count": F(
            "int", "Goals ever set in this episode, other than 'not established'.", True
        ),
        "has_current_goal": F("bool", "A goal other than 'not established' is in effect at as_of.", True),
        "has_current_primary_goal": F(
            "bool", "A primary goal other than 'not established' is in effect.", True
        ),
        "current_primary_goal": F("str", "Type of the primary goal in effect.", values=codes.GoalType),
        "has_reunification_goal": F(
            "bool", "Reunification is a goal in effect (primary or concurrent).", True
        ),
        "has_concurrent_goal": F("bool", "A concurrent goal is in effect.", True),
        "has_appla_like_goal": F(
            "bool", "APPLA, long-term foster care or emancipation is a goal in effect.", True
        ),
        "appla_like_goal": F(
            "str", "That goal's type (the primary one if both roles are).", values=codes.GoalType
        ),
        "parent_count": F("int", "Parents recorded.", True),
        "parents_rights_intact": F("int", "Parents whose rights are not terminated.", True),
        "parents_reachable": F("int", "Parents with rights intact, living, whereabouts known.", True),
        "parents_tpr": F("int", "Parents whose rights are terminated.", True),
        "parent_services_started": F(
            "int", "Services for a mother's or father's needs that have started.", True
        ),
        "days_since_parent_visit": F(
            "int", "Days since the last parent-child visit (or since removal if none).", True
        ),
        "has_mentor": F("bool", "A mentor relationship is in effect at as_of.", True),
        "adult_connections": F("int", "Lasting adult connections recorded.", True),
        "legal_permanency_step": F(
            "bool", "TPR petition filed, or adoption/guardianship/relative goal in effect.", True
        ),
        "tpr_exception": F("str", "Documented exception to filing TPR.", values=codes.TprException),
        "tpr_exception_relative_care": F(
            "bool", "The relative-care TPR exception is documented and the child is in relative care.", True
        ),
        "tpr_exception_compelling_reason": F(
            "bool", "The compelling-reason TPR exception is documented.", True
        ),
        "tpr_exception_services_not_provided": F(
            "bool", "The services-not-provided TPR exception is documented.", True
        ),
        "tpr_petition_filed": F("bool", "A TPR petition has been filed or joined.", True),
        "removal_for_housing": F("bool", "Inadequate housing is a reason for removal.", True),
        "housing_income_services": F(
            "int", "Housing-assistance or income-support services referred or provided.", True
        ),
        "post_permanency_services": F("int", "Post-permanency support services referred or provided.", True),
        "current_setting": F("str", "Setting of the placement in effect.", values=codes.PlacementSetting),
        "in_family_setting": F("bool", "The current placement is a family home.", True),
        "in_relative_care": F("bool", "The current placement is with a relative.", True),
        "on_trial_home_visit": F("bool", "The child is home on a trial home visit at as_of.", True),
    },
    "goal": {
        "id": ID,
        "type": F("str", "Goal type.", True, codes.GoalType),
        "role": F("str", "primary or concurrent.", True, codes.GoalRole),
        "is_current": F("bool", "In effect at as_of.", True),
        "ended": F("bool", "Has an end date on or before as_of.", True),
        "is_latest_primary": F("bool", "The most recently started primary goal.", True),
        "is_legal_permanency": F("bool", "Reunification, relative, adoption or guardianship.", True),
        "is_appla_like": F("bool", "APPLA, long-term foster care or emancipation.", True),
        "start_day": F("day", "Start date.", True),
        "end_day": F("day", "End date."),
        "target_day": F("day", "Target date for achieving the goal."),
        "days_past_target": F("int", "Days from the target date to as_of (negative before it)."),
    },
    "placement": {
        "id": ID,
        "setting": F("str", "Placement setting.", True, codes.PlacementSetting),
        "is_current": F("bool", "In effect at as_of.", True),
        "start_day": F("day", "Start date.", True),
        "end_day": F("day", "End date."),
        "months_in_setting": F("int", "Whole calendar months from start to end or as_of.", True),
        "relative": F("bool", "The caregiver is a relative."),
        "is_family_setting": F("bool", "Pre-adoptive, relative or non-relative foster home.", True),
    },
    "case_plan": {
        "id": ID,
        "day": F("day", "Date of this plan version.", True),
        "is_latest": F("bool", "The latest plan version on or before as_of.", True),
        "child_participated": F("bool", "The child took part.", True),
        "mother_participated": F("bool", "The mother took part.", True),
        "father_participated": F("bool", "The father took part.", True),
        "caregiver_participated": F("bool", "The caregiver took part.", True),
        "advisor_count": F("int", "Child-chosen advisors who took part.", True),
        "missing_components": F("str", "Missing components, comma-separated ('' if none).", True),
        "missing_component_count": F("int", "How many of the five components are missing.", True),
        "child_age_at_plan": F("int", "Child's age in whole years on the plan date."),
    },
    "parent": {
        "id": ID,
        "role": F("str", "mother or father.", True, codes.ParentRole),
        "rights_intact": F("bool", "Rights not terminated.", True),
        "deceased": F("bool", "Deceased.", True),
        "whereabouts_known": F("bool", "Whereabouts known at as_of.", True),
        "reachable": F("bool", "Rights intact, living and whereabouts known.", True),
        "incarcerated": F("bool", "Incarcerated.", True),
        "in_latest_plan": F("bool", "Took part in the latest case plan.", True),
        "days_since_visit": F(
            "int", "Days since this parent's last visit with the child (or since removal)."
        ),
    },
    "need": {
        "id": ID,
        "whose": F("str", "Whose need.", True, codes.Party),
        "domain": F("str", "Need domain.", True, codes.NeedDomain),
        "is_open": F("bool", "Not resolved at as_of.", True),
        "identified_day": F("day", "Date identified.", True),
        "days_since_identified": F("int", "Days from identification to as_of.", True),
    },
    "service": {
        "id": ID,
        "need": F("str", "Fact id of the need it answers.", True),
        "for_party": F("str", "Whose need it answers.", True, codes.Party),
        "type": F("str", "Service type.", True, codes.ServiceType),
        "status": F("str", "Service status.", True, codes.ServiceStatus),
        "trauma_informed": F("bool", "Trauma-informed service (or trauma therapy).", True),
        "started": F("bool", "Has a start date on or before as_of.", True),
        "is_active": F("bool", "Status active.", True),
        "referred_day": F("day", "Referral date.", True),
        "days_since_referral": F("int", "Days from referral to as_of.", True),
    },
    "hearing": {
        "id": ID,
        "type": F("str", "Hearing type.", True, codes.HearingType),
        "day": F("day", "Hearing date.", True),
        "is_latest_permanency": F("bool", "The latest held permanency hearing.", True),
        "appla_goal_in_effect": F("bool", "An APPLA-like goal was in effect on the hearing date.", True),
        "appla_family_finding": F("bool", "675a(a)(1): intensive family finding documented.", True),
        "appla_child_asked": F("bool", "675a(a)(2)(A): the court asked the child.", True),
        "appla_compelling_reasons": F("bool", "675a(a)(2)(B): compelling reasons documented.", True),
        "appla_normalcy": F("bool", "675a(a)(3): normalcy steps documented.", True),
    },
    "deadline": {
        "id": ID,
        "name": F("str", "Deadline name.", True, DeadlineName),
        "status": F("str", "Deadline status.", True, DeadlineStatus),
        "due_day": F("day", "Due date."),
        "days_overdue": F("int", "Days from the due date to as_of (negative before it)."),
        "last_event_day": F("day", "The last event that counts toward it."),
        "subject": F("str", "The item it is about (e.g. a placement id)."),
        "basis": F("str", "How the due date was reached.", True),
    },
    "sibling": {
        "id": ID,
        "in_care": F("bool", "The sibling is also in care.", True),
        "placed_together": F("bool", "Placed with the child.", True),
        "contact_plan": F("bool", "A visit or contact plan is documented.", True),
        "contact_contraindicated": F(
            "bool", "Contact is documented as contrary to safety or well-being.", True
        ),
    },
}
