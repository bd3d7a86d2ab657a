"""Calendar arithmetic for legal clocks.

Statutes count calendar months ("within 12 months", "15 of the most recent 22 months"), not
blocks of 30 days. A month step clamps to the month end, as ``dateutil.relativedelta`` does:
Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year). Differences use the same rule, so
``months_between(d, add_months(d, n)) == n`` for every ``d`` and ``n >= 0``.

The arithmetic is written out on year, month and day (a relativedelta costs ~20 us to build and
a case asks dozens of these questions); ``tests/clocks/test_dates.py`` checks every function
against ``relativedelta`` over wide random ranges, so dateutil stays the definition.

Column-wise twins (suffix ``_columns``) take int64 numpy arrays of epoch days (``conventions.to_day``:
days since 1970-01-01) with no missing values: callers fill a placeholder and mask the result
(``clocks.context.Maybe``). They use the same month-end clamping, computed for every row at
once from year/month/day parts, never row by row; ``tests/clocks/test_dates.py`` checks each
against ``relativedelta`` and the scalar function. The ``day_*`` functions are scalar versions
on epoch days for the few cases counted one by one (the 15-of-22 count over several stretches).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from ..conventions import to_day

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month end (n may be negative)."""
    years, month0 = divmod(d.month - 1 + n, 12)
    year, month = d.year + years, month0 + 1
    day = d.day
    if day > 28:
        day = min(day, days_in_month(year, month))
    return date(year, month, day)


def add_days(d: date, n: int) -> date:
    """``d`` plus ``n`` days: only for clocks the law states in days."""
    return d + timedelta(days=n)


