"""Recurring court and review clocks: each runs from DEFC, then from the last qualifying event.

A recurring deadline is never "met": the next one falls due as soon as an event happens, so it
is overdue, due soon or pending, with ``last_event`` the latest qualifying event.
"""

from __future__ import annotations

from datetime import date

from ..model.codes import HearingFinding, HearingType
from .context import Context, open_status
from .dates import add_days, add_months, plural
from .deadline import Deadline, DeadlineName


def _from_last(ctx: Context, last: date | None, months: int, event_label: str) -> tuple[date, str]:
    """Due date and basis: the last event + ``months``, else DEFC + ``months``."""
    start, label = (last, event_label) if last is not None else (ctx.defc, "DEFC")
    return add_months(start, months), f"{label} {start.isoformat()} + {plural(months, 'month')}"


def periodic_review(ctx: Context) -> Deadline:
    """Court or administrative review at least every 6 months: 42 USC 675(5)(B), 675(6).

    [R] The statute gives no start; like CWPM and state practice, the first review runs from
    DEFC, later ones from the last held review (a review or permanency hearing also counts).
    """
    reviews = [r.date for r in ctx.case.reviews if not r.scheduled and ctx.counts(r.date)]
    reviews += ctx.hearing_dates(types=(HearingType.REVIEW, HearingType.PERMANENCY))
    last = max(reviews, default=None)
    due, basis = _from_last(ctx, last, ctx.params["periodic_review_months"], "last review")
    return Deadline(
        name=DeadlineName.PERIODIC_REVIEW,
        status=open_status(due, ctx.as_of, ctx.due_soon_days),
        due_date=due,
        basis=basis,
        citation="42 USC 675(5)(B)",
        last_event=last,
    )


def permanency_hearing(ctx: Context) -> Deadline:
    """Permanency hearing within 12 months of DEFC, then every 12 months: 42 USC 675(5)(C).

    When the court finds reasonable efforts to reunify not required, a permanency hearing is
    due within 30 days of that finding: 42 USC 671(a)(15)(E)(i). The first such finding not
    followed by a permanency hearing (on the same day or later) sets that earlier due date.
    """
    hearings = ctx.hearing_dates(types=(HearingType.PERMANENCY,))
    last = max(hearings, default=None)
    due, basis = _from_last(ctx, last, ctx.params["permanency_hearing_months"], "last permanency hearing")
    citation = "42 USC 675(5)(C)"
    unanswered = [
        d
        for d in ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED)
        if last is None or d > last
    ]
    if unanswered:
        days = ctx.params["aggravated_hearing_days"]
        aggravated = add_days(unanswered[0], days)
        if aggravated < due:
            due = aggravated
            basis = f"reasonable efforts not required {unanswered[0].isoformat()} + {plural(days, 'day')}"
            citation = "42 USC 671(a)(15)(E)(i)"
    return Deadline(
        name=DeadlineName.PERMANENCY_HEARING,
        status=open_status(due, ctx.as_of, ctx.due_soon_days),
        due_date=due,
        basis=basis,
        citation=citation,
        last_event=last,
    )


def reasonable_efforts_finding(ctx: Context) -> Deadline:
    """Judicial finding of reasonable efforts to finalize the permanency plan within 12 months
    of DEFC, then at least every 12 months: 45 CFR 1356.21(b)(2). It need not be made at a
    permanency hearing, so any held hearing with the finding counts."""
    findings = ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_FINALIZE)
    last = max(findings, default=None)
    due, basis = _from_last(ctx, last, ctx.params["reasonable_efforts_finalize_months"], "last finding")
    return Deadline(
        name=DeadlineName.REASONABLE_EFFORTS_FINDING,
        status=open_status(due, ctx.as_of, ctx.due_soon_days),
        due_date=due,
        basis=basis,
        citation="45 CFR 1356.21(b)(2)",
        last_event=last,
    )
