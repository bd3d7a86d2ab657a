"""Hearing facts: declared, then derived per case and column-wise, side by side."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..clocks.dates import age_on, age_on_columns
from ..columnar.typed import has_code
from ..conventions import to_day
from ..model import codes
from ..model.case import Case, item_ids
from .columns import (
    NEVER,
    Codes,
    Flags,
    Ints,
    Scope,
    days,
    fact_frame,
    first_max,
    is_code,
    masked_int,
    per_key,
    prefixed,
    scatter,
    text,
    text_rank,
)
from .fields import ID, F, Fact, FactType, columns, in_effect
from .goals import appla_goal_columns

_HELD = "hearings.scheduled hearings.date"  # held: not merely scheduled, dated by as_of
_APPLA = "hearings.appla_"

HEARING = FactType(
    "hearing",
    {
        "id": ID("hearings.id"),
        "type": F("str", "Hearing type.", True, codes.HearingType, reads="hearings.type"),
        "day": F("day", "Hearing date.", True, reads="hearings.date"),
        "is_latest_permanency": F(
            "bool",
            "The latest held permanency hearing.",
            True,
            reads="hearings.type hearings.date hearings.id cases.removal_date",
        ),
        "appla_goal_in_effect": F(
            "bool",
            "An APPLA-like goal was in effect on the hearing date.",
            True,
            reads="hearings.date goals.type goals.start_date goals.end_date",
        ),
        "appla_family_finding": F(
            "bool",
            "675a(a)(1): intensive family finding documented.",
            True,
            reads=f"{_APPLA}intensive_family_finding",
        ),
        "appla_child_asked": F(
            "bool", "675a(a)(2)(A): the court asked the child.", True, reads=f"{_APPLA}child_asked"
        ),
        "appla_compelling_reasons": F(
            "bool", "675a(a)(2)(B): compelling reasons documented.", True, reads=f"{_APPLA}compelling_reasons"
        ),
        "appla_normalcy": F(
            "bool", "675a(a)(3): normalcy steps documented.", True, reads=f"{_APPLA}normalcy"
        ),
    },
    rows=columns(_HELD),
)


_NOT_REQUIRED = codes.HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED
_EPISODE_HELD = f"{_HELD} cases.removal_date"  # held in this episode
_APPLA_GOAL = "goals.type goals.role goals.start_date goals.end_date"

#: Fields of the case fact derived from the hearings.
CASE_FIELDS = {
    "reunification_efforts_required": F(
        "bool",
        "No hearing of this episode has found reasonable efforts to reunify not required "
        "(42 USC 671(a)(15)(D)).",
        True,
        reads=f"{_EPISODE_HELD} hearings.findings",
    ),
    "appla_age": F(
        "int",
        "For the APPLA-like goal in effect: the child's age at the first permanency hearing held "
        "since it was set (the hearing that approves it, 675(5)(C)(i)), or at as_of while none has "
        "(missing if no such goal or no birth date).",
        reads=f"{_EPISODE_HELD} hearings.type {_APPLA_GOAL} cases.birth_date",
    ),
}


def court_case_fields(case: Case, as_of: date, removal: date) -> dict[str, Any]:
    """The case fact's hearing fields for one case."""
    held = [h for h in case.hearings if not h.scheduled and removal <= h.date <= as_of]
    appla = sorted(
        (
            g
            for g in case.goals
            if g.type in codes.APPLA_LIKE_GOALS and in_effect(g.start_date, g.end_date, as_of)
        ),
        key=lambda g: (g.role != codes.GoalRole.PRIMARY, g.type.value),
    )
    birth = case.child.birth_date
    age = None
    if appla and birth is not None:
        start = appla[0].start_date
        perm = [h.date for h in held if h.type == codes.HearingType.PERMANENCY and h.date >= start]
        age = age_on(birth, min(perm, default=as_of))
    return {
        "reunification_efforts_required": not any(_NOT_REQUIRED in h.findings for h in held),
        "appla_age": age,
    }


