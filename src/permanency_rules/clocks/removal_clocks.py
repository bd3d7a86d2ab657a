"""One-time deadlines that run from the removal date (not DEFC; domain.md 1.0)."""

from __future__ import annotations

from datetime import date

from ..model.codes import HearingFinding
from .context import Context, one_time_status
from .dates import add_days, plural
from .deadline import Deadline, DeadlineName


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


def case_plan(ctx: Context) -> Deadline:
    """Written case plan within 60 days of removal: 45 CFR 1356.21(g)(2). Met by the first plan."""
    dates = [p.date for p in ctx.case.case_plans if ctx.counts(p.date)]
    return _removal_deadline(
        ctx,
        DeadlineName.CASE_PLAN,
        ctx.params["case_plan_days"],
        min(dates, default=None),
        "45 CFR 1356.21(g)(2)",
    )


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
        "45 CFR 1356.21(b)(1)",
    )


def relative_notice(ctx: Context) -> Deadline:
    """Notice to adult relatives within 30 days of removal: 42 USC 671(a)(29)."""
    notice = ctx.case.relative_notice
    event = notice.date if notice is not None and ctx.counts(notice.date) else None
    return _removal_deadline(
        ctx,
        DeadlineName.RELATIVE_NOTICE,
        ctx.params["relative_notice_days"],
        event,
        "42 USC 671(a)(29)",
    )
