"""Trial home visits: at most 6 months unless a court orders a longer one: 45 CFR 1356.21(e).

A visit that runs past its limit counts as a return home, and re-placement after it is a new
removal. An extension runs to the end date the court set (``placement.extended_until``); an
extension ordered without that date on record is not evaluable (R9). Each trial-home-visit
placement of the current episode gets its own deadline.
Per case (``trial_home_visits``) and for every case at once (``trial_home_visits_columns``,
a row per visit carrying its case row ``pos`` and placement id ``subject``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..model.case import Placement, item_ids
from ..model.codes import HearingFinding, PlacementSetting
from .context import ClockContext, Context, arrow_text, first, open_status, open_status_columns
from .dates import Days, Maybe, add_months, add_months_columns, day_column, iso, plural
from .deadline import STATUS_CODE, Deadline, DeadlineColumns, DeadlineName, DeadlineStatus, choose, text
from .registry import Tickler, register

CITATION = "45 CFR 1356.21(e)"
_MET, _MET_LATE = STATUS_CODE[DeadlineStatus.MET], STATUS_CODE[DeadlineStatus.MET_LATE]
_NOT_EVALUABLE = STATUS_CODE[DeadlineStatus.NOT_EVALUABLE]


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
    until = placement.extended_until
    if end is not None and end <= due:
        status, event = DeadlineStatus.MET, end
    elif orders and until is None:  # R9: ordered, but the record lacks the end the court set
        status, event = DeadlineStatus.NOT_EVALUABLE, None
        basis = f"{basis}; extension ordered {orders[0].isoformat()}, end date not recorded"
    elif orders and until is not None:  # R9: the visit may run to the end the court set
        due = until
        basis = f"{basis}; extension ordered {orders[0].isoformat()} until {until.isoformat()}"
        if end is not None:
            status, event = (DeadlineStatus.MET if end <= due else DeadlineStatus.MET_LATE), end
        else:
            status, event = open_status(due, ctx.as_of, ctx.due_soon_days), None
    elif end is not None:
        status, event = DeadlineStatus.MET_LATE, end
    else:
        status, event = open_status(due, ctx.as_of, ctx.due_soon_days), None
    return Deadline(
        name=DeadlineName.TRIAL_HOME_VISIT,
        status=status,
        due_date=due,
        basis=basis,
        citation=CITATION,
        last_event=event,
        subject=subject,
    )


def trial_home_visits_columns(ctx: ClockContext) -> DeadlineColumns:
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
    begin = day_column(rows["start_date"]).day
    due = add_months_columns(begin, months)
    ended = day_column(rows["end_date"])
    end = ended.where(ended.day <= as_of)

    h = ctx.hearings
    ext = h.finding(HearingFinding.THV_EXTENSION_ORDERED)
    order = _first_order(pos, begin, due, h.pos[ext], h.day[ext])

    until = day_column(rows["extended_until"])
    met = end.has & (end.day <= due)
    unknown = ~met & order.has & ~until.has  # R9: ordered, end the court set not recorded
    extended = ~met & order.has & until.has
    due = np.where(extended, until.day, due)
    window = ctx.params["due_soon_days"]
    open_ = open_status_columns(due, as_of, window)
    came_back = np.where(end.day <= due, _MET, _MET_LATE)
    status = np.where(met, _MET, np.where(end.has, came_back, open_))
    status = np.where(unknown, _NOT_EVALUABLE, status)
    event = Maybe(end.day, end.has & ~unknown)
    basis = text(m, "trial home visit began ", iso(begin), f" + {plural(months, 'month')}")
    ordered = text(m, basis, "; extension ordered ", iso(order.day))
    basis = choose(unknown, text(m, ordered, ", end date not recorded"), basis)
    basis = choose(extended, text(m, ordered, " until ", iso(until.day)), basis)
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


register(
    DeadlineName.TRIAL_HOME_VISIT,
    CITATION,
    trial_home_visits,
    trial_home_visits_columns,
    Tickler(
        "a trial-home-visit placement starting in the episode",
        "start + `trial_home_visit_months`, or the end date a court set for an extension",
        "`due_soon_days`",
        "the visit ending (the child returns to care or is discharged) by then",
    ),
    per_item=True,
)
