"""Deadline columns: statuses, basis strings and the final one-row-per-deadline table.

The twin of ``clocks.context`` (statuses) and ``clocks.compute`` (closing and ordering). Each
clock yields one ``DeadlineColumns`` with a row per case (trial home visits: a row per visit);
``deadline_table`` interleaves them into ``Clocks.deadlines`` order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from ..clocks.deadline import DeadlineName, DeadlineStatus
from .clock_events import Days, Mask, Maybe
from .dates import iso

STATUSES: tuple[DeadlineStatus, ...] = tuple(DeadlineStatus)
Codes = npt.NDArray[np.int8]


def code(status: DeadlineStatus) -> np.int8:
    return np.int8(STATUSES.index(status))


MET = code(DeadlineStatus.MET)
MET_LATE = code(DeadlineStatus.MET_LATE)
OVERDUE = code(DeadlineStatus.OVERDUE)
DUE_SOON = code(DeadlineStatus.DUE_SOON)
PENDING = code(DeadlineStatus.PENDING)
NOT_APPLICABLE = code(DeadlineStatus.NOT_APPLICABLE)


def open_status(due: Days, as_of: Days, window: int) -> Codes:
    """Overdue, due soon or pending (``clocks.context.open_status``)."""
    return np.where(as_of > due, OVERDUE, np.where(due - as_of <= window, DUE_SOON, PENDING)).astype(np.int8)


def one_time_status(due: Days, event: Maybe, as_of: Days, window: int) -> Codes:
    """Met, met late, or open (``clocks.context.one_time_status``)."""
    done = np.where(event.day <= due, MET, MET_LATE)
    return np.where(event.has, done, open_status(due, as_of, window)).astype(np.int8)


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

    def closed(self, closed: Mask, discharge: Days) -> DeadlineColumns:
        """A closed episode: every deadline not yet met becomes not applicable."""
        in_closed = closed if self.pos is None else closed[self.pos]
        day = discharge if self.pos is None else discharge[self.pos]
        close = in_closed & (self.status != MET) & (self.status != MET_LATE) & (self.status != NOT_APPLICABLE)
        if not close.any():
            return self
        status = np.where(close, NOT_APPLICABLE, self.status).astype(np.int8)
        rows = np.flatnonzero(close)
        ended = text(len(rows), self.basis.take(pa.array(rows)), "; episode closed ", iso(day[rows]))
        basis = pc.replace_with_mask(self.basis, pa.array(close, pa.bool_()), ended)
        return DeadlineColumns(self.name, status, self.due, self.last_event, basis, self.subject, self.pos)


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
    return pd.DataFrame(
        {
            "key": keys[case_of],
            "name": _labels(np.minimum(slot, k).astype(np.int8), name_values),
            "status": _labels(status[src], [s.value for s in STATUSES]),
            "due_day": _int64(due, src),
            "last_event_day": _int64(last, src),
            "subject": pd.array(subject, dtype=pd.StringDtype("pyarrow")),
            "basis": pd.array(basis, dtype=pd.StringDtype("pyarrow")),
        }
    )


def _labels(codes: npt.NDArray[np.int8], values: list[str]) -> pd.api.extensions.ExtensionArray:
    """String labels of small integer codes (as pandas' default ``str`` dtype)."""
    labels = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(values)).cast(pa.string())
    out: pd.api.extensions.ExtensionArray = pd.array(labels, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    return out
