"""Months in care for the 15-of-22 rule (42 USC 675(5)(E)), per case and for every case at once.

42 USC 675(5)(E): a child "in foster care under the responsibility of the State for 15 of the
most recent 22 months" needs a TPR petition, unless an exception applies (``clocks.care_months``).

How time in care is counted (45 CFR 1356.21(i)(1) details are [R] in domain.md):

* The current episode counts from its DEFC (42 USC 675(5)(F)) to discharge or as_of.
* A prior episode counts from its own date entered foster care to its discharge date
  (1356.21(i)(1)(i)(A) counts from the DEFC of 675(5)(F); R8): the earlier of its first
  adjudication and its removal + 60 days (at most removal + 60 when no adjudication is
  recorded). A prior episode with no discharge date ends when the current one begins.
* Days in a placement whose setting is runaway or trial home visit are not counted.
* Time is cumulative over every stretch inside the look-back window [D - 22 months, D).
* [R] Each stretch is converted to whole calendar months plus leftover days (relativedelta,
  month-end clamped). Leftover days of separate stretches are pooled and every 30 pooled days
  carry one month. Leftover days of a single stretch never carry on their own: they fall short
  of that stretch's next calendar month (30 days in a 31-day month is not a month), so one
  unbroken stretch counts exactly as calendar months and, for a child continuously in care,
  ``tpr_months_in_care`` equals the whole months since DEFC.

The trigger date is the earliest in-care day of the current episode on which the count reaches
15 months. Once reached, the obligation stands even if the sliding count later falls back
(prior months leave the window while pooled leftover days no longer make a month, and the
look-back start jumps at month ends: 22 months before Mar 1 and Feb 28 are three days apart).
Because the count is not monotone, a bisection could land on different days for different
as_of dates; searching day by day (with a safe skip, see ``first_reach``) finds the true
earliest date, so the trigger never moves once reached and the status is monotone in as_of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..model.case import Case
from ..model.codes import NOT_IN_CARE_SETTINGS
from .context import Context, Episodes
from .dates import (
    Days,
    Mask,
    Maybe,
    add_days,
    add_months,
    add_months_columns,
    day_add_days,
    day_add_months,
    day_column,
    day_month_parts,
    day_span,
    month_parts,
    months_between_columns,
)
from .entry import date_entered_foster_care

#: A day: a ``date`` here; an epoch-day ``int`` when ``columnar`` counts many cases at once.
D = TypeVar("D", date, int)

Interval = tuple[date, date]  # half-open [start, end)


@dataclass(frozen=True)
class Calendar(Generic[D]):
    """The calendar steps the count takes, on whatever stands for a day."""

    add_days: Callable[[D, int], D]
    add_months: Callable[[D, int], D]
    month_parts: Callable[[D, D], tuple[int, int]]
    days: Callable[[D, D], int]  # days from the first to the second


def _days_between(a: date, b: date) -> int:
    return (b - a).days


DATES: Calendar[date] = Calendar(add_days, add_months, month_parts, _days_between)


@dataclass(frozen=True)
class CareHistory(Generic[D]):
    """What the count reads of a case, as plain days (no ``Case`` needed)."""

    removal: D  # current episode
    discharge: D | None  # current episode
    prior_episodes: Sequence[tuple[D, D | None]]  # (DEFC, discharge) of each prior episode
    not_in_care: Sequence[tuple[D, D | None]]  # (start, end) of runaway and trial-home-visit placements


def history_of(case: Case, defc_days: int) -> CareHistory[date]:
    return CareHistory(
        removal=case.episode.removal_date,
        discharge=case.episode.discharge_date,
        prior_episodes=[
            (date_entered_foster_care(ep, defc_days), ep.discharge_date) for ep in case.prior_episodes
        ],
        not_in_care=[
            (p.start_date, p.end_date) for p in case.placements if p.setting in NOT_IN_CARE_SETTINGS
        ],
    )


def union(intervals: Iterable[tuple[D, D]]) -> list[tuple[D, D]]:
    """Sorted, disjoint union of half-open intervals (touching ones merge)."""
    out: list[tuple[D, D]] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def subtract(pieces: Sequence[tuple[D, D]], holes: Iterable[tuple[D, D]]) -> list[tuple[D, D]]:
    """``pieces`` (sorted, disjoint) minus every hole."""
    merged = union(holes)
    out: list[tuple[D, D]] = []
    for start, end in pieces:
        cur = start
        for h_start, h_end in merged:
            if h_start >= end:
                break
            if h_end <= cur:
                continue
            if h_start > cur:
                out.append((cur, h_start))
            cur = max(cur, h_end)
        if cur < end:
            out.append((cur, end))
    return out


def care_pieces(history: CareHistory[D], defc: D, until: D, current_end: D) -> list[tuple[D, D]]:
    """Counted in-care time known on ``until``: episodes minus runaway and trial home visits.

    ``current_end`` ends the current episode (``until``, or later to project continued care).
    """
    stretches: list[tuple[D, D]] = [(defc, current_end)]
    for entered, discharge in history.prior_episodes:
        end = discharge if discharge is not None else history.removal
        stretches.append((entered, min(end, until)))
    excluded = [(start, min(end if end is not None else until, until)) for start, end in history.not_in_care]
    return subtract(union(stretches), excluded)


def current_ranges(pieces: Sequence[tuple[D, D]], defc: D, first: D, last: D) -> list[tuple[D, D]]:
    """Closed day ranges [a, b] within [first, last] where the current episode is in care."""
    out: list[tuple[D, D]] = []
    for start, end in pieces:
        in_episode = max(start, defc)
        if in_episode >= end:
            continue  # time before this episode's DEFC (a prior episode)
        a, b = max(in_episode, first), min(end, last)
        if a <= b:
            out.append((a, b))
    return out


def accruing(history: CareHistory[D], as_of: D) -> bool:
    """The episode is open and the child is not on a trial home visit or run away today."""
    discharge = history.discharge
    if discharge is not None and discharge <= as_of:
        return False
    return not any(start <= as_of and (end is None or end > as_of) for start, end in history.not_in_care)


class CareCount(Generic[D]):
    """The count and its trigger date, with the calendar steps of ``calendar``."""

    def __init__(self, calendar: Calendar[D]) -> None:
        self.calendar: Calendar[D] = calendar

    def months_in_window(self, pieces: Sequence[tuple[D, D]], on: D, lookback: int) -> tuple[int, int]:
        """Whole months in care within [on - lookback months, on), and the raw number of days."""
        cal = self.calendar
        month_parts, days = cal.month_parts, cal.days
        window_start = cal.add_months(on, -lookback)
        months = leftover = raw = partial = 0
        for start, end in pieces:
            if start >= on:
                break
            # max(start, window_start) and min(end, on), without the calls: this runs often
            a = start if start > window_start else window_start
            b = end if end < on else on
            if a < b:
                m, d = month_parts(a, b)
                months += m
                leftover += d
                partial += d > 0
                raw += days(a, b)
        return months + (leftover // 30 if partial > 1 else 0), raw

    def first_reach(
        self, pieces: Sequence[tuple[D, D]], ranges: Sequence[tuple[D, D]], lookback: int, threshold: int
    ) -> D | None:
        """Earliest day D in the closed ``ranges`` on which the count reaches ``threshold``.

        Safe skip: a stretch of m whole months spans at least 30m - 2 days (Feb is the only
        month under 30), so reaching ``threshold`` months needs at least
        30*threshold - 2*len(pieces) days in the window, and the window gains at most one day
        per day. Days that cannot reach it are skipped, so only the last few weeks before the
        trigger are checked one by one.
        """
        slack = 2 * len(pieces)
        for lo, hi in ranges:
            d = lo
            while d <= hi:
                months, raw = self.months_in_window(pieces, d, lookback)
                if months >= threshold:
                    return d
                d = self.calendar.add_days(d, max(1, 30 * threshold - slack - raw))
        return None

    def months_in_care(self, history: CareHistory[D], defc: D, as_of: D, on: D, lookback: int) -> int:
        """Whole cumulative months in care (known on ``as_of``) in the window ending ``on``."""
        return self.months_in_window(care_pieces(history, defc, as_of, as_of), on, lookback)[0]

    def trigger(
        self, history: CareHistory[D], defc: D, as_of: D, threshold: int, lookback: int
    ) -> tuple[D | None, D | None]:
        """(reached, projected): the day the count reached ``threshold`` by ``as_of``; if none,
        the day it would reach it if the child stays in a counted setting (None if not
        accruing)."""
        pieces = care_pieces(history, defc, as_of, as_of)
        reached = self.first_reach(pieces, current_ranges(pieces, defc, defc, as_of), lookback, threshold)
        if reached is not None:
            return reached, None
        return None, self._projected(history, defc, as_of, threshold, lookback)

    def _projected(
        self, history: CareHistory[D], defc: D, as_of: D, threshold: int, lookback: int
    ) -> D | None:
        """The day the count would reach ``threshold`` if the child stays in a counted setting."""
        if not accruing(history, as_of):
            return None
        cal = self.calendar
        start = max(as_of, defc)
        horizon = cal.add_months(start, max(threshold, 0) + 1)
        pieces = care_pieces(history, defc, as_of, horizon)
        ranges = current_ranges(pieces, defc, cal.add_days(as_of, 1), horizon)
        return self.first_reach(pieces, ranges, lookback, threshold)


DATE_COUNT: CareCount[date] = CareCount(DATES)


def months_in_window(pieces: Sequence[Interval], on: date, lookback: int) -> tuple[int, int]:
    """Whole months in care within [on - lookback months, on), and the raw number of days."""
    return DATE_COUNT.months_in_window(pieces, on, lookback)


def first_reach(
    pieces: Sequence[Interval], ranges: Sequence[Interval], lookback: int, threshold: int
) -> date | None:
    """Earliest day in the closed ``ranges`` on which the count reaches ``threshold``."""
    return DATE_COUNT.first_reach(pieces, ranges, lookback, threshold)


def months_in_care(ctx: Context, on: date) -> int:
    """Whole cumulative months in care in the look-back window ending ``on``."""
    return DATE_COUNT.months_in_care(
        history_of(ctx.case, ctx.params["defc_days_after_removal"]),
        ctx.defc,
        ctx.as_of,
        on,
        ctx.params["tpr_lookback_months"],
    )


# -- column-wise -------------------------------------------------------------------------------
# The 15-of-22 months count (``clocks.care_months``) for every case.
#
# Most cases have one stretch of counted care: the current episode from DEFC, with no prior
# episode and no runaway or trial-home-visit placement. Then the count on any day D is the whole
# months from DEFC to D (the look-back window never cuts into it before the threshold is reached
# while threshold <= look-back), so the count reaches the threshold exactly on DEFC + threshold
# months. Those cases are computed column-wise. Every other case goes through ``clocks.care_months``'s own
# interval functions one by one, on epoch days with the column-wise calendar: there is one
# implementation of the interval logic.

#: ``clocks.care_months`` on epoch days, for the cases counted one by one.
DAY_COUNT: CareCount[int] = CareCount(Calendar(day_add_days, day_add_months, day_month_parts, day_span))


@dataclass(frozen=True)
class TprCounts:
    months: npt.NDArray[np.int64]  # whole months in care in the look-back window ending as_of
    reached: Maybe  # the day the count reached the threshold, by the evaluation date
    projected: Maybe  # else the day it would, if care continues (missing: not accruing)
    one_by_one: Mask  # cases counted through ``clocks.care_months`` one by one


@dataclass(frozen=True)
class Spans:
    """Stretches that break up care: prior episodes and not-in-care placements, by case row."""

    prior: dict[int, list[tuple[int, int | None]]]
    not_in_care: dict[int, list[tuple[int, int | None]]]

    @staticmethod
    def of(episodes: Episodes, prior: pd.DataFrame, placements: pd.DataFrame, defc_days: int) -> Spans:
        away = placements[placements["setting"].isin([s.value for s in NOT_IN_CARE_SETTINGS]).to_numpy(bool)]
        removal = day_column(prior["removal_date"]).day
        adjudicated = day_column(prior["first_adjudication_date"])
        latest = removal + defc_days  # each prior episode's DEFC (``entry.date_entered_foster_care``)
        entered = np.where(adjudicated.has, np.maximum(removal, np.minimum(latest, adjudicated.day)), latest)
        return Spans(
            _by_case(episodes, prior, entered, "discharge_date"),
            _by_case(episodes, away, day_column(away["start_date"]).day, "end_date"),
        )


def _by_case(
    episodes: Episodes, frame: pd.DataFrame, start: Days, end: str
) -> dict[int, list[tuple[int, int | None]]]:
    out: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    if len(frame) == 0:
        return out
    pos = episodes.positions(frame).tolist()
    starts = start.tolist()
    e = day_column(frame[end])
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
    window_start = add_months_columns(np.full(n, as_of, dtype=np.int64), -lookback)
    months = months_between_columns(np.maximum(defc, window_start), evaluated)
    trigger = add_months_columns(defc, threshold)
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
