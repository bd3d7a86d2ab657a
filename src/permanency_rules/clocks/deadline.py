"""Deadline records: what a case system shows as a tickler, per case and column-wise.

``Deadline`` is one deadline of one case; ``DeadlineColumns`` is one clock for every case (a
row per case, or per item such as a trial-home-visit placement), with statuses as small
integer codes (``STATUS_CODE``); ``deadline_table`` lays them out as ``Clocks.deadlines`` does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from .dates import Days, Mask, Maybe, iso


class DeadlineStatus(StrEnum):
    """The one status model of a deadline, decided by its clock; the findings and the
    deadlines list both read it, so they cannot disagree (docs/clocks.md)."""

    MET = "met"  # the event happened on or before the due date
    MET_LATE = "met_late"  # a one-time event happened, but after its due date
    OVERDUE = "overdue"  # due date passed, no event (a duty that can still be done)
    DUE_SOON = "due_soon"  # due within the window the tickler shows ahead, nothing scheduled
    PENDING = "pending"  # due later than that window
    NOT_APPLICABLE = "not_applicable"  # does not apply (yet): ``applies_from`` says when, if known
    SCHEDULED = "scheduled"  # a qualifying hearing or review is calendared on or before the due date
    MISSED = "missed"  # a one-time duty whose window passed and that can no longer be cured
    EXCEPTED = "excepted"  # a legal exception applies: ``exception`` and ``exception_date``
    NOT_EVALUABLE = "not_evaluable"  # the record lacks the fact that decides it


#: Statuses of a deadline still to be acted on; a closed episode turns them not applicable.
OPEN_STATUSES = frozenset(
    {DeadlineStatus.PENDING, DeadlineStatus.DUE_SOON, DeadlineStatus.SCHEDULED, DeadlineStatus.OVERDUE}
)


class DeadlineName(StrEnum):
    CASE_PLAN = "case_plan"
    PERIODIC_REVIEW = "periodic_review"
    PERMANENCY_HEARING = "permanency_hearing"
    REASONABLE_EFFORTS_FINDING = "reasonable_efforts_finding"
    TPR_PETITION = "tpr_petition"
    CASEWORKER_VISIT = "caseworker_visit"
    RELATIVE_NOTICE = "relative_notice"
    TRANSITION_PLAN = "transition_plan"
    CREDIT_REPORT = "credit_report"
    PREVENT_REMOVAL_FINDING = "prevent_removal_finding"
    TRIAL_HOME_VISIT = "trial_home_visit"
    CONTRARY_TO_WELFARE_FINDING = "contrary_to_welfare_finding"
    BEST_INTEREST_DETERMINATION = "best_interest_determination"


@dataclass(frozen=True)
class Deadline:
    name: DeadlineName
    status: DeadlineStatus
    due_date: date | None
    basis: str  # how the due date was reached, e.g. "DEFC 2026-03-02 + 12 months"
    citation: str  # e.g. "42 USC 675(5)(C)"
    last_event: date | None = None  # the event that met it, or the last one before it
    subject: str | None = None  # the item it is about, e.g. a trial-home-visit placement id
    scheduled_date: date | None = None  # the calendared qualifying event (status scheduled)
    exception: str | None = None  # the legal exception that applies (status excepted)
    exception_date: date | None = None  # when that exception was documented or arose
    exception_ended: date | None = None  # the day its basis ended (it still applies: once)
    applies_from: date | None = None  # not applicable yet: the day it starts to apply

    @property
    def key(self) -> str:
        """Stable id of this deadline within a case (used as a fact id)."""
        due = self.due_date.isoformat() if self.due_date else "none"
        return f"{self.name.value}:{self.subject or '-'}:{due}"


#: The column-wise form of a status: its position in ``DeadlineStatus`` (an int8 code).
STATUS_CODE: dict[DeadlineStatus, np.int8] = {s: np.int8(i) for i, s in enumerate(DeadlineStatus)}
Codes = npt.NDArray[np.int8]
_MET, _MET_LATE = STATUS_CODE[DeadlineStatus.MET], STATUS_CODE[DeadlineStatus.MET_LATE]
_NOT_APPLICABLE = STATUS_CODE[DeadlineStatus.NOT_APPLICABLE]
_OPEN_CODES = np.array([STATUS_CODE[s] for s in OPEN_STATUSES], dtype=np.int8)


#: An Arrow string array (``Any``: pyarrow ships no type information).
Text: TypeAlias = Any
Part: TypeAlias = Any  # a ``Text`` or a constant ``str``


def text(n: int, *parts: Part) -> Text:
    """Row-wise concatenation of string arrays and constant strings (``n`` rows)."""
    if all(isinstance(p, str) for p in parts):
        return pa.repeat(pa.scalar("".join(parts)), n)
    return pc.binary_join_element_wise(*parts, "")


def choose(mask: Mask, a: Part, b: Part) -> Text:
    """``a`` where ``mask`` holds, else ``b``."""
    return pc.if_else(pa.array(mask, pa.bool_()), a, b)


@dataclass
class DeadlineColumns:
    """One clock: a row per case, or per ``pos`` row when ``subject`` is given."""

    name: DeadlineName
    status: Codes
    due: Maybe
    last_event: Maybe
    basis: Text
    subject: Text | None = None
    pos: npt.NDArray[np.intp] | None = None  # case row of each row (None: row i is case i)
    scheduled: Maybe | None = None  # None: no row has one (likewise below)
    exception: Text | None = None
    exception_day: Maybe | None = None
    exception_ended: Maybe | None = None
    applies: Maybe | None = None

    @property
    def rows(self) -> int:
        return len(self.status)

    def closed(self, closed: Mask, discharge: Days) -> DeadlineColumns:
        """A closed episode: every deadline not yet met becomes not applicable."""
        in_closed = closed if self.pos is None else closed[self.pos]
        day = discharge if self.pos is None else discharge[self.pos]
        close = in_closed & np.isin(self.status, _OPEN_CODES)
        out = self
        if self.applies is not None and (in_closed & self.applies.has).any():
            out = dataclasses.replace(self, applies=self.applies.where(~in_closed))
        if not close.any():
            return out
        status = np.where(close, _NOT_APPLICABLE, self.status).astype(np.int8)
        rows = np.flatnonzero(close)
        ended = text(len(rows), self.basis.take(pa.array(rows)), "; episode closed ", iso(day[rows]))
        basis = pc.replace_with_mask(self.basis, pa.array(close, pa.bool_()), ended)
        return dataclasses.replace(out, status=status, basis=basis)


def _int64(m: Maybe, src: npt.NDArray[np.intp]) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(m.day[src], ~m.has[src])


def deadline_table(
    keys: npt.NDArray[np.int64], per_case: Sequence[DeadlineColumns], per_item: DeadlineColumns
) -> pd.DataFrame:
    """Every deadline of every case, ordered by key then by (name, subject, due date).

    ``per_case`` clocks have one row per case; ``per_item`` (trial home visits) has rows
    sorted by (case row, subject), and its name sorts after every ``per_case`` name.
    """
    n = len(keys)
    clocks = sorted(per_case, key=lambda c: c.name.value)
    k = len(clocks)
    item_pos = per_item.pos if per_item.pos is not None else np.zeros(0, dtype=np.intp)
    m = len(item_pos)
    rows = k + np.bincount(item_pos, minlength=n)  # deadlines per case
    case_of = np.repeat(np.arange(n), rows)
    slot = np.arange(len(case_of)) - (np.cumsum(rows) - rows)[case_of]  # 0..k-1: clocks; k..: items
    is_item = slot >= k
    # src[p]: where output row p comes from in [clock 0 rows, clock 1 rows, ..., item rows]
    src = np.where(is_item, k * n + np.cumsum(is_item) - 1, slot * n + case_of)

    every = [*clocks, per_item]
    name_values = [c.name.value for c in every]
    status = np.concatenate([c.status for c in every])
    due = Maybe(np.concatenate([c.due.day for c in every]), np.concatenate([c.due.has for c in every]))
    last = Maybe(
        np.concatenate([c.last_event.day for c in every]), np.concatenate([c.last_event.has for c in every])
    )
    basis = pa.chunked_array([c.basis for c in every], pa.string()).take(pa.array(src))
    subject = pa.nulls(len(src), pa.string())
    if m:
        subject = pc.replace_with_mask(subject, pa.array(is_item), per_item.subject)
    exception = pa.chunked_array(
        [c.exception if c.exception is not None else pa.nulls(c.rows, pa.string()) for c in every],
        pa.string(),
    ).take(pa.array(src))
    return pd.DataFrame(
        {
            "key": keys[case_of],
            "name": _labels(np.minimum(slot, k).astype(np.int8), name_values),
            "status": _labels(status[src], [s.value for s in DeadlineStatus]),
            "due_day": _int64(due, src),
            "last_event_day": _int64(last, src),
            "subject": pd.array(subject, dtype=pd.StringDtype("pyarrow")),
            "basis": pd.array(basis, dtype=pd.StringDtype("pyarrow")),
            "scheduled_day": _int64(_joined(every, "scheduled"), src),
            "exception": pd.array(exception, dtype=pd.StringDtype("pyarrow")),
            "exception_day": _int64(_joined(every, "exception_day"), src),
            "exception_ended_day": _int64(_joined(every, "exception_ended"), src),
            "applies_day": _int64(_joined(every, "applies"), src),
        }
    )


def _joined(clocks: Sequence[DeadlineColumns], field: str) -> Maybe:
    """One optional-day field of every clock, end to end (all missing where a clock has none)."""
    parts = [getattr(c, field) or Maybe(np.zeros(c.rows, np.int64), np.zeros(c.rows, bool)) for c in clocks]
    return Maybe(np.concatenate([p.day for p in parts]), np.concatenate([p.has for p in parts]))


def _labels(codes: npt.NDArray[np.int8], values: list[str]) -> pd.api.extensions.ExtensionArray:
    """String labels of small integer codes (as pandas' default ``str`` dtype)."""
    labels = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(values)).cast(pa.string())
    out: pd.api.extensions.ExtensionArray = pd.array(labels, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return out
