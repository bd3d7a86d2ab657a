"""The 15-of-22 months count (``clocks.tpr``) for every case.

Most cases have one stretch of counted care: the current episode from DEFC, with no prior
episode and no runaway or trial-home-visit placement. Then the count on any day D is the whole
months from DEFC to D (the look-back window never cuts into it before the threshold is reached
while threshold <= look-back), so the count reaches the threshold exactly on DEFC + threshold
months. Those cases are computed column-wise. Every other case goes through ``clocks.tpr``'s own
interval functions one by one, on epoch days with the column-wise calendar: there is one
implementation of the interval logic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..clocks.tpr import Calendar, CareCount, CareHistory
from ..model.codes import NOT_IN_CARE_SETTINGS
from .clock_events import Days, Episodes, Mask, Maybe, dates
from .dates import add_months, day_add_days, day_add_months, day_month_parts, day_span, months_between

#: ``clocks.tpr`` on epoch days, for the cases counted one by one.
DAY_COUNT: CareCount[int] = CareCount(Calendar(day_add_days, day_add_months, day_month_parts, day_span))


@dataclass(frozen=True)
class TprCounts:
    months: npt.NDArray[np.int64]  # whole months in care in the look-back window ending as_of
    reached: Maybe  # the day the count reached the threshold, by the evaluation date
    projected: Maybe  # else the day it would, if care continues (missing: not accruing)
    one_by_one: Mask  # cases counted through ``clocks.tpr`` one by one


@dataclass(frozen=True)
class Spans:
    """Stretches that break up care: prior episodes and not-in-care placements, by case row."""

    prior: dict[int, list[tuple[int, int | None]]]
    not_in_care: dict[int, list[tuple[int, int | None]]]

    @staticmethod
    def of(episodes: Episodes, prior: pd.DataFrame, placements: pd.DataFrame) -> Spans:
        away = placements[placements["setting"].isin([s.value for s in NOT_IN_CARE_SETTINGS]).to_numpy(bool)]
        return Spans(
            _by_case(episodes, prior, "removal_date", "discharge_date"),
            _by_case(episodes, away, "start_date", "end_date"),
        )


def _by_case(
    episodes: Episodes, frame: pd.DataFrame, start: str, end: str
) -> dict[int, list[tuple[int, int | None]]]:
    out: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    if len(frame) == 0:
        return out
    pos = episodes.positions(frame).tolist()
    starts = dates(frame[start]).day.tolist()
    e = dates(frame[end])
    ends = np.where(e.has, e.day, -1).tolist()
    has_end = e.has.tolist()
    for p, s, d, h in zip(pos, starts, ends, has_end, strict=True):
        out[p].append((s, d if h else None))
    return out


def tpr_counts(
    episodes: Episodes,
    discharge: Maybe,
    defc: Days,
    as_of: int,
    spans: Spans,
    threshold: int,
    lookback: int,
) -> TprCounts:
    n = episodes.n
    evaluated = episodes.evaluated
    one_by_one = np.zeros(n, dtype=bool)
    one_by_one[list(spans.prior)] = True
    one_by_one[list(spans.not_in_care)] = True
    if not 1 <= threshold <= lookback:  # outside what the one-stretch shortcut was checked for
        one_by_one[:] = True

    # One stretch [DEFC, evaluation date): see the module docstring.
    window_start = add_months(np.full(n, as_of, dtype=np.int64), -lookback)
    months = months_between(np.maximum(defc, window_start), evaluated)
    trigger = add_months(defc, threshold)
    reached_has = (defc < evaluated) & (trigger <= evaluated)
    closed = discharge.has & (discharge.day <= evaluated)
    projected_has = ~reached_has & ~closed
    reached = Maybe(np.where(reached_has, trigger, 0), reached_has)
    projected = Maybe(np.where(projected_has, trigger, 0), projected_has)

    for i in np.flatnonzero(one_by_one).tolist():
        history = CareHistory(
            removal=int(episodes.removal[i]),
            discharge=int(discharge.day[i]) if discharge.has[i] else None,
            prior_episodes=spans.prior.get(i, []),
            not_in_care=spans.not_in_care.get(i, []),
        )
        d, e = int(defc[i]), int(evaluated[i])
        months[i] = DAY_COUNT.months_in_care(history, d, e, as_of, lookback)
        hit, ahead = DAY_COUNT.trigger(history, d, e, threshold, lookback)
        reached.has[i], reached.day[i] = hit is not None, hit or 0
        projected.has[i], projected.day[i] = ahead is not None, ahead or 0
    return TprCounts(months, reached, projected, one_by_one)
