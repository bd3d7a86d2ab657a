"""The case fact: the episode, the clocks and the TPR record, plus the fields the other fact
modules derive for it (each declares its own ``CASE_FIELDS``). Per case and column-wise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..clocks import Clocks
from ..clocks.compute import ClockColumns
from ..columnar.typed import has_code
from ..conventions import TYPED_KEY, to_day
from ..model import codes
from ..model.case import Case
from . import court, family, goals, placements
from .columns import (
    NO_DAY,
    Flags,
    Ints,
    Scope,
    by_key,
    days,
    fact_frame,
    is_code,
    masked_int,
    per_key,
    present,
    scatter,
    text,
)
from .deadlines import CARE_READS, DEFC_READS
from .fields import ID, F, Fact, FactType, columns, drop_none, in_effect

_TPR = codes.TprException
_EXCEPTION = "cases.tpr_exception cases.tpr_exception_date"  # in force from its date on
_PETITION = "cases.tpr_petition_date"
_VISITS = "caseworker_visits.date cases.removal_date cases.discharge_date"

_OWN = {
    "id": ID(""),  # always "case"
    "is_open": F("bool", "The current episode has no discharge date.", True, reads="cases.discharge_date"),
    "removal_day": F("day", "Removal date of the current episode.", True, reads="cases.removal_date"),
    "defc_day": F(
        "day",
        "Date entered foster care: earlier of first adjudication or removal + 60 days.",
        True,
        reads=DEFC_READS,
    ),
    "discharge_reason": F(
        "str",
        "Reason for discharge, if discharged.",
        values=codes.DischargeReason,
        reads="cases.discharge_reason",
    ),
    "days_since_discharge": F(
        "int", "Days from discharge to as_of, if discharged.", reads="cases.discharge_date"
    ),
    "age_years": F(
        "int",
        "Child's age in whole years at as_of (missing if birth date unknown).",
        reads="cases.birth_date",
    ),
    "days_since_removal": F("int", "Days from removal to as_of.", True, reads="cases.removal_date"),
    "months_since_removal": F(
        "int", "Whole calendar months from removal to as_of.", True, reads="cases.removal_date"
    ),
    "months_since_defc": F(
        "int", "Whole calendar months from the date entered foster care to as_of.", True, reads=DEFC_READS
    ),
    "tpr_months_in_care": F(
        "int", "Cumulative whole months in care in the most recent 22 months.", True, reads=CARE_READS
    ),
    "has_mentor": F(
        "bool",
        "A mentor relationship is in effect at as_of.",
        True,
        reads="cases.mentor_start_date cases.mentor_end_date",
    ),
    "adult_connections": F(
        "int", "Lasting adult connections recorded.", True, reads="adult_connections.case_id"
    ),
    "legal_permanency_step": F(
        "bool",
        "TPR petition filed, or adoption/guardianship/relative goal in effect.",
        True,
        reads=f"{_PETITION} goals.type goals.start_date goals.end_date",
    ),
    "tpr_exception": F(
        "str", "Documented exception to filing TPR.", values=codes.TprException, reads=_EXCEPTION
    ),
    "tpr_exception_relative_care": F(
        "bool",
        "The relative-care TPR exception is documented and the child is in relative care.",
        True,
        reads=columns(_EXCEPTION) | placements.CASE_FIELDS["in_relative_care"].reads,
    ),
    "tpr_exception_compelling_reason": F(
        "bool", "The compelling-reason TPR exception is documented.", True, reads=_EXCEPTION
    ),
    "tpr_exception_services_not_provided": F(
        "bool", "The services-not-provided TPR exception is documented.", True, reads=_EXCEPTION
    ),
    "tpr_petition_filed": F("bool", "A TPR petition has been filed or joined.", True, reads=_PETITION),
    "removal_for_housing": F(
        "bool", "Inadequate housing is a reason for removal.", True, reads="cases.removal_reasons"
    ),
    "visit_months_in_care": F(
        "int",
        "Complete calendar months in care in the caseworker-visit review window.",
        True,
        reads=_VISITS,
    ),
    "visit_months_missed": F(
        "int",
        "Of those months, the ones before the latest caseworker visit with no visit.",
        True,
        reads=_VISITS,
    ),
    "visits_in_window": F("int", "Caseworker visits in the review window.", True, reads=_VISITS),
    "visits_in_residence_percent": F(
        "int",
        "Share of those visits in the child's residence, in whole percent (missing with no visit).",
        reads=f"{_VISITS} caseworker_visits.in_residence",
    ),
}

CASE = FactType(
    "case",
    {**_OWN, **goals.CASE_FIELDS, **family.CASE_FIELDS, **placements.CASE_FIELDS, **court.CASE_FIELDS},
)


def case_fact(case: Case, clocks: Clocks, parts: dict[str, Any]) -> Fact:
    """The case fact of one case; ``parts`` holds the fields the other modules derived."""
    as_of = clocks.as_of
    removal = clocks.removal_date
    tpr = case.tpr
    exc = None
    if tpr and tpr.exception and (tpr.exception_date is None or tpr.exception_date <= as_of):
        exc = tpr.exception
    petition = bool(tpr and tpr.petition_date and tpr.petition_date <= as_of)
    mentor = case.mentor
    ep = case.episode
    own = {
        "is_open": case.is_open,
        "removal_day": to_day(removal),
        "defc_day": to_day(clocks.defc),
        "discharge_reason": ep.discharge_reason.value if ep.discharge_reason else None,
        "days_since_discharge": (as_of - ep.discharge_date).days if ep.discharge_date else None,
        "age_years": clocks.age_years,
        "days_since_removal": (as_of - removal).days,
        "months_since_removal": clocks.months_since_removal,
        "months_since_defc": clocks.months_since_defc,
        "tpr_months_in_care": clocks.tpr_months_in_care,
        "has_mentor": bool(mentor and in_effect(mentor.start_date, mentor.end_date, as_of)),
        "adult_connections": len(case.adult_connections),
        "legal_permanency_step": petition or parts[goals.LEGAL_GOAL],
        "tpr_exception": exc.value if exc else None,
        "tpr_exception_relative_care": exc == _TPR.RELATIVE_CARE and parts["in_relative_care"],
        "tpr_exception_compelling_reason": exc == _TPR.COMPELLING_REASON,
        "tpr_exception_services_not_provided": exc == _TPR.SERVICES_NOT_PROVIDED,
        "tpr_petition_filed": petition,
        "removal_for_housing": codes.RemovalReason.INADEQUATE_HOUSING in ep.removal_reasons,
        "visit_months_in_care": clocks.visits.months_in_care,
        "visit_months_missed": clocks.visits.missed,
        "visits_in_window": clocks.visits.visits,
        "visits_in_residence_percent": (
            clocks.visits.in_residence * 100 // clocks.visits.visits if clocks.visits.visits else None
        ),
    }
    fact = {"id": "case", "t": "case", **parts, **own}
    del fact[goals.LEGAL_GOAL]  # not a field
    return drop_none(fact)


def case_columns(s: Scope, clocks: ClockColumns, parts: dict[str, Any]) -> pd.DataFrame:
    """``case_fact`` for every case; ``parts`` holds the other modules' fields by key."""
    c = s.t.frames["cases"]
    key = c[TYPED_KEY].to_numpy(dtype=np.int64)
    n = s.n
    clock = clocks.case
    ck = clock[TYPED_KEY].to_numpy(dtype=np.int64)

    def clock_col(name: str) -> Ints:
        return np.asarray(scatter(n, ck, clock[name].to_numpy(dtype=np.int64), 0)[key], dtype=np.int64)

    age = clock["age_years"]
    age_years = masked_int(
        scatter(n, ck, age.to_numpy(dtype=np.int64, na_value=0), 0)[key],
        ~scatter(n, ck, present(age), False)[key],
    )
    removal = s.removal[key]
    discharge = days(c["discharge_date"], 0)
    discharged = present(c["discharge_date"])
    # a documented exception counts from its date on (at once when undated: NO_DAY)
    exc_in_force = present(c["tpr_exception"]) & (days(c["tpr_exception_date"], NO_DAY) <= s.as_day)
    exc = text(c["tpr_exception"]).mask(pd.Series(~exc_in_force), pd.NA)

    def exception(which: _TPR) -> Flags:
        return is_code(exc, [which.value])

    petition = days(c["tpr_petition_date"]) <= s.as_day  # missing: NEVER
    # no mentor start: no mentor (a missing start is NEVER); a missing end is NEVER too
    has_mentor = (days(c["mentor_start_date"]) <= s.as_day) & (days(c["mentor_end_date"]) > s.as_day)
    in_relative = by_key(parts["in_relative_care"], key)
    visits = clock_col("visit_visits")
    connections, _ = s.table("adult_connections")
    own = {
        "id": np.full(len(key), "case", dtype=object),
        "is_open": ~discharged,
        "removal_day": clock_col("removal_day"),
        "defc_day": clock_col("defc_day"),
        "discharge_reason": c["discharge_reason"],
        "days_since_discharge": masked_int(s.as_day - discharge, ~discharged),
        "age_years": age_years,
        "days_since_removal": s.as_day - removal,
        "months_since_removal": clock_col("months_since_removal"),
        "months_since_defc": clock_col("months_since_defc"),
        "tpr_months_in_care": clock_col("tpr_months_in_care"),
        "has_mentor": has_mentor,
        "adult_connections": per_key(n, connections[TYPED_KEY].to_numpy(dtype=np.int64))[key],
        "legal_permanency_step": petition | by_key(parts[goals.LEGAL_GOAL], key),
        "tpr_exception": exc,
        "tpr_exception_relative_care": exception(_TPR.RELATIVE_CARE) & in_relative,
        "tpr_exception_compelling_reason": exception(_TPR.COMPELLING_REASON),
        "tpr_exception_services_not_provided": exception(_TPR.SERVICES_NOT_PROVIDED),
        "tpr_petition_filed": petition,
        "removal_for_housing": has_code(c["removal_reasons"], codes.RemovalReason.INADEQUATE_HOUSING.value),
        "visit_months_in_care": clock_col("visit_months_in_care"),
        "visit_months_missed": clock_col("visit_missed"),
        "visits_in_window": visits,
        "visits_in_residence_percent": masked_int(
            clock_col("visit_in_residence") * 100 // np.maximum(visits, 1), visits == 0
        ),
    }
    return fact_frame(CASE, key, {f: own[f] if f in own else by_key(parts[f], key) for f in CASE.fields})
