"""Every fact of every case at once: ``facts.build.build_facts`` computed column-wise.

``column_facts`` returns the frames ``engines.frames.facts_to_frames`` builds from the per-case
facts, column for column and value for value, except that ``case_key`` is the typed ``key`` (the
case's row in ``cases``) rather than a list position; rows may come in another order. The fact
types are built in ``facts_plan`` (goals, case plans), ``facts_placement`` (placements,
siblings), ``facts_family`` (parents, needs, services) and ``facts_court`` (hearings,
deadlines); the case fact, which sums them up, is built here. ``tests/columnar/test_facts.py``
checks the frames against the reference case by case.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..conventions import TYPED_KEY as KEY
from ..conventions import to_day
from ..model import codes
from .clocks import ClockColumns
from .facts_columns import (
    NO_DAY,
    Flags,
    Ints,
    Scope,
    days,
    fact_frame,
    is_code,
    masked_int,
    per_key,
    present,
    scatter,
    text,
)
from .facts_court import deadline_facts, hearing_facts
from .facts_family import ParentSummary, ServiceSummary, need_facts, parent_facts, service_facts
from .facts_placement import CurrentPlacement, placement_facts, sibling_facts
from .facts_plan import GoalSummary, case_plan_facts, goal_facts
from .typed import Typed, has_code

_TPR = codes.TprException


def column_facts(t: Typed, clocks: ClockColumns, as_of: date) -> dict[str, pd.DataFrame]:
    """One typed frame per fact type for every case of ``t`` (see the module docstring).

    ``as_of`` is the caller's evaluation date (``Clocks.as_of``), also for closed cases.
    """
    s = Scope.of(t, to_day(as_of))
    goals, goal_sum = goal_facts(s)
    placements, current = placement_facts(s)
    plans, latest_plan = case_plan_facts(s)
    parents, parent_sum = parent_facts(s, latest_plan)
    services, service_sum = service_facts(s)
    return {
        "case": _case_facts(s, clocks, goal_sum, current, parent_sum, service_sum),
        "goal": goals,
        "placement": placements,
        "case_plan": plans,
        "parent": parents,
        "need": need_facts(s),
        "service": services,
        "hearing": hearing_facts(s),
        "deadline": deadline_facts(s, clocks),
        "sibling": sibling_facts(s),
    }


def _case_facts(
    s: Scope,
    clocks: ClockColumns,
    goals: GoalSummary,
    current: CurrentPlacement,
    parents: ParentSummary,
    services: ServiceSummary,
) -> pd.DataFrame:
    c = s.t.frames["cases"]
    key = c[KEY].to_numpy(dtype=np.int64)
    n = s.n
    clock = clocks.case
    ck = clock[KEY].to_numpy(dtype=np.int64)

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
    last_visit = parents.last_visit[key]
    in_relative = current.in_relative_care[key]
    connections, _ = s.table("adult_connections")
    return fact_frame(
        "case",
        key,
        {
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
            "established_goal_count": goals.established_count[key],
            "has_current_goal": goals.has_current[key],
            "has_current_primary_goal": goals.current_primary.notna().to_numpy()[key],
            "current_primary_goal": goals.current_primary.iloc[key],
            "has_reunification_goal": goals.has_reunification[key],
            "has_concurrent_goal": goals.has_concurrent[key],
            "has_appla_like_goal": goals.appla_like.notna().to_numpy()[key],
            "appla_like_goal": goals.appla_like.iloc[key],
            "parent_count": parents.count[key],
            "parents_rights_intact": parents.rights_intact[key],
            "parents_reachable": parents.reachable[key],
            "parents_tpr": parents.tpr[key],
            "parent_services_started": services.parent_started[key],
            "days_since_parent_visit": s.as_day - np.where(last_visit == NO_DAY, removal, last_visit),
            "has_mentor": has_mentor,
            "adult_connections": per_key(n, connections[KEY].to_numpy(dtype=np.int64))[key],
            "legal_permanency_step": petition | goals.legal_step[key],
            "tpr_exception": exc,
            "tpr_exception_relative_care": exception(_TPR.RELATIVE_CARE) & in_relative,
            "tpr_exception_compelling_reason": exception(_TPR.COMPELLING_REASON),
            "tpr_exception_services_not_provided": exception(_TPR.SERVICES_NOT_PROVIDED),
            "tpr_petition_filed": petition,
            "removal_for_housing": has_code(
                c["removal_reasons"], codes.RemovalReason.INADEQUATE_HOUSING.value
            ),
            "housing_income_services": services.housing_income[key],
            "post_permanency_services": services.post_permanency[key],
            "current_setting": current.setting.iloc[key],
            "in_family_setting": current.in_family_setting[key],
            "in_relative_care": in_relative,
            "on_trial_home_visit": current.on_trial_home_visit[key],
        },
    )
