"""What every clock reads: the case, the evaluation date, the two clock starts, parameters.

Only events that happened count: dated on or before the evaluation date, not merely scheduled,
and (for the current episode) on or after its removal date.

The column-wise twin, ``ClockContext``, holds the same for every case at once: an event counts
if it is dated in [removal, evaluation date] and (hearings, reviews) was held. Every table row
knows its case through ``pos``, the row of ``Typed.frames['cases']`` it belongs to. Missing
days are a ``Maybe``: a day per row where ``has``, 0 elsewhere (the one column-wise convention
for an optional day inside the clocks; frames hold nullable ``Int64`` with ``pd.NA``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from ..adapters.tables import LIST_SEP
from ..columnar.typed import Typed
from ..conventions import TYPED_KEY
from ..model.case import Case, Hearing
from ..model.codes import HearingFinding, HearingType
from .dates import Days, Mask, Maybe, day_column
from .deadline import STATUS_CODE, Codes, DeadlineStatus

if TYPE_CHECKING:
    from .care_months import TprCounts


@dataclass(frozen=True)
class Context:
    case: Case
    as_of: date  # evaluation date: the caller's as_of, or the discharge date if earlier
    removal: date  # current episode's removal date
    defc: date  # current episode's date entered foster care, as known on as_of
    params: Mapping[str, int]

    @property
    def due_soon_days(self) -> int:
        return self.params["due_soon_days"]

    def counts(self, d: date) -> bool:
        """An event counts for the current episode if it happened in [removal, as_of]."""
        return self.removal <= d <= self.as_of

    def hearing_dates(
        self,
        *,
        types: Iterable[HearingType] | None = None,
        finding: HearingFinding | None = None,
    ) -> list[date]:
        """Sorted dates of held hearings of this episode, filtered by type and finding."""
        wanted = frozenset(types) if types is not None else None
        return sorted(h.date for h in self.case.hearings if self._held(h, wanted, finding))

    def calendared(self, due: date, *, types: Iterable[HearingType], reviews: bool = False) -> date | None:
        """The first hearing of ``types`` (or review, if asked) scheduled in [as_of, due]:
        on the calendar, not yet held, on or before the due date (45 CFR 1356.21; R1)."""
        wanted = frozenset(types)
        days = [
            h.date
            for h in self.case.hearings
            if h.scheduled and h.type in wanted and self.as_of <= h.date <= due
        ]
        if reviews:
            days += [r.date for r in self.case.reviews if r.scheduled and self.as_of <= r.date <= due]
        return min(days, default=None)

    def _held(self, h: Hearing, types: frozenset[HearingType] | None, finding: HearingFinding | None) -> bool:
        return (
            not h.scheduled
            and self.counts(h.date)
            and (types is None or h.type in types)
            and (finding is None or finding in h.findings)
        )


def with_calendar(status: DeadlineStatus, calendared: date | None) -> DeadlineStatus:
    """A deadline due soon is ``scheduled`` once a qualifying event is calendared by its due date.

    Only inside the window the tickler shows ahead: a hearing calendared for a due date months
    away changes nothing a worker must do now, so that deadline stays ``pending`` (no finding)."""
    if calendared is not None and status is DeadlineStatus.DUE_SOON:
        return DeadlineStatus.SCHEDULED
    return status


def with_calendar_columns(status: Codes, calendared: Maybe) -> Codes:
    """``with_calendar`` for every row."""
    return np.where(calendared.has & (status == _DUE_SOON), _SCHEDULED, status).astype(np.int8)


def open_status(due: date, as_of: date, window: int) -> DeadlineStatus:
    """Status of a deadline with no satisfying event: overdue, due soon or pending."""
    if as_of > due:
        return DeadlineStatus.OVERDUE
    if (due - as_of).days <= window:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.PENDING


def one_time_status(due: date, event: date | None, as_of: date, window: int) -> DeadlineStatus:
    """A one-time deadline: met (on time or late) once its event happened, else open."""
    if event is not None:
        return DeadlineStatus.MET if event <= due else DeadlineStatus.MET_LATE
    return open_status(due, as_of, window)


_MET, _MET_LATE = STATUS_CODE[DeadlineStatus.MET], STATUS_CODE[DeadlineStatus.MET_LATE]
_OVERDUE, _DUE_SOON = STATUS_CODE[DeadlineStatus.OVERDUE], STATUS_CODE[DeadlineStatus.DUE_SOON]
_PENDING = STATUS_CODE[DeadlineStatus.PENDING]
_SCHEDULED = STATUS_CODE[DeadlineStatus.SCHEDULED]


def open_status_columns(due: Days, as_of: Days, window: int) -> Codes:
    """``open_status`` for every row (status codes of ``deadline.STATUS_CODE``)."""
    return np.where(as_of > due, _OVERDUE, np.where(due - as_of <= window, _DUE_SOON, _PENDING)).astype(
        np.int8
    )


def one_time_status_columns(due: Days, event: Maybe, as_of: Days, window: int) -> Codes:
    """``one_time_status`` for every row."""
    done = np.where(event.day <= due, _MET, _MET_LATE)
    return np.where(event.has, done, open_status_columns(due, as_of, window)).astype(np.int8)


# -- column-wise: every case at once -------------------------------------------------------------

_HI = np.iinfo(np.int64).max
_LO = np.iinfo(np.int64).min


def arrow_text(col: pd.Series) -> pa.Array:
    """A text column as one Arrow ``string`` array."""
    a = pa.array(col.array, type=pa.string()) if len(col) else pa.array([], pa.string())
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def first(n: int, pos: npt.NDArray[np.intp], day: Days, mask: Mask) -> Maybe:
    """Per case, the earliest ``day`` of the rows where ``mask`` holds."""
    out = np.full(n, _HI, dtype=np.int64)
    np.minimum.at(out, pos[mask], day[mask])
    has = out != _HI
    return Maybe(np.where(has, out, 0), has)


def last(n: int, pos: npt.NDArray[np.intp], day: Days, mask: Mask) -> Maybe:
    """Per case, the latest ``day`` of the rows where ``mask`` holds."""
    out = np.full(n, _LO, dtype=np.int64)
    np.maximum.at(out, pos[mask], day[mask])
    has = out != _LO
    return Maybe(np.where(has, out, 0), has)


def count(n: int, pos: npt.NDArray[np.intp], mask: Mask | None = None) -> npt.NDArray[np.int64]:
    """Per case, how many rows (where ``mask`` holds)."""
    return np.bincount(pos if mask is None else pos[mask], minlength=n).astype(np.int64)


@dataclass(frozen=True)
class Episodes:
    """The current episode of every case: removal and evaluation date, by case row."""

    keys: npt.NDArray[np.int64]  # key of each case row (ascending)
    removal: Days
    evaluated: Days  # as_of, or the discharge date if the episode closed by then

    @property
    def n(self) -> int:
        return len(self.keys)

    def positions(self, frame: pd.DataFrame) -> npt.NDArray[np.intp]:
        """The case row of each row of ``frame``."""
        keys = frame[TYPED_KEY].to_numpy(dtype=np.int64)
        if len(self.keys) == 0 or self.keys[-1] != len(self.keys) - 1:  # some keys missing
            return np.searchsorted(self.keys, keys)
        return keys.astype(np.intp)  # keys are 0..n-1: the key is the row

    def counts(self, pos: npt.NDArray[np.intp], day: Maybe) -> Mask:
        """Rows whose day falls in their case's [removal, evaluation date]."""
        return day.has & (self.removal[pos] <= day.day) & (day.day <= self.evaluated[pos])

    def dated(self, frame: pd.DataFrame, column: str = "date") -> tuple[npt.NDArray[np.intp], Maybe]:
        """(case row, day) of every row of ``frame``."""
        return self.positions(frame), day_column(frame[column])

    def first(self, frame: pd.DataFrame, column: str = "date") -> Maybe:
        """Per case, the earliest day of ``frame`` that counts for the episode."""
        pos, day = self.dated(frame, column)
        return first(self.n, pos, day.day, self.counts(pos, day))

    def last(self, frame: pd.DataFrame, column: str = "date", held_only: bool = False) -> Maybe:
        """Per case, the latest day of ``frame`` that counts (and was held, if asked)."""
        pos, day = self.dated(frame, column)
        mask = self.counts(pos, day)
        if held_only:
            mask &= ~frame["scheduled"].to_numpy(dtype=bool)
        return last(self.n, pos, day.day, mask)


