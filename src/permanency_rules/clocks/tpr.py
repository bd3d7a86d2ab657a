"""The 15-of-22 months rule: when the agency must file (or join) a petition to terminate rights.

42 USC 675(5)(E): a child "in foster care under the responsibility of the State for 15 of the
most recent 22 months" needs a TPR petition, unless an exception applies. Exceptions
(``tpr.exception``) are not applied here: the rules read them, so the clock stays a fact.

How time in care is counted (45 CFR 1356.21(i)(1) details are [R] in domain.md):

* The current episode counts from its DEFC (42 USC 675(5)(F)) to discharge or as_of.
* [R] A prior episode counts from its removal date to its discharge date: its DEFC cannot be
  rebuilt from the data we keep (no adjudication date is needed for closed episodes), and
  removal is the date the old episode's records carry. A prior episode with no discharge date
  ends when the current one begins.
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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from ..model.case import Case
from ..model.codes import NOT_IN_CARE_SETTINGS
from .context import Context, one_time_status, open_status
from .dates import add_days, add_months, month_parts, plural
from .deadline import Deadline, DeadlineName, DeadlineStatus

#: A day: a ``date`` here; an epoch-day ``int`` when ``columnar`` counts many cases at once.
D = TypeVar("D", date, int)

Interval = tuple[date, date]  # half-open [start, end)

CITATION = "42 USC 675(5)(E)"


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
    prior_episodes: Sequence[tuple[D, D | None]]  # (removal, discharge) of each prior episode
    not_in_care: Sequence[tuple[D, D | None]]  # (start, end) of runaway and trial-home-visit placements


def history_of(case: Case) -> CareHistory[date]:
    return CareHistory(
        removal=case.episode.removal_date,
        discharge=case.episode.discharge_date,
        prior_episodes=[(ep.removal_date, ep.discharge_date) for ep in case.prior_episodes],
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
    for removal, discharge in history.prior_episodes:
        end = discharge if discharge is not None else history.removal
        stretches.append((removal, min(end, until)))
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
        history_of(ctx.case), ctx.defc, ctx.as_of, on, ctx.params["tpr_lookback_months"]
    )


def tpr_petition(ctx: Context) -> Deadline:
    """TPR petition due on the day the child reaches 15 of the most recent 22 months in care:
    42 USC 675(5)(E). Met by a petition of this episode, or once every parent's rights are
    terminated."""
    threshold = ctx.params["tpr_months_in_care"]
    lookback = ctx.params["tpr_lookback_months"]
    window = ctx.due_soon_days
    rule = f"{plural(threshold, 'month')} in care of the most recent {lookback}"
    tpr = ctx.case.tpr
    petition = tpr.petition_date if tpr is not None else None
    if petition is not None and not ctx.counts(petition):
        petition = None

    reached, projected = DATE_COUNT.trigger(history_of(ctx.case), ctx.defc, ctx.as_of, threshold, lookback)
    due: date | None
    if reached is not None:
        due = reached
        basis = f"{rule} reached {reached.isoformat()}"
        status = one_time_status(reached, petition, ctx.as_of, window)
    else:
        due = projected
        if due is None:
            basis = f"{rule} not reached; not accruing (out of care, runaway or trial home visit)"
            status = DeadlineStatus.PENDING
        else:
            basis = f"{rule} projected {due.isoformat()} if care continues"
            status = open_status(due, ctx.as_of, window)
        if petition is not None:
            status = DeadlineStatus.MET
    last_event = petition

    terminated = [p.rights_terminated_date for p in ctx.case.parents]
    done = [d for d in terminated if d is not None and d <= ctx.as_of]
    if terminated and len(done) == len(terminated):
        status = DeadlineStatus.MET
        last_event = max(done)
        basis = f"{basis}; rights of every parent terminated by {last_event.isoformat()}"
    return Deadline(
        name=DeadlineName.TPR_PETITION,
        status=status,
        due_date=due,
        basis=basis,
        citation=CITATION,
        last_event=last_event,
    )
