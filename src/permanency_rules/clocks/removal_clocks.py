"""One-time deadlines that run from the removal date (not DEFC; domain.md 1.0).

Each clock is written twice, side by side: per case on a ``Context`` and for every case at
once on a ``ClockContext`` (``*_columns``, dates as epoch days); ``tests/clocks`` holds them equal.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from ..model.codes import HearingFinding
from .context import ClockContext, Context, one_time_status, one_time_status_columns
from .dates import Maybe, add_days, iso, plural
from .deadline import Deadline, DeadlineColumns, DeadlineName, text
from .registry import register

CASE_PLAN = "45 CFR 1356.21(g)(2)"
PREVENT_REMOVAL = "45 CFR 1356.21(b)(1)"
RELATIVE_NOTICE = "42 USC 671(a)(29)"


def _removal_deadline(
    ctx: Context, name: DeadlineName, days: int, event: date | None, citation: str
) -> Deadline:
    due = add_days(ctx.removal, days)
    return Deadline(
        name=name,
        status=one_time_status(due, event, ctx.as_of, ctx.due_soon_days),
        due_date=due,
        basis=f"removal {ctx.removal.isoformat()} + {plural(days, 'day')}",
        citation=citation,
        last_event=event,
    )


def _removal_deadline_columns(
    ctx: ClockContext, name: DeadlineName, days: int, event: Maybe
) -> DeadlineColumns:
    due = ctx.removal + days
    return DeadlineColumns(
        name,
        one_time_status_columns(due, event, ctx.as_of, ctx.params["due_soon_days"]),
        Maybe(due, np.ones(ctx.n, dtype=bool)),
        event,
        text(ctx.n, "removal ", iso(ctx.removal), f" + {plural(days, 'day')}"),
    )


def case_plan(ctx: Context) -> Deadline:
    """Written case plan within 60 days of removal: 45 CFR 1356.21(g)(2). Met by the first plan."""
    dates = [p.date for p in ctx.case.case_plans if ctx.counts(p.date)]
    return _removal_deadline(
        ctx, DeadlineName.CASE_PLAN, ctx.params["case_plan_days"], min(dates, default=None), CASE_PLAN
    )


def case_plan_columns(ctx: ClockContext) -> DeadlineColumns:
    event = ctx.ep.first(ctx.t.frames["case_plans"])
    return _removal_deadline_columns(ctx, DeadlineName.CASE_PLAN, ctx.params["case_plan_days"], event)


def prevent_removal_finding(ctx: Context) -> Deadline:
    """Judicial finding of reasonable efforts to prevent removal (or that none were required)
    within 60 days of removal: 45 CFR 1356.21(b)(1). Missing it costs IV-E for the episode."""
    dates = ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL)
    dates += ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED)
    return _removal_deadline(
        ctx,
        DeadlineName.PREVENT_REMOVAL_FINDING,
        ctx.params["prevent_removal_finding_days"],
        min(dates, default=None),
        PREVENT_REMOVAL,
    )


def prevent_removal_finding_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    event = h.first(
        h.finding(HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL)
        | h.finding(HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED)
    )
    days = ctx.params["prevent_removal_finding_days"]
    return _removal_deadline_columns(ctx, DeadlineName.PREVENT_REMOVAL_FINDING, days, event)


def relative_notice(ctx: Context) -> Deadline:
    """Notice to adult relatives within 30 days of removal: 42 USC 671(a)(29)."""
    notice = ctx.case.relative_notice
    event = notice.date if notice is not None and ctx.counts(notice.date) else None
    return _removal_deadline(
        ctx, DeadlineName.RELATIVE_NOTICE, ctx.params["relative_notice_days"], event, RELATIVE_NOTICE
    )


def relative_notice_columns(ctx: ClockContext) -> DeadlineColumns:
    notice = ctx.case_date("relative_notice_date")
    event = notice.where(ctx.ep.counts(np.arange(ctx.n), notice))
    days = ctx.params["relative_notice_days"]
    return _removal_deadline_columns(ctx, DeadlineName.RELATIVE_NOTICE, days, event)


register(DeadlineName.CASE_PLAN, CASE_PLAN, case_plan, case_plan_columns)
register(
    DeadlineName.PREVENT_REMOVAL_FINDING,
    PREVENT_REMOVAL,
    prevent_removal_finding,
    prevent_removal_finding_columns,
)
register(DeadlineName.RELATIVE_NOTICE, RELATIVE_NOTICE, relative_notice, relative_notice_columns)