def court_case_columns(s: Scope) -> dict[str, Any]:
    """``court_case_fields`` for every case, by key."""
    n = s.n
    h, key = s.table("hearings")
    day = days(h["date"])
    held = ~h["scheduled"].to_numpy(dtype=bool) & (day <= s.as_day) & (day >= s.removal[key])
    not_required = held & has_code(h["findings"], _NOT_REQUIRED.value)
    g, gkey = s.table("goals")
    start = days(g["start_date"])
    kind = Codes(g["type"], codes.GoalType)
    primary = is_code(text(g["role"]).fillna(codes.GoalRole.PRIMARY.value), [codes.GoalRole.PRIMARY.value])
    current = kind.isin(codes.APPLA_LIKE_GOALS) & (start <= s.as_day) & (days(g["end_date"]) > s.as_day)
    # sorted(key=(role != primary, type))[0]: primary first, then the smallest type, then list order
    chosen = first_max(gkey, current, primary.astype(np.int64), -kind.rank)
    goal_start = scatter(n, gkey[chosen], start[chosen], NEVER)
    perm = held & is_code(h["type"], [codes.HearingType.PERMANENCY.value]) & (day >= goal_start[key])
    first = np.full(n, NEVER, dtype=np.int64)
    np.minimum.at(first, key[perm], day[perm])
    when = np.where(first == NEVER, s.as_day, first)
    missing = (goal_start == NEVER) | ~s.has_birth
    age = age_on_columns(s.birth, np.where(missing, s.birth, when))
    return {
        "reunification_efforts_required": per_key(n, key, not_required) == 0,
        "appla_age": masked_int(age, missing),
    }


def hearing_facts(case: Case, as_of: date, removal: date) -> list[Fact]:
    held = [
        (hid, h)
        for hid, h in zip(item_ids("hearing", case.hearings), case.hearings, strict=True)
        if not h.scheduled and h.date <= as_of
    ]
    perm = [x for x in held if x[1].type == codes.HearingType.PERMANENCY and x[1].date >= removal]
    latest_perm = max(perm, key=lambda x: (x[1].date, x[0]), default=None)
    appla_goals = [g for g in case.goals if g.type in codes.APPLA_LIKE_GOALS]
    facts = []
    for hid, h in held:
        doc = h.appla_documentation
        facts.append(
            {
                "id": f"hearing:{hid}",
                "t": "hearing",
                "type": h.type.value,
                "day": to_day(h.date),
                "is_latest_permanency": latest_perm is not None and hid == latest_perm[0],
                "appla_goal_in_effect": any(in_effect(g.start_date, g.end_date, h.date) for g in appla_goals),
                "appla_family_finding": bool(doc and doc.intensive_family_finding),
                "appla_child_asked": bool(doc and doc.child_asked),
                "appla_compelling_reasons": bool(doc and doc.compelling_reasons),
                "appla_normalcy": bool(doc and doc.normalcy),
            }
        )
    return facts


def _appla_goal_in_effect(s: Scope, key: Ints, day: Ints) -> Flags:
    """Whether any APPLA-like goal of the case is in effect on each day (start <= day < end)."""
    goals = appla_goal_columns(s)
    out = np.zeros(len(key), dtype=bool)
    if not len(goals) or not len(key):
        return out
    rows = pd.DataFrame({"row": np.arange(len(key)), "key": key, "day": day})
    pairs = rows[np.isin(key, goals["key"].to_numpy())].merge(goals, on="key")
    hit = (pairs["start_day"] <= pairs["day"]) & (pairs["end_day"] > pairs["day"])
    out[pairs["row"].to_numpy()[hit.to_numpy()]] = True
    return out


def hearing_columns(s: Scope) -> pd.DataFrame:
    """``hearing_facts`` for every case."""
    h, key = s.table("hearings")
    day = days(h["date"])
    held = ~h["scheduled"].to_numpy(dtype=bool) & (day <= s.as_day)
    perm = held & is_code(h["type"], [codes.HearingType.PERMANENCY.value]) & (day >= s.removal[key])
    latest = first_max(key, perm, day, text_rank(h["id"]))
    k, d = key[held], day[held]
    return fact_frame(
        HEARING,
        k,
        {
            "id": prefixed("hearing:", h["id"][held]),
            "type": h["type"][held],
            "day": d,
            "is_latest_permanency": latest[held],
            "appla_goal_in_effect": _appla_goal_in_effect(s, k, d),
            "appla_family_finding": h["appla_intensive_family_finding"].to_numpy(dtype=bool)[held],
            "appla_child_asked": h["appla_child_asked"].to_numpy(dtype=bool)[held],
            "appla_compelling_reasons": h["appla_compelling_reasons"].to_numpy(dtype=bool)[held],
            "appla_normalcy": h["appla_normalcy"].to_numpy(dtype=bool)[held],
        },
    )
