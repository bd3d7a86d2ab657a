"""Code lists of the case model.

Values follow the legacy AFCARS code lists (NDACAN FC2023v1) where one exists, spelled as
words so case files stay readable. Unknown values are rejected by pydantic with the list of
allowed values (see ``model.errors``).
"""

from __future__ import annotations

from enum import StrEnum


class GoalType(StrEnum):
    """Permanency goal (AFCARS CASEGOAL; 42 USC 675(5)(C) options plus legacy values)."""

    REUNIFICATION = "reunification"  # CASEGOAL 1
    RELATIVE = "relative"  # CASEGOAL 2: placement with a fit and willing relative
    ADOPTION = "adoption"  # CASEGOAL 3
    LONG_TERM_FOSTER_CARE = "long_term_foster_care"  # CASEGOAL 4 (legacy, pre-ASFA)
    EMANCIPATION = "emancipation"  # CASEGOAL 5 (legacy)
    GUARDIANSHIP = "guardianship"  # CASEGOAL 6
    NOT_ESTABLISHED = "not_established"  # CASEGOAL 7 / 99
    APPLA = "appla"  # another planned permanent living arrangement, 675(5)(C)(i)


#: Goals that are legal permanency (a parent, adoptive parent, guardian or relative).
LEGAL_PERMANENCY_GOALS = frozenset(
    {GoalType.REUNIFICATION, GoalType.RELATIVE, GoalType.ADOPTION, GoalType.GUARDIANSHIP}
)
#: APPLA and its legacy equivalents (domain.md 2.3: treat CASEGOAL 4 and 5 as APPLA).
APPLA_LIKE_GOALS = frozenset({GoalType.APPLA, GoalType.LONG_TERM_FOSTER_CARE, GoalType.EMANCIPATION})


class GoalRole(StrEnum):
    PRIMARY = "primary"
    CONCURRENT = "concurrent"


class PlacementSetting(StrEnum):
    """Placement setting (AFCARS CURPLSET 1-8)."""

    PRE_ADOPTIVE_HOME = "pre_adoptive_home"
    RELATIVE_FOSTER_HOME = "relative_foster_home"
    NONRELATIVE_FOSTER_HOME = "nonrelative_foster_home"
    GROUP_HOME = "group_home"
    INSTITUTION = "institution"
    SUPERVISED_INDEPENDENT_LIVING = "supervised_independent_living"
    RUNAWAY = "runaway"
    TRIAL_HOME_VISIT = "trial_home_visit"


#: Settings whose days do not count toward the 15-of-22 months (45 CFR 1356.21(i)(1)(i)(B)).
NOT_IN_CARE_SETTINGS = frozenset({PlacementSetting.RUNAWAY, PlacementSetting.TRIAL_HOME_VISIT})
#: Family settings where a caregiver takes part in case planning.
FAMILY_SETTINGS = frozenset(
    {
        PlacementSetting.PRE_ADOPTIVE_HOME,
        PlacementSetting.RELATIVE_FOSTER_HOME,
        PlacementSetting.NONRELATIVE_FOSTER_HOME,
    }
)


class DischargeReason(StrEnum):
    """Reason for discharge (AFCARS DISREASN 1-8)."""

    REUNIFICATION = "reunification"
    RELATIVE = "relative"
    ADOPTION = "adoption"
    EMANCIPATION = "emancipation"
    GUARDIANSHIP = "guardianship"
    TRANSFER = "transfer"
    RUNAWAY = "runaway"
    DEATH = "death"


class RemovalReason(StrEnum):
    """Removal reasons (AFCARS elements 26-40)."""

    PHYSICAL_ABUSE = "physical_abuse"
    SEXUAL_ABUSE = "sexual_abuse"
    NEGLECT = "neglect"
    PARENT_ALCOHOL = "parent_alcohol"
    PARENT_DRUG = "parent_drug"
    CHILD_ALCOHOL = "child_alcohol"
    CHILD_DRUG = "child_drug"
    CHILD_DISABILITY = "child_disability"
    CHILD_BEHAVIOR = "child_behavior"
    PARENT_DEATH = "parent_death"
    PARENT_INCARCERATION = "parent_incarceration"
    CARETAKER_INABILITY_TO_COPE = "caretaker_inability_to_cope"
    ABANDONMENT = "abandonment"
    RELINQUISHMENT = "relinquishment"
    INADEQUATE_HOUSING = "inadequate_housing"


class ParentRole(StrEnum):
    MOTHER = "mother"
    FATHER = "father"


class Party(StrEnum):
    """Whose need, and who took part in planning."""

    CHILD = "child"
    MOTHER = "mother"
    FATHER = "father"
    CAREGIVER = "caregiver"


class Participant(StrEnum):
    """Who took part in a case plan (42 USC 675(1)(B): the child and up to 2 advisors at 14+)."""

    CHILD = "child"
    MOTHER = "mother"
    FATHER = "father"
    CAREGIVER = "caregiver"
    CHILD_ADVISOR = "child_advisor"


