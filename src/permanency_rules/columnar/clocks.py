"""Every clock of every case at once: ``clocks.compute_clocks`` computed column-wise.

The per-case clocks are the reference; ``tests/columnar`` checks these columns against them
case by case, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .typed import Typed


@dataclass
class ClockColumns:
    """Clocks of the cases in ``Typed.frames['cases']`` (same row order).

    ``case`` columns: key, removal_day, defc_day (int64 epoch days), age_years (Int64, NA when
    the birth date is unknown), months_since_removal, months_since_defc, tpr_months_in_care
    (int64). ``deadlines``: one row per deadline with key, name, status (str), due_day and
    last_event_day (Int64), subject (string, NA when none) and basis (string), ordered by key
    then as ``Clocks.deadlines``.
    """

    case: pd.DataFrame
    deadlines: pd.DataFrame


def column_clocks(t: Typed, as_of: date, params: Mapping[str, int]) -> ClockColumns:
    raise NotImplementedError
