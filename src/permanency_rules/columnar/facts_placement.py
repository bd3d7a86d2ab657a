"""Placement and sibling facts, column-wise (``facts.build``'s placement and sibling loops)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..model import codes
from .dates import months_between
from .facts_columns import (
    Codes,
    Flags,
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

S = codes.PlacementSetting


@dataclass
class CurrentPlacement:
    """The placement in effect at as_of (open cases only), indexed by key."""

    setting: pd.Series  # string, missing if none
    in_family_setting: Flags
    in_relative_care: Flags  # a relative caregiver, or a relative foster home
    on_trial_home_visit: Flags


def placement_facts(s: Scope) -> tuple[pd.DataFrame, CurrentPlacement]:
    p, key = s.table("placements")
    start = days(p["start_date"])
    end = days(p["end_date"])
    has_end = present(p["end_date"])
    setting = p["setting"]
    rows = start <= s.as_day  # later placements are left out
    is_current = s.is_open[key] & rows & (end > s.as_day)  # a missing end is NEVER
    months = months_between(start, np.minimum(end, s.as_day))
    kind = Codes(setting, S)
    family = kind.isin(codes.FAMILY_SETTINGS)
    frame = fact_frame(
        "placement",
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
    return frame, CurrentPlacement(
        setting=take_text(setting, row),
        in_family_setting=take_flag(family, row),
        in_relative_care=take_flag(relative | kind.isin([S.RELATIVE_FOSTER_HOME]), row),
        on_trial_home_visit=take_flag(kind.isin([S.TRIAL_HOME_VISIT]), row),
    )


def sibling_facts(s: Scope) -> pd.DataFrame:
    sib, key = s.table("siblings")
    return fact_frame(
        "sibling",
        key,
        {
            "id": prefixed("sibling:", sib["id"]),
            "in_care": sib["in_care"],
            "placed_together": sib["placed_together"],
            "contact_plan": sib["contact_plan"],
            "contact_contraindicated": sib["contact_contraindicated"],
        },
    )
