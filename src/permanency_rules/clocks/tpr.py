"""The TPR petition deadline: due when the child reaches 15 of the most recent 22 months in care.

42 USC 675(5)(E); the count itself is ``clocks.care_months``. Per case (``tpr_petition``) and
for every case at once (``tpr_petition_columns``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from ..model.codes import PlacementSetting, TprException
from .care_months import DATE_COUNT, D, history_of
from .context import (
    ClockContext,
    Context,
    count,
    last,
    one_time_status,
    one_time_status_columns,
    open_status,
    open_status_columns,
)
from .dates import Mask, Maybe, day_column, iso, plural
from .deadline import STATUS_CODE, Deadline, DeadlineColumns, DeadlineName, DeadlineStatus, Text, choose, text
from .registry import Tickler, register

CITATION = "42 USC 675(5)(E)"
_MET, _PENDING = STATUS_CODE[DeadlineStatus.MET], STATUS_CODE[DeadlineStatus.PENDING]
_EXCEPTED = STATUS_CODE[DeadlineStatus.EXCEPTED]


def relative_care_ended(stays: Sequence[tuple[D, D | None]], since: D, until: D) -> D | None:
    """The day the child left relative care after ``since`` (by ``until``), or None.

    ``stays`` are the (start, end) of relative placements; a stay that ends where another
    begins is one unbroken stretch. Shared by both forms (``D`` a date or an epoch day)."""
    day = since
    for _ in range(len(stays) + 1):
        covering = [end for start, end in stays if start <= day and (end is None or end > day)]
        if not covering:
            return day if day != since else None
        if any(end is None for end in covering):
            return None
        day = max(e for e in covering if e is not None)
        if day > until:
            return None
    return None


def tpr_petition(ctx: Context) -> Deadline:
    """TPR petition due on the day the child reaches 15 of the most recent 22 months in care:
    42 USC 675(5)(E).

    Met by a petition of this episode, or once the child is legally free: the rights of every
    living parent terminated (a deceased parent needs no TPR: R7). Otherwise excepted (R4) when
    an exception applies: one documented in the case (``tpr.exception``), or, with the CFSR
    reading (``tpr_relative_care_at_trigger``, R5), placement with a relative on the day the
    count is reached. An exception is applied once (45 CFR 1356.21(i)(1)(i)(D), R6): it stays
    excepted when its basis ends, with ``exception_ended`` for a prompt to re-examine.
    """
    threshold = ctx.params["tpr_months_in_care"]
    lookback = ctx.params["tpr_lookback_months"]
    window = ctx.due_soon_days
    rule = f"{plural(threshold, 'month')} in care of the most recent {lookback}"
    tpr = ctx.case.tpr
    petition = tpr.petition_date if tpr is not None else None
    if petition is not None and not ctx.counts(petition):
        petition = None

    history = history_of(ctx.case, ctx.params["defc_days_after_removal"])
    reached, projected = DATE_COUNT.trigger(history, ctx.defc, ctx.as_of, threshold, lookback)
    due: date | None
    if reached is not None:
        due = reached
        basis = f"{rule} reached {reached.isoformat()}"
        status = one_time_status(reached, petition, ctx.as_of, window)
    else:
        due = projected
        if due is None:
            basis = f"{rule} not reached; not accruing (out of care, runaway or trial home visit)"
            status = DeadlineStatus.PENDING
        else:
            basis = f"{rule} projected {due.isoformat()} if care continues"
            status = open_status(due, ctx.as_of, window)
        if petition is not None:
            status = DeadlineStatus.MET
    last_event = petition

    living = [p for p in ctx.case.parents if not p.deceased]
    done = [p.rights_terminated_date for p in living if _ended(p.rights_terminated_date, ctx.as_of)]
    free = bool(ctx.case.parents) and len(done) == len(living)
    if free:
        status = DeadlineStatus.MET
        if done:
            last_event = max(d for d in done if d is not None)
            who = "every parent" if len(living) == len(ctx.case.parents) else "every living parent"
            basis = f"{basis}; rights of {who} terminated by {last_event.isoformat()}"
        else:
            basis = f"{basis}; legally free: no living parent"
    exception, since, ended = None, None, None
    if status is not DeadlineStatus.MET:
        exception, since = _exception(ctx, reached)
    if exception is not None:
        status = DeadlineStatus.EXCEPTED
        basis = f"{basis}; exception: {exception}" + (f" {since.isoformat()}" if since else "")
        if exception == TprException.RELATIVE_CARE.value and since is not None:
            ended = relative_care_ended(_relative_stays(ctx), since, ctx.as_of)
    return Deadline(
        name=DeadlineName.TPR_PETITION,
        status=status,
        due_date=due,
        basis=basis,
        citation=CITATION,
        last_event=last_event,
        exception=exception,
        exception_date=since,
        exception_ended=ended,
    )


def _after(d: date | None, as_of: date) -> bool:
    return d is not None and d > as_of


def _ended(d: date | None, as_of: date) -> bool:
    return d is not None and d <= as_of


def _relative_stays(ctx: Context) -> list[tuple[date, date | None]]:
    return [(p.start_date, p.end_date) for p in ctx.case.placements if is_relative(p.setting, p.relative)]


def _exception(ctx: Context, reached: date | None) -> tuple[str | None, date | None]:
    """The exception that applies, and since when: documented in the case (by as_of), or
    relative care on the day the count was reached (the CFSR reading)."""
    tpr = ctx.case.tpr
    if tpr is not None and tpr.exception is not None and not _after(tpr.exception_date, ctx.as_of):
        return tpr.exception.value, tpr.exception_date
    if reached is not None and ctx.params["tpr_relative_care_at_trigger"]:
        stays = _relative_stays(ctx)
        if any(start <= reached and (end is None or end > reached) for start, end in stays):
            return TprException.RELATIVE_CARE.value, reached
    return None, None


def is_relative(setting: PlacementSetting, relative: bool | None) -> bool:
    """A placement with a relative: a relative foster home, or a caregiver marked relative."""
    return setting is PlacementSetting.RELATIVE_FOSTER_HOME or relative is True


def tpr_petition_columns(ctx: ClockContext) -> DeadlineColumns:
    reached, projected = ctx.care.reached, ctx.care.projected
    threshold = ctx.params["tpr_months_in_care"]
    lookback = ctx.params["tpr_lookback_months"]
    window = ctx.params["due_soon_days"]
    rule = f"{plural(threshold, 'month')} in care of the most recent {lookback}"
    filed = ctx.case_date("tpr_petition_date")
    petition = filed.where(ctx.ep.counts(np.arange(ctx.n), filed))

    due = Maybe(np.where(reached.has, reached.day, projected.day), reached.has | projected.has)
    open_ = np.where(projected.has, open_status_columns(projected.day, ctx.as_of, window), _PENDING)
    open_ = np.where(petition.has, _MET, open_)
    status = np.where(reached.has, one_time_status_columns(reached.day, petition, ctx.as_of, window), open_)
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
    living = ~parents["deceased"].to_numpy(dtype=bool, na_value=False)
    done = living & terminated.has & (terminated.day <= ctx.as_of[pos])
    n_living = count(ctx.n, pos, living)
    free = (count(ctx.n, pos) > 0) & (count(ctx.n, pos, done) == n_living)
    by = last(ctx.n, pos, terminated.day, done)
    if free.any():
        status = np.where(free, _MET, status)
        who = choose(n_living == count(ctx.n, pos), "every parent", "every living parent")
        terminated_by = text(ctx.n, basis, "; rights of ", who, " terminated by ", iso(by.day))
        no_parent = text(ctx.n, basis, "; legally free: no living parent")
        basis = choose(free, choose(by.has, terminated_by, no_parent), basis)
    last_event = Maybe(np.where(free, by.day, petition.day), np.where(free, by.has, petition.has))

    exception, excepted, since, ended = _exception_columns(ctx, reached, status != _MET)
    if excepted.any():
        status = np.where(excepted, _EXCEPTED, status)
        with_day = text(ctx.n, basis, "; exception: ", pc.fill_null(exception, ""), " ", iso(since.day))
        without = text(ctx.n, basis, "; exception: ", pc.fill_null(exception, ""))
        basis = choose(excepted, choose(since.has, with_day, without), basis)
    return DeadlineColumns(
        DeadlineName.TPR_PETITION,
        status.astype(np.int8),
        due,
        last_event,
        basis,
        exception=exception,
        exception_day=since,
        exception_ended=ended,
    )


def _exception_columns(ctx: ClockContext, reached: Maybe, open_: Mask) -> tuple[Text, Mask, Maybe, Maybe]:
    """``_exception`` and ``relative_care_ended`` for every case still open (``open_``)."""
    n = ctx.n
    cases = ctx.t.frames["cases"]
    code = cases["tpr_exception"]
    documented_on = ctx.case_date("tpr_exception_date")
    documented = code.notna().to_numpy(dtype=bool) & (~documented_on.has | (documented_on.day <= ctx.as_of))
    documented &= open_
    placements = ctx.t.frames["placements"]
    pos, start = ctx.ep.dated(placements, "start_date")
    end = day_column(placements["end_date"])
    relative = (placements["setting"] == PlacementSetting.RELATIVE_FOSTER_HOME.value).to_numpy(
        dtype=bool, na_value=False
    ) | placements["relative"].to_numpy(dtype=bool, na_value=False)
    at_trigger = np.zeros(n, dtype=bool)
    if ctx.params["tpr_relative_care_at_trigger"]:
        d = reached.day[pos]
        covers = relative & reached.has[pos] & (start.day <= d) & (~end.has | (end.day > d))
        at_trigger = (count(n, pos, covers) > 0) & open_ & ~documented
    given = np.asarray(code.astype(object).where(code.notna(), None), dtype=object)
    labels = np.array([None] * n, dtype=object)
    labels[documented] = given[documented]
    labels[at_trigger] = TprException.RELATIVE_CARE.value
    since = Maybe(
        np.where(documented, documented_on.day, reached.day),
        np.where(documented, documented_on.has, at_trigger),
    )
    ended_day, ended_has = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    rel = labels == TprException.RELATIVE_CARE.value
    for i in np.flatnonzero(rel & since.has).tolist():  # few cases: one by one, shared logic
        rows = np.flatnonzero((pos == i) & relative)
        stays = [(int(start.day[r]), int(end.day[r]) if end.has[r] else None) for r in rows.tolist()]
        hit = relative_care_ended(stays, int(since.day[i]), int(ctx.as_of[i]))
        if hit is not None:
            ended_day[i], ended_has[i] = hit, True
    excepted = documented | at_trigger
    return (
        pa.array(labels.tolist(), pa.string()),
        excepted,
        since.where(excepted),
        Maybe(ended_day, ended_has),
    )


register(
    DeadlineName.TPR_PETITION,
    CITATION,
    tpr_petition,
    tpr_petition_columns,
    Tickler(
        "months in care accruing toward `tpr_months_in_care` of the last `tpr_lookback_months`",
        "the day the count reaches the threshold",
        "`due_soon_days`",
        "a petition of the episode; every living parent's rights ended; or an exception (excepted)",
    ),
)
