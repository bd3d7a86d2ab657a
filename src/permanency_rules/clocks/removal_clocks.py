"""One-time deadlines that run from the removal date (not DEFC; domain.md 1.0).

Each clock is written twice, side by side: per case on a ``Context`` and for every case at
once on a ``ClockContext`` (``*_columns``, dates as epoch days); ``tests/clocks`` holds them equal.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

from .context import ClockContext, Context, one_time_status, one_time_status_columns
from .dates import Maybe, add_days, iso, plural
from .deadline import STATUS_CODE, Deadline, DeadlineColumns, DeadlineName, DeadlineStatus, choose, text
from .registry import Tickler, register

CASE_PLAN = "45 CFR 1356.21(g)(2)"
RELATIVE_NOTICE = "42 USC 671(a)(29)"
#: The exception to relative notice the statute names (671(a)(29)).
FAMILY_VIOLENCE = "family_or_domestic_violence"
_OVERDUE, _MISSED = STATUS_CODE[DeadlineStatus.OVERDUE], STATUS_CODE[DeadlineStatus.MISSED]
_EXCEPTED = STATUS_CODE[DeadlineStatus.EXCEPTED]


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


def relative_notice(ctx: Context) -> Deadline:
    """Notice to adult relatives within 30 days of removal: 42 USC 671(a)(29), unless a family
    or domestic violence exception is documented (excepted). Once the window has passed without
    a notice the duty is ``missed``: no growing day count, but "relative search not documented"
    for CFSR Item 10 (R16); a notice after the window is met late."""
    notice = ctx.case.relative_notice
    event = notice.date if notice is not None and ctx.counts(notice.date) else None
    days = ctx.params["relative_notice_days"]
    d = _removal_deadline(ctx, DeadlineName.RELATIVE_NOTICE, days, event, RELATIVE_NOTICE)
    exception = ctx.case.relative_notice_exception
    if exception is not None and exception.date <= ctx.as_of and event is None:
        return dataclasses.replace(
            d, status=DeadlineStatus.EXCEPTED, exception=FAMILY_VIOLENCE, exception_date=exception.date
        )
    if d.status is DeadlineStatus.OVERDUE:
        return dataclasses.replace(d, status=DeadlineStatus.MISSED)
    return d


def relative_notice_columns(ctx: ClockContext) -> DeadlineColumns:
    notice = ctx.case_date("relative_notice_date")
    event = notice.where(ctx.ep.counts(np.arange(ctx.n), notice))
    days = ctx.params["relative_notice_days"]
    d = _removal_deadline_columns(ctx, DeadlineName.RELATIVE_NOTICE, days, event)
    documented = ctx.case_date("relative_notice_exception_date")
    excepted = documented.has & (documented.day <= ctx.as_of) & ~event.has
    status = np.where(d.status == _OVERDUE, _MISSED, d.status)
    status = np.where(excepted, _EXCEPTED, status).astype(np.int8)
    label = choose(excepted, FAMILY_VIOLENCE, pa.scalar(None, pa.string()))
    return dataclasses.replace(d, status=status, exception=label, exception_day=documented.where(excepted))


register(
    DeadlineName.CASE_PLAN,
    CASE_PLAN,
    case_plan,
    case_plan_columns,
    Tickler("removal", "removal + `case_plan_days`", "`due_soon_days`", "the first case plan of the episode"),
)
register(
    DeadlineName.RELATIVE_NOTICE,
    RELATIVE_NOTICE,
    relative_notice,
    relative_notice_columns,
    Tickler(
        "removal",
        "removal + `relative_notice_days`",
        "`due_soon_days`",
        "the notice to relatives; a documented family or domestic violence exception (excepted); "
        "after the window without either: missed (relative search not documented)",
    ),
)
