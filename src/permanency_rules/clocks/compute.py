"""Run every clock for one case on one date (``compute_clocks``), or for every case of a set of
typed tables at once (``column_clocks``): both run the one list of deadlines, ``registry.CLOCKS``.

Pure and deterministic: no clock reads today's date, and each one picks events by date (min or
max), never by list position, so shuffling the case's lists cannot change the result. The
per-case clocks are the reference; ``tests/clocks`` holds the columns equal to them case by case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..columnar.typed import Typed
from ..conventions import to_day
from ..model.case import Case

# Importing the clock modules registers their clocks (the order does not matter: both sort).
from . import court, eligibility, removal_clocks, tpr, trial_home_visit, visits, youth  # noqa: F401
from .care_months import Spans, months_in_care, tpr_counts
from .context import ClockContext, Context, Episodes, HeldHearings
from .dates import age_on, age_on_columns, day_column, months_between, months_between_columns
from .deadline import OPEN_STATUSES, Deadline, DeadlineColumns, DeadlineStatus, deadline_table
from .entry import defc_columns, defc_known_on
from .registry import CLOCKS
from .visits import VisitMonths, visit_months, visit_months_columns

_PER_CASE = tuple(c for c in CLOCKS if not c.per_item)
_PER_ITEM = tuple(c for c in CLOCKS if c.per_item)
if len(_PER_ITEM) != 1 or any(c.name.value > _PER_ITEM[0].name.value for c in _PER_CASE):
    raise RuntimeError("deadline_table lays out one per-item clock, sorting after every other name")


@dataclass(frozen=True)
class Clocks:
    as_of: date
    removal_date: date  # current episode removal
    defc: date  # date entered foster care (42 USC 675(5)(F)), as known on as_of
    age_years: int | None  # whole years at as_of; None if birth_date unknown
    months_since_removal: int  # whole calendar months removal -> as_of (0 if negative)
    months_since_defc: int  # whole calendar months defc -> as_of (0 if before defc)
    tpr_months_in_care: int  # whole cumulative months in care in the most recent 22 months
    deadlines: tuple[Deadline, ...]  # sorted by (name, subject or "", due_date or date.max)
    visits: VisitMonths  # caseworker visits month by month over the review window (R15)


def compute_clocks(case: Case, as_of: date, params: Mapping[str, int]) -> Clocks:
    """Every clock of ``case`` on ``as_of`` with resolved parameter values.

    A closed episode (discharged on or before as_of) is evaluated on its discharge date, and
    every deadline still open (``OPEN_STATUSES``) becomes not applicable: a closed case has no
    open deadlines; final statuses (met, missed, excepted ...) stay.
    [R] A discharge date after as_of has not happened yet: the case is open on as_of.
    """
    discharge = case.episode.discharge_date
    closed = discharge is not None and discharge <= as_of
    effective = discharge if discharge is not None and closed else as_of
    removal = case.episode.removal_date
    defc = defc_known_on(case, effective, params["defc_days_after_removal"])
    ctx = Context(case=case, as_of=effective, removal=removal, defc=defc, params=params)

    deadlines: list[Deadline] = []
    for clock in CLOCKS:
        out = clock.per_case(ctx)
        if isinstance(out, list):
            deadlines += out
        else:
            deadlines.append(out)
    if closed:
        deadlines = [_close(d, effective) for d in deadlines]
    deadlines.sort(key=lambda d: (d.name.value, d.subject or "", d.due_date or date.max))

    birth = case.child.birth_date
    return Clocks(
        as_of=as_of,
        removal_date=removal,
        defc=defc,
        age_years=age_on(birth, as_of) if birth is not None else None,
        months_since_removal=months_between(removal, as_of),
        months_since_defc=months_between(defc, as_of),
        tpr_months_in_care=months_in_care(ctx, as_of),
        deadlines=tuple(deadlines),
        visits=visit_months(ctx),
    )


def _close(deadline: Deadline, discharged: date) -> Deadline:
    if deadline.status not in OPEN_STATUSES:
        # a closed episode: nothing will start to apply later
        return deadline if deadline.applies_from is None else dataclasses.replace(deadline, applies_from=None)
    return dataclasses.replace(
        deadline,
        status=DeadlineStatus.NOT_APPLICABLE,
        basis=f"{deadline.basis}; episode closed {discharged.isoformat()}",
    )


@dataclass
class ClockColumns:
    """Clocks of the cases in ``Typed.frames['cases']`` (same row order).

    ``case`` columns: key, removal_day, defc_day (int64 epoch days), age_years (Int64, NA when
    the birth date is unknown), months_since_removal, months_since_defc, tpr_months_in_care
    and the ``VisitMonths`` counts as ``visit_<field>`` (int64). ``deadlines``: one row per
    deadline with key, name, status (str), due_day and
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
    removal = day_column(cases["removal_date"]).day
    discharge = day_column(cases["discharge_date"])
    closed = discharge.has & (discharge.day <= on)
    evaluated = np.where(closed, discharge.day, on)
    ep = Episodes(keys, removal, evaluated)
    hearings = HeldHearings(t.frames["hearings"], ep)
    defc = defc_columns(
        ep, day_column(cases["first_adjudication_date"]), hearings, params["defc_days_after_removal"]
    )
    spans = Spans.of(ep, t.frames["episodes"], t.frames["placements"], params["defc_days_after_removal"])
    counts = tpr_counts(
        ep, discharge, defc, on, spans, params["tpr_months_in_care"], params["tpr_lookback_months"]
    )
    ctx = ClockContext(t, ep, hearings, defc, params, counts)
    fixed: list[DeadlineColumns] = [c.columns(ctx).closed(closed, evaluated) for c in _PER_CASE]
    items = _PER_ITEM[0].columns(ctx).closed(closed, evaluated)

    birth = day_column(cases["birth_date"])
    case = pd.DataFrame(
        {
            "key": keys,
            "removal_day": removal,
            "defc_day": defc,
            "age_years": pd.arrays.IntegerArray(age_on_columns(birth.day, np.full(n, on)), ~birth.has),
            "months_since_removal": months_between_columns(removal, np.full(n, on)),
            "months_since_defc": months_between_columns(defc, np.full(n, on)),
            "tpr_months_in_care": counts.months,
            **{f"visit_{k}": v for k, v in vars(visit_months_columns(ctx)).items()},
        }
    )
    return ClockColumns(case, deadline_table(keys, fixed, items))
