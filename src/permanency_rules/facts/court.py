"""Hearing facts: declared, then derived per case and column-wise, side by side."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..conventions import to_day
from ..model import codes
from ..model.case import Case, item_ids
from .columns import Flags, Ints, Scope, days, fact_frame, first_max, is_code, prefixed, text_rank
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
