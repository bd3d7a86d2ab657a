"""Every clock of every case at once: ``clocks.compute_clocks`` computed column-wise.

The per-case clocks are the reference; ``tests/columnar`` checks these columns against them
case by case, so the two cannot drift apart unnoticed. The clocks themselves are in
``deadline_clocks`` (one function per deadline), the 15-of-22 count in ``tpr_columns``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..conventions import to_day
from ..model.codes import HearingFinding
from .clock_events import ClockContext, Days, Episodes, HeldHearings, Maybe, dates, earliest
from .dates import age_on, months_between
from .deadline_clocks import (
    case_plan,
    caseworker_visit,
    credit_report,
    periodic_review,
    permanency_hearing,
    prevent_removal_finding,
    reasonable_efforts_finding,
    relative_notice,
    tpr_petition,
    transition_plan,
    trial_home_visits,
)
from .deadline_rows import deadline_table
from .tpr_columns import Spans, tpr_counts
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
    """Every clock of every case of ``t`` on ``as_of``, as ``compute_clocks`` gives them.

    As there, a closed episode (discharged on or before as_of) is evaluated on its discharge
    date and its unmet deadlines become not applicable.
    """
    cases = t.frames["cases"]
    keys = cases["key"].to_numpy(dtype=np.int64)
    n = len(keys)
    on = to_day(as_of)
    removal = dates(cases["removal_date"]).day
    discharge = dates(cases["discharge_date"])
    closed = discharge.has & (discharge.day <= on)
    evaluated = np.where(closed, discharge.day, on)
    ep = Episodes(keys, removal, evaluated)
    hearings = HeldHearings(t.frames["hearings"], ep)
    defc = _defc(ep, dates(cases["first_adjudication_date"]), hearings, params["defc_days_after_removal"])
    ctx = ClockContext(t, ep, hearings, defc, params)
    spans = Spans.of(ep, t.frames["episodes"], t.frames["placements"])
    counts = tpr_counts(
        ep, discharge, defc, on, spans, params["tpr_months_in_care"], params["tpr_lookback_months"]
    )
    fixed = [
        case_plan(ctx),
        prevent_removal_finding(ctx),
        relative_notice(ctx),
        periodic_review(ctx),
        permanency_hearing(ctx),
        reasonable_efforts_finding(ctx),
        caseworker_visit(ctx),
        tpr_petition(ctx, counts.reached, counts.projected),
        transition_plan(ctx),
        credit_report(ctx),
    ]
    visits = trial_home_visits(ctx)
    fixed = [d.closed(closed, evaluated) for d in fixed]
    visits = visits.closed(closed, evaluated)

    birth = dates(cases["birth_date"])
    case = pd.DataFrame(
        {
            "key": keys,
            "removal_day": removal,
            "defc_day": defc,
            "age_years": pd.arrays.IntegerArray(age_on(birth.day, np.full(n, on)), ~birth.has),
            "months_since_removal": months_between(removal, np.full(n, on)),
            "months_since_defc": months_between(defc, np.full(n, on)),
            "tpr_months_in_care": counts.months,
        }
    )
    return ClockColumns(case, deadline_table(keys, fixed, visits))


def _defc(ep: Episodes, first_adjudication: Maybe, hearings: HeldHearings, defc_days: int) -> Days:
    """``clocks.entry.defc_known_on``: the earlier of adjudication and removal + ``defc_days``."""
    latest_defc = ep.removal + defc_days
    adjudicated = earliest(
        first_adjudication.where(first_adjudication.day <= ep.evaluated),
        hearings.first(hearings.finding(HearingFinding.ABUSE_NEGLECT_ADJUDICATED)),
    )
    return np.where(
        adjudicated.has, np.maximum(ep.removal, np.minimum(latest_defc, adjudicated.day)), latest_defc
    )
