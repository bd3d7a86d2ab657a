"""Placement and sibling facts, and the case fact's current-placement fields: declared, then
derived per case and column-wise, side by side.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..clocks.dates import months_between, months_between_columns
from ..conventions import to_day
from ..model import codes
from ..model.case import Case, Placement, item_ids
from .columns import (
    Codes,
    Scope,
    days,
    fact_frame,
    first_max,
    masked_int,
    pick,
    prefixed,
    present,
    take_flag,
    take_text,
)
from .fields import ID, F, Fact, FactType, columns, drop_none, in_effect

S = codes.PlacementSetting
_START, _END, _SETTING = "placements.start_date", "placements.end_date", "placements.setting"
#: Which placement is current: the case is open, and the latest-starting one in effect.
_CURRENT = f"cases.discharge_date {_START} {_END}"

PLACEMENT = FactType(
    "placement",
    {
        "id": ID("placements.id"),
        "setting": F("str", "Placement setting.", True, codes.PlacementSetting, reads=_SETTING),
        "is_current": F("bool", "In effect at as_of.", True, reads=_CURRENT),
        "start_day": F("day", "Start date.", True, reads=_START),
        "end_day": F("day", "End date.", reads=_END),
        "months_in_setting": F(
            "int", "Whole calendar months from start to end or as_of.", True, reads=f"{_START} {_END}"
        ),
        "relative": F("bool", "The caregiver is a relative.", reads="placements.relative"),
        "is_family_setting": F(
            "bool", "Pre-adoptive, relative or non-relative foster home.", True, reads=_SETTING
        ),
    },
    rows=columns(_START),  # placements starting after as_of are left out
)

#: Fields of the case fact read from the current placement.
CASE_FIELDS = {
    "current_setting": F(
        "str",
        "Setting of the placement in effect.",
        values=codes.PlacementSetting,
        reads=f"{_CURRENT} {_SETTING}",
    ),
    "in_family_setting": F(
        "bool", "The current placement is a family home.", True, reads=f"{_CURRENT} {_SETTING}"
    ),
    "in_relative_care": F(
        "bool",
        "The current placement is with a relative.",
        True,
        reads=f"{_CURRENT} {_SETTING} placements.relative",
    ),
    "on_trial_home_visit": F(
        "bool", "The child is home on a trial home visit at as_of.", True, reads=f"{_CURRENT} {_SETTING}"
    ),
}

SIBLING = FactType(
    "sibling",
    {
        "id": ID("siblings.id"),
        "in_care": F("bool", "The sibling is also in care.", True, reads="siblings.in_care"),
        "placed_together": F("bool", "Placed with the child.", True, reads="siblings.placed_together"),
        "contact_plan": F(
            "bool", "A visit or contact plan is documented.", True, reads="siblings.contact_plan"
        ),
        "contact_contraindicated": F(
            "bool",
            "Contact is documented as contrary to safety or well-being.",
            True,
            reads="siblings.contact_contraindicated",
        ),
    },
)


# --- per case ------------------------------------------------------------------------------


def placement_facts(case: Case, as_of: date) -> tuple[list[Fact], dict[str, Any]]:
    """The placement facts of one case, and its current-placement case fields."""
    current: Placement | None = None
    facts = []
    for pid, p in zip(item_ids("placement", case.placements), case.placements, strict=True):
        if p.start_date > as_of:
            continue
        is_current = case.is_open and in_effect(p.start_date, p.end_date, as_of)
        if is_current and (current is None or p.start_date > current.start_date):
            current = p
        facts.append(
            drop_none(
                {
                    "id": f"placement:{pid}",
                    "t": "placement",
                    "setting": p.setting.value,
                    "is_current": is_current,
                    "start_day": to_day(p.start_date),
                    "end_day": to_day(p.end_date) if p.end_date else None,
                    "months_in_setting": months_between(p.start_date, min(p.end_date or as_of, as_of)),
                    "relative": p.relative,
                    "is_family_setting": p.setting in codes.FAMILY_SETTINGS,
                }
            )
        )
    return facts, {
        "current_setting": current.setting.value if current else None,
        "in_family_setting": bool(current and current.setting in codes.FAMILY_SETTINGS),
        "in_relative_care": bool(current and (current.relative or current.setting == S.RELATIVE_FOSTER_HOME)),
        "on_trial_home_visit": bool(current and current.setting == S.TRIAL_HOME_VISIT),
    }


def sibling_facts(case: Case) -> list[Fact]:
    return [
        {
            "id": f"sibling:{sib_id}",
            "t": "sibling",
            "in_care": sib.in_care,
            "placed_together": sib.placed_together,
            "contact_plan": sib.contact_plan,
            "contact_contraindicated": sib.contact_contraindicated,
        }
        for sib_id, sib in zip(item_ids("sibling", case.siblings), case.siblings, strict=True)
    ]


# --- column-wise ---------------------------------------------------------------------------


def placement_columns(s: Scope) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``placement_facts`` for every case: the frame, and the case fields by key."""
    p, key = s.table("placements")
    start = days(p["start_date"])
    end = days(p["end_date"])
    has_end = present(p["end_date"])
    setting = p["setting"]
    rows = start <= s.as_day  # later placements are left out
    is_current = s.is_open[key] & rows & (end > s.as_day)  # a missing end is NEVER
    months = months_between_columns(start, np.minimum(end, s.as_day))
    kind = Codes(setting, S)
    family = kind.isin(codes.FAMILY_SETTINGS)
    frame = fact_frame(
        PLACEMENT,
        key[rows],
        {
            "id": prefixed("placement:", p["id"][rows]),
            "setting": setting[rows],
            "is_current": is_current[rows],
            "start_day": start[rows],
            "end_day": masked_int(end, ~has_end)[rows],
            "months_in_setting": months[rows],
            "relative": p["relative"][rows],
            "is_family_setting": family[rows],
        },
    )
    # the first current placement with the latest start (the loop replaces only on a later start)
    row = pick(s.n, key, first_max(key, is_current, start))
    relative = p["relative"].to_numpy(dtype=bool, na_value=False)
    return frame, {
        "current_setting": take_text(setting, row),
        "in_family_setting": take_flag(family, row),
        "in_relative_care": take_flag(relative | kind.isin([S.RELATIVE_FOSTER_HOME]), row),
        "on_trial_home_visit": take_flag(kind.isin([S.TRIAL_HOME_VISIT]), row),
    }


def sibling_columns(s: Scope) -> pd.DataFrame:
    sib, key = s.table("siblings")
    return fact_frame(
        SIBLING,
        key,
        {
            "id": prefixed("sibling:", sib["id"]),
            "in_care": sib["in_care"],
            "placed_together": sib["placed_together"],
            "contact_plan": sib["contact_plan"],
            "contact_contraindicated": sib["contact_contraindicated"],
        },
    )
