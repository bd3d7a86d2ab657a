"""Trial home visits: at most 6 months unless a court orders a longer one: 45 CFR 1356.21(e).

A visit that runs past its limit counts as a return home, and re-placement after it is a new
removal, so each trial-home-visit placement of the current episode gets its own deadline.
"""

from __future__ import annotations

from ..model.case import Placement, item_ids
from ..model.codes import HearingFinding, PlacementSetting
from .context import Context, open_status
from .dates import add_months, plural
from .deadline import Deadline, DeadlineName, DeadlineStatus


def trial_home_visits(ctx: Context) -> list[Deadline]:
    """One deadline per trial home visit that began in this episode by as_of."""
    ids = item_ids("placement", ctx.case.placements)
    return [
        _one(ctx, placement, pid)
        for placement, pid in zip(ctx.case.placements, ids, strict=True)
        if placement.setting is PlacementSetting.TRIAL_HOME_VISIT and ctx.counts(placement.start_date)
    ]


def _one(ctx: Context, placement: Placement, subject: str) -> Deadline:
    months = ctx.params["trial_home_visit_months"]
    start = placement.start_date
    due = add_months(start, months)
    end = placement.end_date if placement.end_date is not None and placement.end_date <= ctx.as_of else None
    orders = [d for d in ctx.hearing_dates(finding=HearingFinding.THV_EXTENSION_ORDERED) if start <= d <= due]
    basis = f"trial home visit began {start.isoformat()} + {plural(months, 'month')}"
    if end is not None and end <= due:
        status, event = DeadlineStatus.MET, end
    elif orders:
        status, event = DeadlineStatus.MET, orders[0]
        basis = f"{basis}; extension ordered {orders[0].isoformat()}"
    elif end is not None:
        status, event = DeadlineStatus.MET_LATE, end
    else:
        status, event = open_status(due, ctx.as_of, ctx.due_soon_days), None
    return Deadline(
        name=DeadlineName.TRIAL_HOME_VISIT,
        status=status,
        due_date=due,
        basis=basis,
        citation="45 CFR 1356.21(e)",
        last_event=event,
        subject=subject,
    )
