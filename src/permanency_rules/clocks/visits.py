"""Monthly caseworker visit: at least one visit in each calendar month in care."""

from __future__ import annotations

from .context import Context, open_status
from .dates import add_months, end_of_month, plural
from .deadline import Deadline, DeadlineName


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
        citation="42 USC 624(f)(1)(A)",
        last_event=last,
    )
