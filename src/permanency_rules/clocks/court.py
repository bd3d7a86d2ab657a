"""Recurring court and review clocks: each runs from DEFC, then from the last qualifying event.

A recurring deadline is never "met": the next one falls due as soon as an event happens, so it
is overdue, due soon or pending, with ``last_event`` the latest qualifying event; or
``scheduled`` when a qualifying hearing or review is calendared on or before the due date (one
hearing on the calendar answers the review, the permanency hearing and the finding at once: R1). Each clock
is written per case (``Context``) and, beside it, for every case at once (``*_columns``).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np

from ..model.codes import HearingFinding, HearingType
from .context import (
    ClockContext,
    Context,
    latest,
    open_status,
    open_status_columns,
    with_calendar,
    with_calendar_columns,
)
from .dates import Maybe, add_days, add_months, add_months_columns, iso, plural
from .deadline import STATUS_CODE, Deadline, DeadlineColumns, DeadlineName, DeadlineStatus, choose, text
from .registry import Tickler, register

PERIODIC_REVIEW = "42 USC 675(5)(B)"
PERMANENCY_HEARING = "42 USC 675(5)(C)"
AGGRAVATED_HEARING = "42 USC 671(a)(15)(E)(i)"
EFFORTS_FINALIZE = "45 CFR 1356.21(b)(2)"

#: Calendared hearings that answer each clock (reviews, too, for the periodic review).
_REVIEW_TYPES = (HearingType.REVIEW, HearingType.PERMANENCY)
_PERMANENCY_TYPES = (HearingType.PERMANENCY,)
#: The finding on efforts to finalize can be made at any review or permanency hearing.
_FINDING_TYPES = (HearingType.REVIEW, HearingType.PERMANENCY)


def _from_last(ctx: Context, last: date | None, months: int, event_label: str) -> tuple[date, str]:
    """Due date and basis: the last event + ``months``, else DEFC + ``months``."""
    start, label = (last, event_label) if last is not None else (ctx.defc, "DEFC")
    return add_months(start, months), f"{label} {start.isoformat()} + {plural(months, 'month')}"


def _from_last_columns(
    ctx: ClockContext, name: DeadlineName, last_event: Maybe, months: int, label: str
) -> DeadlineColumns:
    """A recurring clock for every case: due ``months`` after the last event, else after DEFC."""
    start = last_event.or_else(ctx.defc)
    due = add_months_columns(start, months)
    basis = text(
        ctx.n, choose(last_event.has, label, "DEFC"), " ", iso(start), f" + {plural(months, 'month')}"
    )
    status = open_status_columns(due, ctx.as_of, ctx.params["due_soon_days"])
    return DeadlineColumns(name, status, Maybe(due, np.ones(ctx.n, dtype=bool)), last_event, basis)


def periodic_review(ctx: Context) -> Deadline:
    """Court or administrative review at least every 6 months: 42 USC 675(5)(B), 675(6).

    [R] The statute gives no start; like CWPM and state practice, the first review runs from
    DEFC, later ones from the last held review (a review or permanency hearing also counts).
    """
    reviews = [r.date for r in ctx.case.reviews if not r.scheduled and ctx.counts(r.date)]
    reviews += ctx.hearing_dates(types=(HearingType.REVIEW, HearingType.PERMANENCY))
    last = max(reviews, default=None)
    due, basis = _from_last(ctx, last, ctx.params["periodic_review_months"], "last review")
    return _calendar(
        ctx,
        Deadline(
            name=DeadlineName.PERIODIC_REVIEW,
            status=open_status(due, ctx.as_of, ctx.due_soon_days),
            due_date=due,
            basis=basis,
            citation=PERIODIC_REVIEW,
            last_event=last,
        ),
        _REVIEW_TYPES,
        reviews=True,
    )


def _calendar(
    ctx: Context, d: Deadline, types: tuple[HearingType, ...], *, reviews: bool = False
) -> Deadline:
    """``d``, ``scheduled`` if a qualifying hearing (or review) is calendared by its due date."""
    assert d.due_date is not None
    on = ctx.calendared(d.due_date, types=types, reviews=reviews)
    status = with_calendar(d.status, on)
    if status is d.status:
        return d
    return dataclasses.replace(d, status=status, scheduled_date=on)


def permanency_hearing(ctx: Context) -> Deadline:
    """Permanency hearing within 12 months of DEFC, then every 12 months: 42 USC 675(5)(C).

    When the court finds reasonable efforts to reunify not required, a permanency hearing is
    due within 30 days of that finding: 42 USC 671(a)(15)(E)(i). The first such finding not
    followed by a permanency hearing (on the same day or later) sets that earlier due date.
    """
    hearings = ctx.hearing_dates(types=(HearingType.PERMANENCY,))
    last = max(hearings, default=None)
    due, basis = _from_last(ctx, last, ctx.params["permanency_hearing_months"], "last permanency hearing")
    citation = PERMANENCY_HEARING
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
            citation = AGGRAVATED_HEARING
    return _calendar(
        ctx,
        Deadline(
            name=DeadlineName.PERMANENCY_HEARING,
            status=open_status(due, ctx.as_of, ctx.due_soon_days),
            due_date=due,
            basis=basis,
            citation=citation,
            last_event=last,
        ),
        _PERMANENCY_TYPES,
    )


def reasonable_efforts_finding(ctx: Context) -> Deadline:
    """Judicial finding of reasonable efforts to finalize the permanency plan within 12 months
    of DEFC, then at least every 12 months: 45 CFR 1356.21(b)(2). It need not be made at a
    permanency hearing, so any held hearing with the finding counts."""
    findings = ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_FINALIZE)
    last = max(findings, default=None)
    due, basis = _from_last(ctx, last, ctx.params["reasonable_efforts_finalize_months"], "last finding")
    return _calendar(
        ctx,
        Deadline(
            name=DeadlineName.REASONABLE_EFFORTS_FINDING,
            status=open_status(due, ctx.as_of, ctx.due_soon_days),
            due_date=due,
            basis=basis,
            citation=EFFORTS_FINALIZE,
            last_event=last,
        ),
        _FINDING_TYPES,
    )


def periodic_review_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    reviews = latest(
        ctx.ep.last(ctx.t.frames["reviews"], held_only=True),
        h.last(h.of_type((HearingType.REVIEW, HearingType.PERMANENCY))),
    )
    months = ctx.params["periodic_review_months"]
    d = _from_last_columns(ctx, DeadlineName.PERIODIC_REVIEW, reviews, months, "last review")
    return _calendar_columns(ctx, d, _REVIEW_TYPES, reviews=True)


def _calendar_columns(
    ctx: ClockContext, d: DeadlineColumns, types: tuple[HearingType, ...], *, reviews: bool = False
) -> DeadlineColumns:
    on = ctx.calendared(d.due.day, types=types, reviews=reviews)
    status = with_calendar_columns(d.status, on)
    return dataclasses.replace(
        d, status=status, scheduled=on.where(status == STATUS_CODE[DeadlineStatus.SCHEDULED])
    )


def permanency_hearing_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    held = h.last(h.of_type((HearingType.PERMANENCY,)))
    months = ctx.params["permanency_hearing_months"]
    d = _from_last_columns(ctx, DeadlineName.PERMANENCY_HEARING, held, months, "last permanency hearing")
    after_last = ~held.has[h.pos] | (h.day > held.day[h.pos])
    unanswered = h.first(h.finding(HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED) & after_last)
    days = ctx.params["aggravated_hearing_days"]
    aggravated = unanswered.day + days
    sooner = unanswered.has & (aggravated < d.due.day)
    if not sooner.any():
        return _calendar_columns(ctx, d, _PERMANENCY_TYPES)
    due = np.where(sooner, aggravated, d.due.day)
    why = text(ctx.n, "reasonable efforts not required ", iso(unanswered.day), f" + {plural(days, 'day')}")
    status = open_status_columns(due, ctx.as_of, ctx.params["due_soon_days"])
    d = DeadlineColumns(d.name, status, Maybe(due, d.due.has), held, choose(sooner, why, d.basis))
    return _calendar_columns(ctx, d, _PERMANENCY_TYPES)


def reasonable_efforts_finding_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    found = h.last(h.finding(HearingFinding.REASONABLE_EFFORTS_FINALIZE))
    months = ctx.params["reasonable_efforts_finalize_months"]
    d = _from_last_columns(ctx, DeadlineName.REASONABLE_EFFORTS_FINDING, found, months, "last finding")
    return _calendar_columns(ctx, d, _FINDING_TYPES)


register(
    DeadlineName.PERIODIC_REVIEW,
    PERIODIC_REVIEW,
    periodic_review,
    periodic_review_columns,
    Tickler(
        "DEFC, then each held review or review/permanency hearing",
        "`periodic_review_months` after the last one (or DEFC)",
        "`due_soon_days`",
        "a held review, which starts the next",
    ),
)
register(
    DeadlineName.PERMANENCY_HEARING,
    PERMANENCY_HEARING,
    permanency_hearing,
    permanency_hearing_columns,
    Tickler(
        "DEFC, then each held permanency hearing; a finding that efforts are not required",
        "`permanency_hearing_months` after the last one (or DEFC); `aggravated_hearing_days` after "
        "an unanswered not-required finding, if sooner",
        "`due_soon_days`",
        "a held permanency hearing, which starts the next",
    ),
)
register(
    DeadlineName.REASONABLE_EFFORTS_FINDING,
    EFFORTS_FINALIZE,
    reasonable_efforts_finding,
    reasonable_efforts_finding_columns,
    Tickler(
        "DEFC, then each finding of efforts to finalize",
        "`reasonable_efforts_finalize_months` after the last finding (or DEFC)",
        "`due_soon_days`",
        "a held hearing with the finding, which starts the next",
    ),
)