class NeedDomain(StrEnum):
    SAFETY = "safety"
    PHYSICAL_HEALTH = "physical_health"
    MENTAL_HEALTH = "mental_health"
    TRAUMA = "trauma"
    SUBSTANCE_USE = "substance_use"
    EDUCATION = "education"
    DEVELOPMENTAL = "developmental"
    HOUSING = "housing"
    FINANCIAL = "financial"
    EMPLOYMENT = "employment"
    PARENTING = "parenting"
    DOMESTIC_VIOLENCE = "domestic_violence"
    FAMILY_RELATIONSHIPS = "family_relationships"
    INDEPENDENT_LIVING = "independent_living"
    CAREGIVER_SUPPORT = "caregiver_support"
    OTHER = "other"


class ServiceType(StrEnum):
    COUNSELING = "counseling"
    TRAUMA_THERAPY = "trauma_therapy"
    SUBSTANCE_TREATMENT = "substance_treatment"
    PARENTING_EDUCATION = "parenting_education"
    FAMILY_THERAPY = "family_therapy"
    HOUSING_ASSISTANCE = "housing_assistance"
    INCOME_SUPPORT = "income_support"
    FINANCIAL_ASSISTANCE = "financial_assistance"
    EMPLOYMENT_SERVICES = "employment_services"
    MEDICAL = "medical"
    EDUCATION_SUPPORT = "education_support"
    DEVELOPMENTAL_SERVICES = "developmental_services"
    DOMESTIC_VIOLENCE_SERVICES = "domestic_violence_services"
    INDEPENDENT_LIVING = "independent_living"
    MENTORING = "mentoring"
    RESPITE = "respite"
    CAREGIVER_TRAINING = "caregiver_training"
    POST_PERMANENCY_SUPPORT = "post_permanency_support"
    CASE_MANAGEMENT = "case_management"
    OTHER = "other"


class ServiceStatus(StrEnum):
    REFERRED = "referred"
    WAITLISTED = "waitlisted"
    ACTIVE = "active"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"
    DECLINED = "declined"


class HearingType(StrEnum):
    REMOVAL = "removal"  # shelter / initial hearing authorising removal
    ADJUDICATION = "adjudication"
    DISPOSITION = "disposition"
    REVIEW = "review"
    PERMANENCY = "permanency"
    TPR = "tpr"
    OTHER = "other"


class HearingFinding(StrEnum):
    """Judicial findings that clocks and rules read."""

    CONTRARY_TO_WELFARE = "contrary_to_welfare"  # 45 CFR 1356.21(c)
    ABUSE_NEGLECT_ADJUDICATED = "abuse_neglect_adjudicated"  # starts DEFC, 675(5)(F)
    REASONABLE_EFFORTS_PREVENT_REMOVAL = "reasonable_efforts_prevent_removal"  # 1356.21(b)(1)
    REASONABLE_EFFORTS_FINALIZE = "reasonable_efforts_finalize"  # 1356.21(b)(2)
    REASONABLE_EFFORTS_NOT_REQUIRED = "reasonable_efforts_not_required"  # 671(a)(15)(D)
    THV_EXTENSION_ORDERED = "thv_extension_ordered"  # 1356.21(e)
    VOLUNTARY_BEST_INTEREST = "voluntary_best_interest"  # voluntary placement, 472(e), 1356.22(b)


class RemovalManner(StrEnum):
    """How the child came into care (AFCARS MANREM: 1 voluntary, 2 court ordered, 3 not yet
    determined). Voluntary placements skip the 60-day IV-E findings (45 CFR 1356.22(a)) and
    need a judicial best-interest determination within 180 days instead (472(e))."""

    VOLUNTARY = "voluntary"
    COURT_ORDERED = "court_ordered"
    NOT_YET_DETERMINED = "not_yet_determined"


class EffortsNotRequiredGround(StrEnum):
    """Why the court found reasonable efforts to reunify not required: 42 USC 671(a)(15)(D)."""

    AGGRAVATED_CIRCUMSTANCES = "aggravated_circumstances"  # (D)(i), as state law defines them
    MURDER_OR_MANSLAUGHTER = "murder_or_manslaughter"  # (D)(ii)(I)-(III), of another child of the parent
    FELONY_ASSAULT = "felony_assault"  # (D)(ii)(IV), serious bodily injury to the child or a sibling
    SIBLING_TPR = "sibling_tpr"  # (D)(iii), rights to a sibling terminated involuntarily


class AssessmentKind(StrEnum):
    """A needs assessment (CFSR Items 12A1, 12B1, 12C1): the first one, or a later reassessment."""

    INITIAL = "initial"
    ONGOING = "ongoing"


class ReviewType(StrEnum):
    COURT = "court"
    ADMINISTRATIVE = "administrative"


class TprException(StrEnum):
    """The three exceptions to filing at 15 of 22 months (42 USC 675(5)(E)(i)-(iii))."""

    RELATIVE_CARE = "relative_care"
    COMPELLING_REASON = "compelling_reason"
    SERVICES_NOT_PROVIDED = "services_not_provided"


class CasePlanComponent(StrEnum):
    """The five parts of a case plan the practice model asks for (42 USC 675(1))."""

    NEEDS = "needs"
    SERVICES = "services"
    INTERVENTION_STRATEGIES = "intervention_strategies"
    TIMELINES_AND_GOALS = "timelines_and_goals"
    PROGRESS_MEASURES = "progress_measures"


class ConnectionKind(StrEnum):
    RELATIVE = "relative"
    FORMER_CAREGIVER = "former_caregiver"
    MENTOR = "mentor"
    TEACHER = "teacher"
    OTHER = "other"
