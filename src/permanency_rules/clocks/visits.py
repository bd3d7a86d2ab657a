"""Monthly caseworker visit: at least one visit in each calendar month in care.

Per case (``caseworker_visit``) and for every case at once (``caseworker_visit_columns``).
"""

from __future__ import annotations

import numpy as np

from .context import ClockContext, Context, open_status, open_status_columns
from .dates import (
    Maybe,
    add_months,
    add_months_columns,
    day_of_month_columns,
    end_of_month,
    end_of_month_columns,
    iso,
    plural,
)
from .deadline import Deadline, DeadlineColumns, DeadlineName, choose, text
from .registry import Tickler, register

CITATION = "42 USC 624(f)(1)(A)"


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