class HeldHearings:
    """Hearings held in each case's current episode (not scheduled, in the window)."""

    def __init__(self, frame: pd.DataFrame, episodes: Episodes) -> None:
        pos, day = episodes.dated(frame)
        held = episodes.counts(pos, day) & ~frame["scheduled"].to_numpy(dtype=bool)
        self.n = episodes.n
        self.pos = pos[held]
        self.day = day.day[held]
        self._types = frame["type"][held].reset_index(drop=True)
        lists = pc.split_pattern(arrow_text(frame["findings"][held]), LIST_SEP)
        self._items = pc.list_flatten(lists)  # every finding of every held hearing
        self._item_row = np.asarray(
            pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype=np.intp
        )
        self._found: dict[HearingFinding, Mask] = {}

    def finding(self, code: HearingFinding) -> Mask:
        """Hearings with the finding ``code`` (as ``typed.has_code``)."""
        if code not in self._found:
            hit = np.asarray(pc.equal(self._items, code.value).to_numpy(zero_copy_only=False), dtype=bool)
            self._found[code] = np.bincount(self._item_row[hit], minlength=len(self.pos)) > 0
        return self._found[code]

    def of_type(self, types: Iterable[HearingType]) -> Mask:
        out: Mask = self._types.isin([t.value for t in types]).to_numpy(dtype=bool)
        return out

    def first(self, mask: Mask) -> Maybe:
        return first(self.n, self.pos, self.day, mask)

    def last(self, mask: Mask) -> Maybe:
        return last(self.n, self.pos, self.day, mask)


