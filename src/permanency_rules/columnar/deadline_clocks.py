"""Each deadline of ``clocks.compute_clocks``, column-wise: one function per clock, the twin of
the ``clocks`` function of the same name (``removal_clocks``, ``court``, ``visits``, ``tpr``,
``youth``, ``trial_home_visit``). Each returns a ``DeadlineColumns`` with a row per case (trial
home visits: a row per visit); dates are int64 epoch days (``conventions.to_day``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..clocks.dates import plural
from ..clocks.deadline import DeadlineName
from ..model.codes import HearingFinding, HearingType, PlacementSetting
from .clock_events import ClockContext, Days, Maybe, arrow_text, count, dates, first, last, latest
from .dates import add_months, age_on, day_of_month, end_of_month, iso
from .deadline_rows import (
    MET,
    MET_LATE,
    NOT_APPLICABLE,
    PENDING,
    DeadlineColumns,
    choose,
    one_time_status,
    open_status,
    text,
)

_F = HearingFinding


def _removal_deadline(ctx: ClockContext, name: DeadlineName, days: int, event: Maybe) -> DeadlineColumns:
    due = ctx.removal + days
    return DeadlineColumns(
        name,
        one_time_status(due, event, ctx.as_of, ctx.params["due_soon_days"]),
        Maybe(due, np.ones(ctx.n, dtype=bool)),
        event,
        text(ctx.n, "removal ", iso(ctx.removal), f" + {plural(days, 'day')}"),
    )


def case_plan(ctx: ClockContext) -> DeadlineColumns:
    event = ctx.ep.first(ctx.t.frames["case_plans"])
    return _removal_deadline(ctx, DeadlineName.CASE_PLAN, ctx.params["case_plan_days"], event)


def prevent_removal_finding(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    event = h.first(
        h.finding(_F.REASONABLE_EFFORTS_PREVENT_REMOVAL) | h.finding(_F.REASONABLE_EFFORTS_NOT_REQUIRED)
    )
    days = ctx.params["prevent_removal_finding_days"]
    return _removal_deadline(ctx, DeadlineName.PREVENT_REMOVAL_FINDING, days, event)


def relative_notice(ctx: ClockContext) -> DeadlineColumns:
    notice = ctx.case_date("relative_notice_date")
    event = notice.where(ctx.ep.counts(np.arange(ctx.n), notice))
    return _removal_deadline(ctx, DeadlineName.RELATIVE_NOTICE, ctx.params["relative_notice_days"], event)


def _from_last(
    ctx: ClockContext, name: DeadlineName, last_event: Maybe, months: int, label: str
) -> DeadlineColumns:
    """A recurring clock: due ``months`` after the last event, else after DEFC."""
    start = last_event.or_else(ctx.defc)
    due = add_months(start, months)
    basis = text(
        ctx.n, choose(last_event.has, label, "DEFC"), " ", iso(start), f" + {plural(months, 'month')}"
    )
    status = open_status(due, ctx.as_of, ctx.params["due_soon_days"])
    return DeadlineColumns(name, status, Maybe(due, np.ones(ctx.n, dtype=bool)), last_event, basis)


def periodic_review(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    reviews = latest(
        ctx.ep.last(ctx.t.frames["reviews"], held_only=True),
        h.last(h.of_type((HearingType.REVIEW, HearingType.PERMANENCY))),
    )
    months = ctx.params["periodic_review_months"]
    return _from_last(ctx, DeadlineName.PERIODIC_REVIEW, reviews, months, "last review")


def permanency_hearing(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    held = h.last(h.of_type((HearingType.PERMANENCY,)))
    months = ctx.params["permanency_hearing_months"]
    d = _from_last(ctx, DeadlineName.PERMANENCY_HEARING, held, months, "last permanency hearing")
    after_last = ~held.has[h.pos] | (h.day > held.day[h.pos])
    unanswered = h.first(h.finding(_F.REASONABLE_EFFORTS_NOT_REQUIRED) & after_last)
    days = ctx.params["aggravated_hearing_days"]
    aggravated = unanswered.day + days
    sooner = unanswered.has & (aggravated < d.due.day)
    if not sooner.any():
        return d
    due = np.where(sooner, aggravated, d.due.day)
    why = text(ctx.n, "reasonable efforts not required ", iso(unanswered.day), f" + {plural(days, 'day')}")
    status = open_status(due, ctx.as_of, ctx.params["due_soon_days"])
    return DeadlineColumns(d.name, status, Maybe(due, d.due.has), held, choose(sooner, why, d.basis))


def reasonable_efforts_finding(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    found = h.last(h.finding(_F.REASONABLE_EFFORTS_FINALIZE))
    months = ctx.params["reasonable_efforts_finalize_months"]
    return _from_last(ctx, DeadlineName.REASONABLE_EFFORTS_FINDING, found, months, "last finding")


def caseworker_visit(ctx: ClockContext) -> DeadlineColumns:
    months = ctx.params["caseworker_visit_months"]
    visit = ctx.ep.last(ctx.t.frames["caseworker_visits"])
    after_visit = end_of_month(add_months(visit.day, months))
    early = day_of_month(ctx.removal) <= 15
    step = np.where(early, months - 1, months)
    no_visit = end_of_month(add_months(ctx.removal, step))
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
    status = open_status(due, ctx.as_of, ctx.params["caseworker_visit_due_soon_days"])
    return DeadlineColumns(
        DeadlineName.CASEWORKER_VISIT, status, Maybe(due, np.ones(ctx.n, dtype=bool)), visit, basis
    )


def tpr_petition(ctx: ClockContext, reached: Maybe, projected: Maybe) -> DeadlineColumns:
    threshold = ctx.params["tpr_months_in_care"]
    lookback = ctx.params["tpr_lookback_months"]
    window = ctx.params["due_soon_days"]
    rule = f"{plural(threshold, 'month')} in care of the most recent {lookback}"
    filed = ctx.case_date("tpr_petition_date")
    petition = filed.where(ctx.ep.counts(np.arange(ctx.n), filed))

    due = Maybe(np.where(reached.has, reached.day, projected.day), reached.has | projected.has)
    open_ = np.where(projected.has, open_status(projected.day, ctx.as_of, window), PENDING)
    open_ = np.where(petition.has, MET, open_)
    status = np.where(reached.has, one_time_status(reached.day, petition, ctx.as_of, window), open_)
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
        status = np.where(every, MET, status)
        basis = choose(
            every, text(ctx.n, basis, "; rights of every parent terminated by ", iso(by.day)), basis
        )
    last_event = Maybe(np.where(every, by.day, petition.day), np.where(every, by.has, petition.has))
    return DeadlineColumns(DeadlineName.TPR_PETITION, status.astype(np.int8), due, last_event, basis)


def transition_plan(ctx: ClockContext) -> DeadlineColumns:
    birth = ctx.case_date("birth_date")
    age = ctx.params["transition_age"]
    window = ctx.params["transition_plan_days"]
    due = add_months(birth.day, 12 * age)
    plan = ctx.case_date("transition_plan_date")
    event = plan.where(ctx.ep.counts(np.arange(ctx.n), plan) & (plan.day >= due - window) & birth.has)
    status = np.where(birth.has, one_time_status(due, event, ctx.as_of, window), NOT_APPLICABLE)
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
    )


def credit_report(ctx: ClockContext) -> DeadlineColumns:
    birth = ctx.case_date("birth_date")
    min_age = ctx.params["credit_report_age"]
    months = ctx.params["credit_report_months"]
    applies = birth.has & (age_on(birth.day, ctx.as_of) >= min_age)
    eligible = add_months(birth.day, 12 * min_age)
    start = np.maximum(eligible, ctx.removal)
    reports = ctx.t.frames["credit_reports"]
    pos, day = ctx.ep.dated(reports)
    report = last(ctx.n, pos, day.day, ctx.ep.counts(pos, day) & (day.day >= start[pos])).where(applies)
    due = add_months(report.or_else(start), months)
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
    status = np.where(applies, open_status(due, ctx.as_of, ctx.params["due_soon_days"]), NOT_APPLICABLE)
    return DeadlineColumns(
        DeadlineName.CREDIT_REPORT, status.astype(np.int8), Maybe(due, applies).where(applies), report, basis
    )


def trial_home_visits(ctx: ClockContext) -> DeadlineColumns:
    """One deadline per trial-home-visit placement that began in the episode, by subject."""
    placements = ctx.t.frames["placements"]
    pos, start = ctx.ep.dated(placements, "start_date")
    keep = (placements["setting"] == PlacementSetting.TRIAL_HOME_VISIT.value).to_numpy(
        dtype=bool, na_value=False
    )
    keep &= ctx.ep.counts(pos, start)
    rows = placements[keep].assign(_pos=pos[keep]).sort_values(["_pos", "id"], kind="stable")
    pos = rows["_pos"].to_numpy(dtype=np.intp)
    m = len(rows)
    as_of = ctx.as_of[pos]
    months = ctx.params["trial_home_visit_months"]
    begin = dates(rows["start_date"]).day
    due = add_months(begin, months)
    ended = dates(rows["end_date"])
    end = ended.where(ended.day <= as_of)

    h = ctx.hearings
    ext = h.finding(_F.THV_EXTENSION_ORDERED)
    order = _first_order(pos, begin, due, h.pos[ext], h.day[ext])

    met = end.has & (end.day <= due)
    extended = ~met & order.has
    late = ~met & ~extended & end.has
    status = np.where(
        met | extended, MET, np.where(late, MET_LATE, open_status(due, as_of, ctx.params["due_soon_days"]))
    )
    event = Maybe(np.where(extended, order.day, end.day), met | extended | late)
    basis = text(m, "trial home visit began ", iso(begin), f" + {plural(months, 'month')}")
    basis = choose(extended, text(m, basis, "; extension ordered ", iso(order.day)), basis)
    return DeadlineColumns(
        DeadlineName.TRIAL_HOME_VISIT,
        status.astype(np.int8),
        Maybe(due, np.ones(m, dtype=bool)),
        event.where(event.has),
        basis,
        subject=arrow_text(rows["id"]),
        pos=pos,
    )


def _first_order(
    pos: npt.NDArray[np.intp], begin: Days, due: Days, order_pos: npt.NDArray[np.intp], order_day: Days
) -> Maybe:
    """Per visit, the first extension order of its case dated in [start, due]."""
    m = len(pos)
    visits = pd.DataFrame({"row": np.arange(m), "pos": pos})
    orders = pd.DataFrame({"pos": order_pos, "day": order_day})
    pairs = visits.merge(orders, on="pos")
    row = pairs["row"].to_numpy(dtype=np.intp)
    day = pairs["day"].to_numpy(dtype=np.int64)
    return first(m, row, day, (day >= begin[row]) & (day <= due[row]))
