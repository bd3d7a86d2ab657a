"""Monthly caseworker visit: at least one visit in each calendar month in care.

Two views of one duty. Looking ahead, the deadline of the next visit (``caseworker_visit``).
Looking back, month by month over a review window (``visit_months``, R15): the complete
calendar months in care, those before the latest visit that had none (months after it are the
open deadline's, so no month is reported twice), and how many visits were in the child's
residence. Per case and for every case at once (``*_columns``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from .context import ClockContext, Context, count, open_status, open_status_columns
from .dates import (
    Maybe,
    add_months,
    add_months_columns,
    day_of_month_columns,
    end_of_month,
    end_of_month_columns,
    iso,
    month_index,
    plural,
)
from .deadline import Deadline, DeadlineColumns, DeadlineName, choose, text
from .registry import Tickler, register

CITATION = "42 USC 624(f)(1)(A)"

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class VisitMonths:
    """Caseworker visits month by month over the last ``caseworker_visit_review_months``
    complete calendar months (42 USC 622(b)(17), 624(f)(1)(A), (2)(A); OSRI Item 14)."""

    months_in_care: int  # complete calendar months in care in the window (in care from the 1st)
    missed: int  # of those, months before the latest visit's month with no visit
    visits: int  # visits in the window (the evaluation month included)
    in_residence: int  # of those, in the child's residence


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


def visit_months(ctx: Context) -> VisitMonths:
    """R15: a visit is due in each calendar month in care. A month counts when the child was in
    care all of it (as the federal measure counts full months); the evaluation month is not
    over, so it never counts as missed."""
    window = ctx.params["caseworker_visit_review_months"]
    end = _month(ctx.as_of)  # the first month not complete
    lo = max(_month(ctx.removal) + (ctx.removal.day > 1), end - window)
    dated = [(v.date, v.in_residence) for v in ctx.case.caseworker_visits if ctx.counts(v.date)]
    seen = {_month(d) for d, _r in dated}
    latest = max(seen, default=lo)  # no visit at all: the open deadline says so, nothing missed
    recent = [r for d, r in dated if _month(d) >= end - window]
    return VisitMonths(
        months_in_care=max(end - lo, 0),
        missed=sum(1 for m in range(lo, min(latest, end)) if m not in seen),
        visits=len(recent),
        in_residence=sum(recent),
    )


@dataclass(frozen=True)
class VisitMonthColumns:
    """``VisitMonths`` of every case (one row per case row)."""

    months_in_care: Ints
    missed: Ints
    visits: Ints
    in_residence: Ints


def visit_months_columns(ctx: ClockContext) -> VisitMonthColumns:
    window = ctx.params["caseworker_visit_review_months"]
    frame = ctx.t.frames["caseworker_visits"]
    end = month_index(ctx.as_of)
    lo = np.maximum(month_index(ctx.removal) + (day_of_month_columns(ctx.removal) > 1), end - window)
    pos, day = ctx.ep.dated(frame)
    ok = ctx.ep.counts(pos, day)
    p, m = pos[ok], month_index(day.day[ok])
    resident = frame["in_residence"].to_numpy(dtype=bool)[ok]
    latest = np.full(ctx.n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(latest, p, m)
    latest = np.where(latest == np.iinfo(np.int64).min, lo, latest)
    upto = np.minimum(latest, end)
    inside = (m >= lo[p]) & (m < upto[p])
    stride = np.int64(1 << 32)  # one code per (case row, month): months are well under 2**31
    visited = np.unique(p[inside].astype(np.int64) * stride + (m[inside] - lo[p][inside]))
    recent = m >= (end - window)[p]
    return VisitMonthColumns(
        months_in_care=np.maximum(end - lo, 0).astype(np.int64),
        missed=np.maximum(upto - lo, 0) - count(ctx.n, (visited // stride).astype(np.intp)),
        visits=count(ctx.n, p, recent),
        in_residence=count(ctx.n, p, recent & resident),
    )


def caseworker_visit(ctx: Context) -> Deadline:
    """Next caseworker visit: 42 USC 624(f)(1)(A), 622(b)(17).

    A visit is due in every calendar month, so after a visit the next one is due by the last
    day of the following month (``caseworker_visit_months`` = 1).
    [R] Before any visit: a child removed on or before the 15th must be seen by the end of the
    removal month; one removed later, by the end of the next month. Half a month is the shortest
    stretch we count as a "month in care" (the federal measure counts full months only; a
    removal on the 28th would otherwise be overdue within days).
    """
    months = ctx.params["caseworker_visit_months"]
    visits = [v.date for v in ctx.case.caseworker_visits if ctx.counts(v.date)]
    last = max(visits, default=None)
    if last is not None:
        due = end_of_month(add_months(last, months))
        basis = f"last visit {last.isoformat()}: end of the month {plural(months, 'month')} later"
    else:
        step = months - 1 if ctx.removal.day <= 15 else months
        due = end_of_month(add_months(ctx.removal, step))
        later = "the removal month" if step == 0 else f"the month {plural(step, 'month')} later"
        basis = f"removal {ctx.removal.isoformat()}, no visit yet: end of {later}"
    return Deadline(
        name=DeadlineName.CASEWORKER_VISIT,
        status=open_status(due, ctx.as_of, ctx.params["caseworker_visit_due_soon_days"]),
        due_date=due,
        basis=basis,
        citation=CITATION,
        last_event=last,
    )


def caseworker_visit_columns(ctx: ClockContext) -> DeadlineColumns:
    months = ctx.params["caseworker_visit_months"]
    visit = ctx.ep.last(ctx.t.frames["caseworker_visits"])
    after_visit = end_of_month_columns(add_months_columns(visit.day, months))
    early = day_of_month_columns(ctx.removal) <= 15
    step = np.where(early, months - 1, months)
    no_visit = end_of_month_columns(add_months_columns(ctx.removal, step))
    due = np.where(visit.has, after_visit, no_visit)

    def later(step: int) -> str:
        return "the removal month" if step == 0 else f"the month {plural(step, 'month')} later"

    basis = choose(
        visit.has,
        text(ctx.n, "last visit ", iso(visit.day), f": end of the month {plural(months, 'month')} later"),
        text(
            ctx.n,
            "removal ",
            iso(ctx.removal),
            ", no visit yet: end of ",
            choose(early, later(months - 1), later(months)),
        ),
    )
    status = open_status_columns(due, ctx.as_of, ctx.params["caseworker_visit_due_soon_days"])
    return DeadlineColumns(
        DeadlineName.CASEWORKER_VISIT, status, Maybe(due, np.ones(ctx.n, dtype=bool)), visit, basis
    )


register(
    DeadlineName.CASEWORKER_VISIT,
    CITATION,
    caseworker_visit,
    caseworker_visit_columns,
    Tickler(
        "removal, then each visit",
        "the end of the month after the last visit (before any: the removal month, or the next)",
        "`caseworker_visit_due_soon_days`",
        "a visit, which starts the next",
    ),
)
