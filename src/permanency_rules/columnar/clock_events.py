"""What happened in each case's current episode, column-wise: the first or last qualifying event.

The twin of ``clocks.context``: an event counts if it is dated in [removal, evaluation date]
(the evaluation date is as_of, or the discharge date of a closed episode) and, for hearings and
reviews, was held rather than scheduled. Every table row knows its case through ``pos``, the
row of ``Typed.frames['cases']`` it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from ..adapters.tables import LIST_SEP
from ..conventions import TYPED_KEY as KEY
from ..model.codes import HearingFinding, HearingType
from .typed import Typed

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

_HI = np.iinfo(np.int64).max
_LO = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Maybe:
    """A day per row where ``has``; ``day`` holds 0 elsewhere (so arithmetic stays safe)."""

    day: Days
    has: Mask

    def where(self, mask: Mask) -> Maybe:
        """Only the rows where ``mask`` holds."""
        has = self.has & mask
        return Maybe(np.where(has, self.day, 0), has)

    def or_else(self, other: Days) -> Days:
        return np.where(self.has, self.day, other)


def arrow_text(col: pd.Series) -> pa.Array:
    """A text column as one Arrow ``string`` array."""
    a = pa.array(col.array, type=pa.string()) if len(col) else pa.array([], pa.string())
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def dates(col: pd.Series) -> Maybe:
    """An ``Int64`` epoch-day column as a ``Maybe``."""
    has = col.notna().to_numpy(dtype=bool)
    return Maybe(col.to_numpy(dtype=np.int64, na_value=0), has)


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
        keys = frame[KEY].to_numpy(dtype=np.int64)
        if len(self.keys) == 0 or self.keys[-1] != len(self.keys) - 1:  # some keys missing
            return np.searchsorted(self.keys, keys)
        return keys.astype(np.intp)  # keys are 0..n-1: the key is the row

    def counts(self, pos: npt.NDArray[np.intp], day: Maybe) -> Mask:
        """Rows whose day falls in their case's [removal, evaluation date]."""
        return day.has & (self.removal[pos] <= day.day) & (day.day <= self.evaluated[pos])

    def dated(self, frame: pd.DataFrame, column: str = "date") -> tuple[npt.NDArray[np.intp], Maybe]:
        """(case row, day) of every row of ``frame``."""
        return self.positions(frame), dates(frame[column])

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
        return dates(self.t.frames["cases"][column])