def latest(a: Maybe, b: Maybe) -> Maybe:
    """The later of two optional days (either may be missing)."""
    has = a.has | b.has
    day = np.maximum(np.where(a.has, a.day, _LO), np.where(b.has, b.day, _LO))
    return Maybe(np.where(has, day, 0), has)


def earliest(*days: Maybe) -> Maybe:
    """The earliest of optional days (any may be missing)."""
    day = np.full(len(days[0].day), _HI, dtype=np.int64)
    for d in days:
        day = np.minimum(day, np.where(d.has, d.day, _HI))
    has = day != _HI
    return Maybe(np.where(has, day, 0), has)


@dataclass
class ClockContext:
    """The column-wise ``clocks.context.Context``: what every clock reads, one row per case."""

    t: Typed
    ep: Episodes
    hearings: HeldHearings
    defc: Days
    params: Mapping[str, int]
    care: TprCounts  # the 15-of-22 count of every case (``care_months.tpr_counts``)

    @property
    def n(self) -> int:
        return self.ep.n

    @property
    def removal(self) -> Days:
        return self.ep.removal

    @property
    def as_of(self) -> Days:
        return self.ep.evaluated

    def case_date(self, column: str) -> Maybe:
        return day_column(self.t.frames["cases"][column])

    def calendared(self, due: Days, *, types: Iterable[HearingType], reviews: bool = False) -> Maybe:
        """``Context.calendared`` for every case (``due`` per case row)."""
        out = _calendared(self.ep, self.t.frames["hearings"], due, types)
        if reviews:
            out = earliest(out, _calendared(self.ep, self.t.frames["reviews"], due, None))
        return out


def _calendared(ep: Episodes, frame: pd.DataFrame, due: Days, types: Iterable[HearingType] | None) -> Maybe:
    pos, day = ep.dated(frame)
    mask = frame["scheduled"].to_numpy(dtype=bool, na_value=False) & day.has
    mask &= (day.day >= ep.evaluated[pos]) & (day.day <= due[pos])
    if types is not None:
        mask &= frame["type"].isin([t.value for t in types]).to_numpy(dtype=bool, na_value=False)
    return first(ep.n, pos, day.day, mask)
