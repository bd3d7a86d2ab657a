"""The TPR petition deadline: due when the child reaches 15 of the most recent 22 months in care.

42 USC 675(5)(E); the count itself is ``clocks.care_months``. Per case (``tpr_petition``) and
for every case at once (``tpr_petition_columns``).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from .care_months import DATE_COUNT, history_of
from .context import (
    ClockContext,
    Context,
    count,
    last,
    one_time_status,
    one_time_status_columns,
    open_status,
    open_status_columns,
)
from .dates import Maybe, iso, plural
from .deadline import STATUS_CODE, Deadline, DeadlineColumns, DeadlineName, DeadlineStatus, choose, text
from .registry import register

CITATION = "42 USC 675(5)(E)"
_MET, _PENDING = STATUS_CODE[DeadlineStatus.MET], STATUS_CODE[DeadlineStatus.PENDING]


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


def tpr_petition_columns(ctx: ClockContext) -> DeadlineColumns:
    reached, projected = ctx.care.reached, ctx.care.projected
    threshold = ctx.params["tpr_months_in_care"]
    lookback = ctx.params["tpr_lookback_months"]
    window = ctx.params["due_soon_days"]
    rule = f"{plural(threshold, 'month')} in care of the most recent {lookback}"
    filed = ctx.case_date("tpr_petition_date")
    petition = filed.where(ctx.ep.counts(np.arange(ctx.n), filed))

    due = Maybe(np.where(reached.has, reached.day, projected.day), reached.has | projected.has)
    open_ = np.where(projected.has, open_status_columns(projected.day, ctx.as_of, window), _PENDING)
    open_ = np.where(petition.has, _MET, open_)
    status = np.where(reached.has, one_time_status_columns(reached.day, petition, ctx.as_of, window), open_)
    basis = choose(
        reached.has,
        text(ctx.n, f"{rule} reached ", iso(reached.day)),
        choose(
            projected.has,
            text(ctx.n, f"{rule} projected ", iso(projected.day), " if care continues"),
            f"{rule} not reached; not accruing (out of care, runaway or trial home visit)",
        ),
    )

    parents = ctx.t.frames["parents"]
    pos, terminated = ctx.ep.dated(parents, "rights_terminated_date")
    done = terminated.has & (terminated.day <= ctx.as_of[pos])
    every = (count(ctx.n, pos) > 0) & (count(ctx.n, pos, done) == count(ctx.n, pos))
    by = last(ctx.n, pos, terminated.day, done)
    if every.any():
        status = np.where(every, _MET, status)
        basis = choose(
            every, text(ctx.n, basis, "; rights of every parent terminated by ", iso(by.day)), basis
        )
    last_event = Maybe(np.where(every, by.day, petition.day), np.where(every, by.has, petition.has))
    return DeadlineColumns(DeadlineName.TPR_PETITION, status.astype(np.int8), due, last_event, basis)


register(DeadlineName.TPR_PETITION, CITATION, tpr_petition, tpr_petition_columns)