def month_parts(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months from ``start`` to ``end`` and the days left over; (0, 0) if none.

    The months are the most ``m`` with ``add_months(start, m) <= end``; the days are what is
    left after that step (as ``relativedelta(end, start)`` reports them)."""
    if end <= start:
        return 0, 0
    months = (end.year - start.year) * 12 + end.month - start.month
    stepped = add_months(start, months)
    if stepped > end:
        months -= 1
        stepped = add_months(start, months)
    return months, (end - stepped).days


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``; 0 when ``end`` is not after ``start``."""
    return month_parts(start, end)[0]


def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on`` (0 before birth).

    [R] A child born on Feb 29 is a year older on Feb 28 of a common year, the same month-end
    clamping as every other clock here; some states use Mar 1 instead.
    """
    return months_between(birth, on) // 12


def birthday(birth: date, years: int) -> date:
    """The date a child born on ``birth`` reaches ``years`` (Feb 29 -> Feb 28 in common years)."""
    return add_months(birth, 12 * years)


def end_of_month(d: date) -> date:
    """Last day of ``d``'s calendar month."""
    return d.replace(day=days_in_month(d.year, d.month))


def plural(n: int, unit: str) -> str:
    """``"1 month"``, ``"12 months"``: for the human ``basis`` strings."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


# -- column-wise: whole arrays of epoch days ---------------------------------------------------

Days = npt.NDArray[np.int64]
Ints = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Maybe:
    """An optional day per row: the column-wise missing-value convention inside the clocks.

    ``day`` holds the epoch day where ``has``, 0 elsewhere (so arithmetic stays safe and no
    sentinel can leak into a date). Frames carry the same as nullable ``Int64`` (``pd.NA``).
    """

    day: Days
    has: Mask

    def where(self, mask: Mask) -> Maybe:
        """Only the rows where ``mask`` holds."""
        has = self.has & mask
        return Maybe(np.where(has, self.day, 0), has)

    def or_else(self, other: Days) -> Days:
        return np.where(self.has, self.day, other)

    def take(self, rows: npt.NDArray[np.int64] | npt.NDArray[np.intp]) -> Maybe:
        """The days of ``rows`` (e.g. a case's date for each row of another table)."""
        return Maybe(self.day[rows], self.has[rows])


def day_column(col: pd.Series) -> Maybe:
    """An ``Int64`` epoch-day column as a ``Maybe``."""
    has = col.notna().to_numpy(dtype=bool)
    return Maybe(col.to_numpy(dtype=np.int64, na_value=0), has)


def as_days(values: npt.ArrayLike) -> Days:
    """An int64 array of epoch days."""
    return np.asarray(values, dtype=np.int64)


def _month_index64(days: Days) -> Ints:
    return as_days(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start64(months: Ints) -> Days:
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


# Look-up tables for days from 1900 to 2199 (every case date in practice): indexing them is
# several times faster than datetime64 casts, which remain for anything outside.
_FIRST, _LAST = to_day(date(1900, 1, 1)), to_day(date(2200, 1, 1))
_N_MONTHS = 12 * 300
_FIRST_MONTH = int(_month_index64(as_days([_FIRST]))[0])
_MONTH_OF_DAY = _month_index64(np.arange(_FIRST, _LAST, dtype=np.int64))  # month index of each day
_MONTH_START = _month_start64(np.arange(_FIRST_MONTH, _FIRST_MONTH + _N_MONTHS + 1, dtype=np.int64))


_DAY0_OF_DAY = np.arange(_FIRST, _LAST, dtype=np.int64) - _MONTH_START[_MONTH_OF_DAY - _FIRST_MONTH]
_MONTH_LENGTH = np.diff(_MONTH_START)


def _tabled(days: Days) -> bool:
    return len(days) == 0 or (int(np.min(days)) >= _FIRST and int(np.max(days)) < _LAST)


def _months_tabled(months: Ints) -> bool:
    return len(months) == 0 or (
        int(np.min(months)) >= _FIRST_MONTH and int(np.max(months)) < _FIRST_MONTH + _N_MONTHS
    )


def month_index(days: Days) -> Ints:
    """Months since 1970-01 of each day (negative before 1970)."""
    d = as_days(days)
    return _MONTH_OF_DAY[d - _FIRST] if _tabled(d) else _month_index64(d)


def month_start(months: Ints) -> Days:
    """First day (epoch day) of each month index."""
    m = np.asarray(months, dtype=np.int64)
    return _MONTH_START[m - _FIRST_MONTH] if _months_tabled(m) else _month_start64(m)


def _split(days: Days) -> tuple[Ints, Ints]:
    """(month index, 0-based day of the month) of each day."""
    d = as_days(days)
    if _tabled(d):
        i = d - _FIRST
        return _MONTH_OF_DAY[i], _DAY0_OF_DAY[i]
    mi = _month_index64(d)
    return mi, d - _month_start64(mi)


def _clamped(months: Ints, day0: Ints) -> Days:
    """Day ``day0`` (0-based) of each month, or the month's last day if it is shorter."""
    if _months_tabled(months):
        j = months - _FIRST_MONTH
        return as_days(_MONTH_START[j] + np.minimum(day0, _MONTH_LENGTH[j] - 1))
    first = _month_start64(months)
    length = _month_start64(months + 1) - first
    return as_days(first + np.minimum(day0, length - 1))


def add_months_columns(days: Days, n: int | Ints) -> Days:
    """Each day plus ``n`` calendar months, clamped to the month end (``n`` may be negative)."""
    mi, day0 = _split(days)
    return _clamped(mi + np.asarray(n, dtype=np.int64), day0)


def month_parts_columns(start: Days, end: Days) -> tuple[Ints, Ints]:
    """Whole calendar months from ``start`` to ``end`` and the days left over; (0, 0) if none.

    As ``relativedelta(end, start)``: the most months ``m`` with ``start + m months <= end``.
    """
    s, e = as_days(start), as_days(end)
    s_month, s_day0 = _split(s)
    e_month = month_index(e)
    reached = _clamped(e_month, s_day0)  # start + (month difference): in end's month
    over = reached > e
    if over.any():
        reached = np.where(over, _clamped(e_month - 1, s_day0), reached)
    after = e > s
    return np.where(after, e_month - s_month - over, 0), np.where(after, e - reached, 0)


def months_between_columns(start: Days, end: Days) -> Ints:
    """Whole calendar months from ``start`` to ``end``; 0 when ``end`` is not after ``start``."""
    return month_parts_columns(start, end)[0]


def age_on_columns(birth: Days, on: Days) -> Ints:
    """Whole years of age on ``on`` (0 before birth); Feb 29 birthdays fall on Feb 28."""
    return months_between_columns(birth, on) // 12


def day_of_month_columns(days: Days) -> Ints:
    """Day of the month (1-31) of each day."""
    return _split(days)[1] + 1


def end_of_month_columns(days: Days) -> Days:
    """Last day of each day's calendar month."""
    return month_start(month_index(days) + 1) - 1


def iso(days: Days) -> pa.StringArray:
    """``YYYY-MM-DD`` of each day (as ``date.isoformat``), for basis strings."""
    d = as_days(days)
    if len(d) == 0:
        return pa.array([], pa.string())
    lo, hi = int(np.min(d)), int(np.max(d))
    if hi - lo < 4 * len(d):  # few distinct days: format each once, then look them up
        table = pc.cast(pa.array(np.arange(lo, hi + 1, dtype=np.int32), pa.date32()), pa.string())
        return table.take(pa.array(d - lo))
    return pc.cast(pa.array(d.astype(np.int32), pa.date32()), pa.string())


# Scalar versions on epoch days (the same rules), for the cases counted one by one (the
# 15-of-22 count over several stretches of care): table look-ups for days from 1900 to 2199,
# the column-wise functions on one row outside them.

_MONTH_OF: array[int] = array("q", (_MONTH_OF_DAY - _FIRST_MONTH).tolist())  # month number of each day
_DAY0_OF: array[int] = array("q", _DAY0_OF_DAY.tolist())
_MONTH_FIRST: array[int] = array("q", _MONTH_START.tolist())
_N_DAYS = _LAST - _FIRST


def day_add_months(day: int, n: int) -> int:
    """``day`` plus ``n`` calendar months, clamped to the month end."""
    i = day - _FIRST
    if 0 <= i < _N_DAYS:
        month = _MONTH_OF[i] + n
        if 0 <= month < _N_MONTHS:
            first = _MONTH_FIRST[month]
            length = _MONTH_FIRST[month + 1] - first
            day0 = _DAY0_OF[i]
            return first + (day0 if day0 < length else length - 1)
    return int(add_months_columns(as_days([day]), n)[0])  # outside the tables: the column-wise way


def day_add_days(day: int, n: int) -> int:
    return day + n


def day_month_parts(start: int, end: int) -> tuple[int, int]:
    """Whole calendar months from ``start`` to ``end`` and the days left over; (0, 0) if none."""
    if end <= start:
        return 0, 0
    i, j = start - _FIRST, end - _FIRST
    if i >= 0 and j < _N_DAYS:
        month = _MONTH_OF[j]  # start + (month difference) lands in end's month
        day0 = _DAY0_OF[i]
        first = _MONTH_FIRST[month]
        length = _MONTH_FIRST[month + 1] - first
        reached = first + (day0 if day0 < length else length - 1)
        if reached <= end:
            return month - _MONTH_OF[i], end - reached
        before = _MONTH_FIRST[month - 1]  # one month fewer (month > start's month here)
        length = first - before
        return month - _MONTH_OF[i] - 1, end - before - (day0 if day0 < length else length - 1)
    months, days = month_parts_columns(as_days([start]), as_days([end]))
    return int(months[0]), int(days[0])


def day_span(start: int, end: int) -> int:
    """Days from ``start`` to ``end``."""
    return end - start
