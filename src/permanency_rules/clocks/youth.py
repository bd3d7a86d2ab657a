"""Clocks for older youth: the transition plan and yearly credit reports. Both need the birth
date; without it they are not applicable rather than guessed. Each is written per case and,
beside it, for every case at once (``*_columns``)."""

from __future__ import annotations

import numpy as np

from .context import (
    ClockContext,
    Context,
    last,
    one_time_status,
    one_time_status_columns,
    open_status,
    open_status_columns,
)
from .dates import (
    Maybe,
    add_days,
    add_months,
    add_months_columns,
    age_on,
    age_on_columns,
    birthday,
    iso,
    plural,
)
from .deadline import STATUS_CODE, Deadline, DeadlineColumns, DeadlineName, DeadlineStatus, choose, text
from .registry import Tickler, register

TRANSITION_PLAN = "42 USC 675(5)(H)"
CREDIT_REPORT = "42 USC 675(5)(I)"
_NOT_APPLICABLE = STATUS_CODE[DeadlineStatus.NOT_APPLICABLE]


def transition_plan(ctx: Context) -> Deadline:
    """Transition plan built during the 90 days before the transition age: 42 USC 675(5)(H).

    Due on the birthday at ``transition_age`` (18, or the age the state elected). A plan dated
    inside the 90-day window counts (met); one after the birthday is late; one before the
    window opened is too early to be the transition plan and does not count.
    """
    citation = TRANSITION_PLAN
    birth = ctx.case.child.birth_date
    age = ctx.params["transition_age"]
    if birth is None:
        return Deadline(
            name=DeadlineName.TRANSITION_PLAN,
            status=DeadlineStatus.NOT_APPLICABLE,
            due_date=None,
            basis="birth date unknown",
            citation=citation,
        )
    window = ctx.params["transition_plan_days"]
    due = birthday(birth, age)
    opens = add_days(due, -window)
    plan = ctx.case.transition_plan
    event = plan.date if plan is not None and ctx.counts(plan.date) and plan.date >= opens else None
    early = ctx.as_of < opens  # R17: not a tickler item until its window opens
    return Deadline(
        name=DeadlineName.TRANSITION_PLAN,
        status=DeadlineStatus.NOT_APPLICABLE if early else one_time_status(due, event, ctx.as_of, window),
        due_date=due,
        basis=(f"birthday at {age} {due.isoformat()}; built in the {plural(window, 'day')} before"),
        citation=citation,
        last_event=event,
        applies_from=opens if early else None,
    )


def credit_report(ctx: Context) -> Deadline:
    """Free consumer credit report every year from age 14: 42 USC 675(5)(I).

    Recurring: due ``credit_report_months`` after the latest report, the first one after the
    later of the birthday at ``credit_report_age`` and removal. Reports from before that start
    do not count for this episode.
    """
    citation = CREDIT_REPORT
    birth = ctx.case.child.birth_date
    min_age = ctx.params["credit_report_age"]
    if birth is None or age_on(birth, ctx.as_of) < min_age:
        return Deadline(
            name=DeadlineName.CREDIT_REPORT,
            status=DeadlineStatus.NOT_APPLICABLE,
            due_date=None,
            basis="birth date unknown" if birth is None else f"child under {min_age}",
            citation=citation,
        )
    months = ctx.params["credit_report_months"]
    eligible = birthday(birth, min_age)
    start = max(eligible, ctx.removal)
    reports = [r.date for r in ctx.case.credit_reports if ctx.counts(r.date) and r.date >= start]
    last = max(reports, default=None)
    if last is not None:
        due = add_months(last, months)
        basis = f"last report {last.isoformat()} + {plural(months, 'month')}"
    else:
        due = add_months(start, months)
        what = f"birthday at {min_age}" if start == eligible else "removal"
        basis = f"{what} {start.isoformat()} + {plural(months, 'month')}"
    return Deadline(
        name=DeadlineName.CREDIT_REPORT,
        status=open_status(due, ctx.as_of, ctx.due_soon_days),
        due_date=due,
        basis=basis,
        citation=citation,
        last_event=last,
    )


def transition_plan_columns(ctx: ClockContext) -> DeadlineColumns:
    birth = ctx.case_date("birth_date")
    age = ctx.params["transition_age"]
    window = ctx.params["transition_plan_days"]
    due = add_months_columns(birth.day, 12 * age)
    plan = ctx.case_date("transition_plan_date")
    event = plan.where(ctx.ep.counts(np.arange(ctx.n), plan) & (plan.day >= due - window) & birth.has)
    early = birth.has & (ctx.as_of < due - window)
    status = np.where(
        birth.has & ~early, one_time_status_columns(due, event, ctx.as_of, window), _NOT_APPLICABLE
    )
    basis = choose(
        birth.has,
        text(ctx.n, f"birthday at {age} ", iso(due), f"; built in the {plural(window, 'day')} before"),
        "birth date unknown",
    )
    return DeadlineColumns(
        DeadlineName.TRANSITION_PLAN,
        status.astype(np.int8),
        Maybe(due, birth.has).where(birth.has),
        event,
        basis,
        applies=Maybe(due - window, early).where(early),
    )


def credit_report_columns(ctx: ClockContext) -> DeadlineColumns:
    birth = ctx.case_date("birth_date")
    min_age = ctx.params["credit_report_age"]
    months = ctx.params["credit_report_months"]
    applies = birth.has & (age_on_columns(birth.day, ctx.as_of) >= min_age)
    eligible = add_months_columns(birth.day, 12 * min_age)
    start = np.maximum(eligible, ctx.removal)
    reports = ctx.t.frames["credit_reports"]
    pos, day = ctx.ep.dated(reports)
    report = last(ctx.n, pos, day.day, ctx.ep.counts(pos, day) & (day.day >= start[pos])).where(applies)
    due = add_months_columns(report.or_else(start), months)
    per = f" + {plural(months, 'month')}"
    basis = choose(
        applies,
        choose(
            report.has,
            text(ctx.n, "last report ", iso(report.day), per),
            text(ctx.n, choose(start == eligible, f"birthday at {min_age}", "removal"), " ", iso(start), per),
        ),
        choose(birth.has, f"child under {min_age}", "birth date unknown"),
    )
    status = np.where(
        applies, open_status_columns(due, ctx.as_of, ctx.params["due_soon_days"]), _NOT_APPLICABLE
    )
    return DeadlineColumns(
        DeadlineName.CREDIT_REPORT, status.astype(np.int8), Maybe(due, applies).where(applies), report, basis
    )


register(
    DeadlineName.TRANSITION_PLAN,
    TRANSITION_PLAN,
    transition_plan,
    transition_plan_columns,
    Tickler(
        "the window of `transition_plan_days` before the birthday at `transition_age` opening",
        "that birthday",
        "`transition_plan_days` (the whole window)",
        "a transition plan dated inside the window",
    ),
)
register(
    DeadlineName.CREDIT_REPORT,
    CREDIT_REPORT,
    credit_report,
    credit_report_columns,
    Tickler(
        "the birthday at `credit_report_age` in care (or removal after it), then each report",
        "`credit_report_months` after the last report (or that start)",
        "`due_soon_days`",
        "a report, which starts the next",
    ),
)
