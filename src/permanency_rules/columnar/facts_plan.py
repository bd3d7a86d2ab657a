"""Goal and case-plan facts, column-wise (``facts.build``'s goal and case_plan loops)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..model import codes
from .dates import age_on
from .facts_columns import (
    Codes,
    Flags,
    Ints,
    Scope,
    code_counts,
    days,
    fact_frame,
    first_max,
    is_code,
    masked_int,
    per_key,
    pick,
    prefixed,
    present,
    take_flag,
    take_text,
    text,
    text_rank,
)

G = codes.GoalType
_LEGAL_STEP = [G.ADOPTION, G.GUARDIANSHIP, G.RELATIVE]
_COMPONENTS = [c.value for c in codes.CasePlanComponent]  # enum order: missing ones are listed so
_PARTICIPANTS = [p.value for p in codes.Participant]


@dataclass
class GoalSummary:
    """The case fact's goal fields, by key."""

    established_count: Ints  # goals started by as_of, other than not_established
    has_current: Flags
    current_primary: pd.Series  # type of the current primary goal (string, missing if none)
    has_reunification: Flags
    has_concurrent: Flags
    appla_like: pd.Series  # type of the APPLA-like goal in effect (string, missing if none)
    legal_step: Flags  # an adoption, guardianship or relative goal is in effect


def goal_facts(s: Scope) -> tuple[pd.DataFrame, GoalSummary]:
    g, key = s.table("goals")
    start = days(g["start_date"])
    end = days(g["end_date"])  # missing: NEVER, so "end > day" holds
    has_end = present(g["end_date"])
    target = days(g["target_date"], 0)
    no_target = ~present(g["target_date"])
    gtype = g["type"]
    role = text(g["role"]).fillna(codes.GoalRole.PRIMARY.value)  # the model's default role
    primary = is_code(role, [codes.GoalRole.PRIMARY.value])
    goal_type = Codes(gtype, G)
    started = start <= s.as_day  # later goals are left out
    current = started & (end > s.as_day)
    established = ~goal_type.isin([G.NOT_ESTABLISHED])
    appla = goal_type.isin(codes.APPLA_LIKE_GOALS)

    rows = started
    frame = fact_frame(
        "goal",
        key[rows],
        {
            "id": prefixed("goal:", g["id"][rows]),
            "type": gtype[rows],
            "role": role[rows],
            "is_current": current[rows],
            "ended": (has_end & (end <= s.as_day))[rows],
            # max(primaries, key=(start_date, type))
            "is_latest_primary": first_max(key, primary & started, start, goal_type.rank)[rows],
            "is_legal_permanency": goal_type.isin(codes.LEGAL_PERMANENCY_GOALS)[rows],
            "is_appla_like": appla[rows],
            "start_day": start[rows],
            "end_day": masked_int(end, ~has_end)[rows],
            "target_day": masked_int(target, no_target)[rows],
            "days_past_target": masked_int(s.as_day - target, no_target)[rows],
        },
    )

    n = s.n
    cur_est = current & established
    # the first primary of sorted(current, key=(start, type), reverse=True): a stable sort, so
    # the same goal as max() over the current primaries
    cur_primary = pick(n, key, first_max(key, cur_est & primary, start, goal_type.rank))
    # the first of sorted(key=(role != primary, type)): primary first, then the smallest type
    appla_now = pick(n, key, first_max(key, cur_est & appla, primary.astype(np.int64), -goal_type.rank))
    summary = GoalSummary(
        established_count=per_key(n, key, established & started),
        has_current=per_key(n, key, cur_est) > 0,
        current_primary=take_text(gtype, cur_primary),
        has_reunification=per_key(n, key, cur_est & goal_type.isin([G.REUNIFICATION])) > 0,
        has_concurrent=per_key(n, key, cur_est & ~primary) > 0,
        appla_like=take_text(gtype, appla_now),
        legal_step=per_key(n, key, cur_est & goal_type.isin(_LEGAL_STEP)) > 0,
    )
    return frame, summary


def appla_goals(s: Scope) -> pd.DataFrame:
    """Every APPLA-like goal, whatever its dates: key, start_day, end_day (NEVER if open)."""
    g, key = s.table("goals")
    hit = is_code(g["type"], codes.APPLA_LIKE_GOALS)
    return pd.DataFrame(
        {"key": key[hit], "start_day": days(g["start_date"])[hit], "end_day": days(g["end_date"])[hit]}
    )


@dataclass
class LatestPlan:
    """Whether the mother and the father took part in the latest plan on or before as_of, by key."""

    mother: Flags
    father: Flags


def _missing_components(bits: Ints) -> pd.Series:
    """``", "``-joined names of the missing components, from bit masks (bit i: component i)."""
    names = [
        ", ".join(c for i, c in enumerate(_COMPONENTS) if m >> i & 1) for m in range(1 << len(_COMPONENTS))
    ]
    return pd.Series(pd.array(pa.array(names, pa.large_string()).take(pa.array(bits)), dtype="string"))


def case_plan_facts(s: Scope) -> tuple[pd.DataFrame, LatestPlan]:
    cp, key = s.table("case_plans")
    day = days(cp["date"])
    rows = day <= s.as_day  # later versions are left out
    latest = first_max(key, rows, day, text_rank(cp["id"]))  # max(plans, key=(date, id or ""))
    parts = code_counts(cp["participants"], _PARTICIPANTS)
    present_parts = code_counts(cp["components"], _COMPONENTS)
    missing = np.zeros(len(cp), dtype=np.int64)
    for i, c in enumerate(_COMPONENTS):
        missing |= (present_parts[c] == 0).astype(np.int64) << i
    P = codes.Participant
    frame = fact_frame(
        "case_plan",
        key[rows],
        {
            "id": prefixed("case_plan:", cp["id"][rows]),
            "day": day[rows],
            "is_latest": latest[rows],
            "child_participated": (parts[P.CHILD.value] > 0)[rows],
            "mother_participated": (parts[P.MOTHER.value] > 0)[rows],
            "father_participated": (parts[P.FATHER.value] > 0)[rows],
            "caregiver_participated": (parts[P.CAREGIVER.value] > 0)[rows],
            "advisor_count": parts[P.CHILD_ADVISOR.value][rows],
            "missing_components": _missing_components(missing[rows]),
            "missing_component_count": np.bitwise_count(missing[rows]).astype(np.int64),
            "child_age_at_plan": masked_int(age_on(s.birth[key], day), ~s.has_birth[key])[rows],
        },
    )
    row = pick(s.n, key, latest)
    return frame, LatestPlan(
        mother=take_flag(parts[P.MOTHER.value] > 0, row),
        father=take_flag(parts[P.FATHER.value] > 0, row),
    )
