"""Clocks for older youth: the transition plan and yearly credit reports. Both need the birth
date; without it they are not applicable rather than guessed."""

from __future__ import annotations

from .context import Context, one_time_status, open_status
from .dates import add_days, add_months, age_on, birthday, plural
from .deadline import Deadline, DeadlineName, DeadlineStatus


def transition_plan(ctx: Context) -> Deadline:
    """Transition plan built during the 90 days before the transition age: 42 USC 675(5)(H).

    Due on the birthday at ``transition_age`` (18, or the age the state elected). A plan dated
    inside the 90-day window counts (met); one after the birthday is late; one before the
    window opened is too early to be the transition plan and does not count.
    """
    citation = "42 USC 675(5)(H)"
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
    return Deadline(
        name=DeadlineName.TRANSITION_PLAN,
        status=one_time_status(due, event, ctx.as_of, window),
        due_date=due,
        basis=(f"birthday at {age} {due.isoformat()}; built in the {plural(window, 'day')} before"),
        citation=citation,
        last_event=event,
    )


def credit_report(ctx: Context) -> Deadline:
    """Free consumer credit report every year from age 14: 42 USC 675(5)(I).

    Recurring: due ``credit_report_months`` after the latest report, the first one after the
    later of the birthday at ``credit_report_age`` and removal. Reports from before that start
    do not count for this episode.
    """
    citation = "42 USC 675(5)(I)"
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
