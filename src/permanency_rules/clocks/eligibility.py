"""The title IV-E judicial findings of a removal: one-time, from the removal date, never curable.

A finding missed in its window costs IV-E for the whole episode and cannot be made up later
(nunc pro tunc orders are not accepted: 45 CFR 1356.21(d)), so once the window has passed the
deadline is ``missed`` (a final status, no growing day count), not ``overdue`` (R2). When the
record holds no court order from the window at all, it cannot tell a missing finding from a
missing record: ``not_evaluable``. Court-ordered removals need the "contrary to the welfare"
finding in the first order and the finding on efforts to prevent removal within 60 days;
voluntary placements (``episode.manner_of_removal``, AFCARS MANREM) need neither (1356.22(a))
but a judicial best-interest determination within 180 days (472(e), 1356.22(b)) (R18).
Each clock is written per case and, beside it, for every case at once (``*_columns``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from ..model.case import Hearing
from ..model.codes import HearingFinding, RemovalManner
from .context import ClockContext, Context, open_status, open_status_columns
from .dates import Maybe, add_days, iso, plural
from .deadline import (
    STATUS_CODE,
    Codes,
    Deadline,
    DeadlineColumns,
    DeadlineName,
    DeadlineStatus,
    choose,
    text,
)
from .registry import Tickler, register

PREVENT_REMOVAL = "45 CFR 1356.21(b)(1)"
CONTRARY_TO_WELFARE = "45 CFR 1356.21(c)"
BEST_INTEREST = "42 USC 672(e); 45 CFR 1356.22(b)"
_S = DeadlineStatus
_CODE = STATUS_CODE
_VOLUNTARY = RemovalManner.VOLUNTARY.value


def _voluntary(ctx: Context) -> bool:
    return ctx.case.episode.manner_of_removal is RemovalManner.VOLUNTARY


def _decide(ctx: Context, due: date, found: date | None, orders: bool) -> DeadlineStatus:
    """Met if found in the window; before the window closes, open; after it, missed if the
    record has court orders from the window, else not evaluable."""
    if found is not None and found <= due:
        return _S.MET
    if ctx.as_of <= due:
        return open_status(due, ctx.as_of, ctx.due_soon_days)
    return _S.MISSED if orders else _S.NOT_EVALUABLE


def _decide_columns(ctx: ClockContext, due: np.ndarray, found: Maybe, orders: np.ndarray) -> Codes:
    met = found.has & (found.day <= due)
    after = np.where(orders, _CODE[_S.MISSED], _CODE[_S.NOT_EVALUABLE])
    open_ = open_status_columns(due, ctx.as_of, ctx.params["due_soon_days"])
    return np.where(met, _CODE[_S.MET], np.where(ctx.as_of <= due, open_, after)).astype(np.int8)


def _deadline(
    ctx: Context,
    name: DeadlineName,
    days: int,
    citation: str,
    applies: bool,
    finding: Callable[[date], date | None],
) -> Deadline:
    due = add_days(ctx.removal, days)
    basis = f"removal {ctx.removal.isoformat()} + {plural(days, 'day')}"
    if not applies:
        why = (
            "court-ordered removal"
            if name is DeadlineName.BEST_INTEREST_DETERMINATION
            else "voluntary placement"
        )
        return Deadline(name, _S.NOT_APPLICABLE, due, f"{basis}; {why}", citation)
    orders = [d for d in ctx.hearing_dates() if d <= due]
    found = finding(due)
    status = _decide(ctx, due, found, bool(orders))
    return Deadline(name, status, due, basis, citation, last_event=found if status is _S.MET else None)


def prevent_removal_finding(ctx: Context) -> Deadline:
    """Finding of reasonable efforts to prevent removal (or that none were required) within 60
    days of a court-ordered removal: 45 CFR 1356.21(b)(1)."""

    def found(due: date) -> date | None:
        days = ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL)
        days += ctx.hearing_dates(finding=HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED)
        return min(days, default=None)

    days = ctx.params["prevent_removal_finding_days"]
    return _deadline(
        ctx, DeadlineName.PREVENT_REMOVAL_FINDING, days, PREVENT_REMOVAL, not _voluntary(ctx), found
    )


def contrary_to_welfare_finding(ctx: Context) -> Deadline:
    """ "Contrary to the welfare" in the first court order sanctioning a court-ordered removal:
    45 CFR 1356.21(c). Only the first order counts; within the finding window (R2(d))."""

    def found(due: date) -> date | None:
        held = [h for h in _held(ctx) if h.date <= due]
        first = min((h.date for h in held), default=None)  # the day of the first order(s)
        on_first = (h for h in held if h.date == first)
        return first if any(HearingFinding.CONTRARY_TO_WELFARE in h.findings for h in on_first) else None

    days = ctx.params["prevent_removal_finding_days"]
    return _deadline(
        ctx, DeadlineName.CONTRARY_TO_WELFARE_FINDING, days, CONTRARY_TO_WELFARE, not _voluntary(ctx), found
    )


def best_interest_determination(ctx: Context) -> Deadline:
    """Judicial determination that a voluntary placement is in the child's best interests,
    within 180 days of the placement: 42 USC 672(e), 45 CFR 1356.22(b) (R18)."""

    def found(due: date) -> date | None:
        return min(ctx.hearing_dates(finding=HearingFinding.VOLUNTARY_BEST_INTEREST), default=None)

    days = ctx.params["voluntary_best_interest_days"]
    return _deadline(
        ctx, DeadlineName.BEST_INTEREST_DETERMINATION, days, BEST_INTEREST, _voluntary(ctx), found
    )


def _held(ctx: Context) -> list[Hearing]:
    return [h for h in ctx.case.hearings if not h.scheduled and ctx.counts(h.date)]


# -- column-wise -----------------------------------------------------------------------------


def _deadline_columns(
    ctx: ClockContext, name: DeadlineName, days: int, applies: np.ndarray, found: Maybe
) -> DeadlineColumns:
    h = ctx.hearings
    due = ctx.removal + days
    orders = h.first(h.day <= due[h.pos]).has
    status = _decide_columns(ctx, due, found, orders)
    status = np.where(applies, status, _CODE[_S.NOT_APPLICABLE]).astype(np.int8)
    why = (
        "court-ordered removal" if name is DeadlineName.BEST_INTEREST_DETERMINATION else "voluntary placement"
    )
    base = text(ctx.n, "removal ", iso(ctx.removal), f" + {plural(days, 'day')}")
    basis = choose(applies, base, text(ctx.n, base, f"; {why}"))
    met = status == _CODE[_S.MET]
    return DeadlineColumns(name, status, Maybe(due, np.ones(ctx.n, dtype=bool)), found.where(met), basis)


def _voluntary_columns(ctx: ClockContext) -> np.ndarray:
    out: np.ndarray = (ctx.t.frames["cases"]["manner_of_removal"] == _VOLUNTARY).to_numpy(
        dtype=bool, na_value=False
    )
    return out


def prevent_removal_finding_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    found = h.first(
        h.finding(HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL)
        | h.finding(HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED)
    )
    days = ctx.params["prevent_removal_finding_days"]
    return _deadline_columns(ctx, DeadlineName.PREVENT_REMOVAL_FINDING, days, ~_voluntary_columns(ctx), found)


def contrary_to_welfare_finding_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    days = ctx.params["prevent_removal_finding_days"]
    due = ctx.removal + days
    first = h.first(h.day <= due[h.pos])
    # the first held hearing of each case carries the finding (any hearing held on that day)
    on_first = first.has[h.pos] & (h.day == first.day[h.pos])
    with_finding = h.first(on_first & h.finding(HearingFinding.CONTRARY_TO_WELFARE))
    return _deadline_columns(
        ctx, DeadlineName.CONTRARY_TO_WELFARE_FINDING, days, ~_voluntary_columns(ctx), with_finding
    )


def best_interest_determination_columns(ctx: ClockContext) -> DeadlineColumns:
    h = ctx.hearings
    found = h.first(h.finding(HearingFinding.VOLUNTARY_BEST_INTEREST))
    days = ctx.params["voluntary_best_interest_days"]
    return _deadline_columns(
        ctx, DeadlineName.BEST_INTEREST_DETERMINATION, days, _voluntary_columns(ctx), found
    )


register(
    DeadlineName.PREVENT_REMOVAL_FINDING,
    PREVENT_REMOVAL,
    prevent_removal_finding,
    prevent_removal_finding_columns,
    Tickler(
        "a court-ordered removal (not a voluntary placement)",
        "removal + `prevent_removal_finding_days`",
        "`due_soon_days`",
        "a held hearing's finding (efforts to prevent removal, or not required) in the window; after "
        "it: missed (court orders from the window without it) or not evaluable (no order on record)",
    ),
)
register(
    DeadlineName.CONTRARY_TO_WELFARE_FINDING,
    CONTRARY_TO_WELFARE,
    contrary_to_welfare_finding,
    contrary_to_welfare_finding_columns,
    Tickler(
        "a court-ordered removal (not a voluntary placement)",
        "the first court order, within removal + `prevent_removal_finding_days`",
        "`due_soon_days`",
        "the finding in the first order (met) or its absence there (missed); no order in the window: "
        "not evaluable",
    ),
)
register(
    DeadlineName.BEST_INTEREST_DETERMINATION,
    BEST_INTEREST,
    best_interest_determination,
    best_interest_determination_columns,
    Tickler(
        "a voluntary placement (`manner_of_removal: voluntary`)",
        "removal + `voluntary_best_interest_days`",
        "`due_soon_days`",
        "a held hearing's best-interest determination in the window; after it: missed or not evaluable",
    ),
)
