"""Goal and case-plan facts, and the case fact's goal fields: declared, then derived per case and
column-wise, side by side. ``tests/facts`` holds the two derivations equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..clocks.dates import age_on, age_on_columns
from ..conventions import to_day
from ..model import codes
from ..model.case import Case, CasePlan, Goal, item_ids
from .columns import (
    Codes,
    Flags,
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
from .fields import ID, F, Fact, FactType, columns, drop_none, in_effect

G = codes.GoalType
_TYPE, _START, _END = "goals.type", "goals.start_date", "goals.end_date"
_CURRENT = f"{_TYPE} {_START} {_END}"  # which goals are in effect, and of what type

GOAL = FactType(
    "goal",
    {
        "id": ID("goals.id"),
        "type": F("str", "Goal type.", True, codes.GoalType, reads=_TYPE),
        "role": F("str", "primary or concurrent.", True, codes.GoalRole, reads="goals.role"),
        "is_current": F("bool", "In effect at as_of.", True, reads=f"{_START} {_END}"),
        "ended": F("bool", "Has an end date on or before as_of.", True, reads=_END),
        "is_latest_primary": F(
            "bool", "The most recently started primary goal.", True, reads=f"goals.role {_START} {_TYPE}"
        ),
        "is_legal_permanency": F(
            "bool", "Reunification, relative, adoption or guardianship.", True, reads=_TYPE
        ),
        "is_appla_like": F("bool", "APPLA, long-term foster care or emancipation.", True, reads=_TYPE),
        "start_day": F("day", "Start date.", True, reads=_START),
        "end_day": F("day", "End date.", reads=_END),
        "target_day": F("day", "Target date for achieving the goal.", reads="goals.target_date"),
        "days_past_target": F(
            "int", "Days from the target date to as_of (negative before it).", reads="goals.target_date"
        ),
    },
    rows=columns(_START),  # goals starting after as_of are left out
)

#: Fields of the case fact derived from the goals.
CASE_FIELDS = {
    "established_goal_count": F(
        "int",
        "Goals ever set in this episode, other than 'not established'.",
        True,
        reads=f"{_TYPE} {_START}",
    ),
    "has_current_goal": F(
        "bool", "A goal other than 'not established' is in effect at as_of.", True, reads=_CURRENT
    ),
    "has_current_primary_goal": F(
        "bool",
        "A primary goal other than 'not established' is in effect.",
        True,
        reads=f"{_CURRENT} goals.role",
    ),
    "current_primary_goal": F(
        "str", "Type of the primary goal in effect.", values=codes.GoalType, reads=f"{_CURRENT} goals.role"
    ),
    "has_reunification_goal": F(
        "bool", "Reunification is a goal in effect (primary or concurrent).", True, reads=_CURRENT
    ),
    "has_concurrent_goal": F("bool", "A concurrent goal is in effect.", True, reads=f"{_CURRENT} goals.role"),
    "has_appla_like_goal": F(
        "bool", "APPLA, long-term foster care or emancipation is a goal in effect.", True, reads=_CURRENT
    ),
    "appla_like_goal": F(
        "str",
        "That goal's type (the primary one if both roles are).",
        values=codes.GoalType,
        reads=f"{_CURRENT} goals.role",
    ),
}
#: Not a field: whether an adoption, guardianship or relative goal is in effect (``case`` reads it).
LEGAL_GOAL = "_legal_goal"
_LEGAL_STEP = [G.ADOPTION, G.GUARDIANSHIP, G.RELATIVE]

_PLAN = "case_plans.date"
_PARTS = "case_plans.participants"
CASE_PLAN = FactType(
    "case_plan",
    {
        "id": ID("case_plans.id"),
        "day": F("day", "Date of this plan version.", True, reads=_PLAN),
        "is_latest": F(
            "bool", "The latest plan version on or before as_of.", True, reads=f"{_PLAN} case_plans.id"
        ),
        "child_participated": F("bool", "The child took part.", True, reads=_PARTS),
        "mother_participated": F("bool", "The mother took part.", True, reads=_PARTS),
        "father_participated": F("bool", "The father took part.", True, reads=_PARTS),
        "caregiver_participated": F("bool", "The caregiver took part.", True, reads=_PARTS),
        "advisor_count": F("int", "Child-chosen advisors who took part.", True, reads=_PARTS),
        "missing_components": F(
            "str", "Missing components, comma-separated ('' if none).", True, reads="case_plans.components"
        ),
        "missing_component_count": F(
            "int", "How many of the five components are missing.", True, reads="case_plans.components"
        ),
        "child_age_at_plan": F(
            "int", "Child's age in whole years on the plan date.", reads=f"cases.birth_date {_PLAN}"
        ),
    },
    rows=columns(_PLAN),  # plan versions after as_of are left out
)
#: The latest plan's participants, as parent facts read them (``family``).
LATEST_PLAN_READS = f"{_PLAN} case_plans.id {_PARTS}"

_COMPONENTS = [c.value for c in codes.CasePlanComponent]  # enum order: missing ones are listed so
_PARTICIPANTS = [p.value for p in codes.Participant]


# --- per case ------------------------------------------------------------------------------


def goal_facts(case: Case, as_of: date) -> tuple[list[Fact], dict[str, Any]]:
    """The goal facts of one case, and its case fields (plus ``LEGAL_GOAL``)."""
    goals = case.goals
    established = [g for g in goals if g.type != G.NOT_ESTABLISHED and g.start_date <= as_of]
    primaries = [g for g in goals if g.role == codes.GoalRole.PRIMARY and g.start_date <= as_of]
    latest_primary: Goal | None = max(primaries, key=lambda g: (g.start_date, g.type.value), default=None)
    facts = [
        drop_none(
            {
                "id": f"goal:{gid}",
                "t": "goal",
                "type": g.type.value,
                "role": g.role.value,
                "is_current": in_effect(g.start_date, g.end_date, as_of),
                "ended": g.end_date is not None and g.end_date <= as_of,
                "is_latest_primary": g is latest_primary,
                "is_legal_permanency": g.type in codes.LEGAL_PERMANENCY_GOALS,
                "is_appla_like": g.type in codes.APPLA_LIKE_GOALS,
                "start_day": to_day(g.start_date),
                "end_day": to_day(g.end_date) if g.end_date else None,
                "target_day": to_day(g.target_date) if g.target_date else None,
                "days_past_target": (as_of - g.target_date).days if g.target_date else None,
            }
        )
        for gid, g in zip(item_ids("goal", goals), goals, strict=True)
        if g.start_date <= as_of
    ]
    current_est = [
        g for g in goals if in_effect(g.start_date, g.end_date, as_of) and g.type != G.NOT_ESTABLISHED
    ]
    current_primary = next(
        (
            g
            for g in sorted(current_est, key=lambda g: (g.start_date, g.type.value), reverse=True)
            if g.role == codes.GoalRole.PRIMARY
        ),
        None,
    )
    goal_types = {g.type for g in current_est}
    appla_now = sorted(
        (g for g in current_est if g.type in codes.APPLA_LIKE_GOALS),
        key=lambda g: (g.role != codes.GoalRole.PRIMARY, g.type.value),
    )
    return facts, {
        "established_goal_count": len(established),
        "has_current_goal": bool(current_est),
        "has_current_primary_goal": current_primary is not None,
        "current_primary_goal": current_primary.type.value if current_primary else None,
        "has_reunification_goal": G.REUNIFICATION in goal_types,
        "has_concurrent_goal": any(g.role == codes.GoalRole.CONCURRENT for g in current_est),
        "has_appla_like_goal": bool(appla_now),
        "appla_like_goal": appla_now[0].type.value if appla_now else None,
        LEGAL_GOAL: bool(goal_types & set(_LEGAL_STEP)),
    }


def case_plan_facts(case: Case, as_of: date) -> tuple[list[Fact], CasePlan | None]:
    """The case-plan facts of one case, and its latest plan on or before as_of."""
    plans = [p for p in case.case_plans if p.date <= as_of]
    latest = max(plans, key=lambda p: (p.date, p.id or ""), default=None)
    birth = case.child.birth_date
    facts = []
    for cid, cp in zip(item_ids("plan", case.case_plans), case.case_plans, strict=True):
        if cp.date > as_of:
            continue
        missing = [c.value for c in codes.CasePlanComponent if c not in cp.components]
        parts = set(cp.participants)
        facts.append(
            drop_none(
                {
                    "id": f"case_plan:{cid}",
                    "t": "case_plan",
                    "day": to_day(cp.date),
                    "is_latest": cp is latest,
                    "child_participated": codes.Participant.CHILD in parts,
                    "mother_participated": codes.Participant.MOTHER in parts,
                    "father_participated": codes.Participant.FATHER in parts,
                    "caregiver_participated": codes.Participant.CAREGIVER in parts,
                    "advisor_count": sum(1 for x in cp.participants if x == codes.Participant.CHILD_ADVISOR),
                    "missing_components": ", ".join(missing),
                    "missing_component_count": len(missing),
                    "child_age_at_plan": age_on(birth, cp.date) if birth else None,
                }
            )
        )
    return facts, latest


# --- column-wise ---------------------------------------------------------------------------


def goal_columns(s: Scope) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``goal_facts`` for every case: the goal frame, and the case fields by key."""
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
        GOAL,
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
    cur_primary = take_text(gtype, pick(n, key, first_max(key, cur_est & primary, start, goal_type.rank)))
    # the first of sorted(key=(role != primary, type)): primary first, then the smallest type
    appla_now = take_text(
        gtype, pick(n, key, first_max(key, cur_est & appla, primary.astype(np.int64), -goal_type.rank))
    )
    return frame, {
        "established_goal_count": per_key(n, key, established & started),
        "has_current_goal": per_key(n, key, cur_est) > 0,
        "has_current_primary_goal": cur_primary.notna().to_numpy(),
        "current_primary_goal": cur_primary,
        "has_reunification_goal": per_key(n, key, cur_est & goal_type.isin([G.REUNIFICATION])) > 0,
        "has_concurrent_goal": per_key(n, key, cur_est & ~primary) > 0,
        "has_appla_like_goal": appla_now.notna().to_numpy(),
        "appla_like_goal": appla_now,
        LEGAL_GOAL: per_key(n, key, cur_est & goal_type.isin(_LEGAL_STEP)) > 0,
    }


def appla_goal_columns(s: Scope) -> pd.DataFrame:
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


def _missing_components(bits: np.ndarray) -> pd.Series:
    """``", "``-joined names of the missing components, from bit masks (bit i: component i)."""
    names = [
        ", ".join(c for i, c in enumerate(_COMPONENTS) if m >> i & 1) for m in range(1 << len(_COMPONENTS))
    ]
    return pd.Series(pd.array(pa.array(names, pa.large_string()).take(pa.array(bits)), dtype="string"))


def case_plan_columns(s: Scope) -> tuple[pd.DataFrame, LatestPlan]:
    """``case_plan_facts`` for every case."""
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
        CASE_PLAN,
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
            "child_age_at_plan": masked_int(age_on_columns(s.birth[key], day), ~s.has_birth[key])[rows],
        },
    )
    row = pick(s.n, key, latest)
    return frame, LatestPlan(
        mother=take_flag(parts[P.MOTHER.value] > 0, row),
        father=take_flag(parts[P.FATHER.value] > 0, row),
    )
