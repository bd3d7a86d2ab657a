"""Calendar arithmetic for legal clocks.

Statutes count calendar months ("within 12 months", "15 of the most recent 22 months"), not
blocks of 30 days. Every month step here goes through ``dateutil.relativedelta``, which clamps
to the month end: Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year). Differences use the same
rule, so ``months_between(d, add_months(d, n)) == n`` for every ``d`` and ``n >= 0``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

# relativedelta is exact but slow to build (~20 us); clocks ask the same questions again and
# again (the same as_of, the same look-back window), so answers are memoised.
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months, clamped to the month end (n may be negative)."""
    result: date = d + relativedelta(months=n)
    return result


def add_days(d: date, n: int) -> date:
    """``d`` plus ``n`` days: only for clocks the law states in days."""
    return d + timedelta(days=n)


@lru_cache(maxsize=_CACHE)
def month_parts(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months from ``start`` to ``end`` and the days left over; (0, 0) if none."""
    if end <= start:
        return 0, 0
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months, delta.days


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``; 0 when ``end`` is not after ``start``."""
    return month_parts(start, end)[0]


@lru_cache(maxsize=_CACHE)
def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on`` (0 before birth).

    [R] A child born on Feb 29 is a year older on Feb 28 of a common year, the same month-end
    clamping as every other clock here; some states use Mar 1 instead.
    """
    if on < birth:
        return 0
    return int(relativedelta(on, birth).years)


def birthday(birth: date, years: int) -> date:
    """The date a child born on ``birth`` reaches ``years`` (Feb 29 -> Feb 28 in common years)."""
    return add_months(birth, 12 * years)


def end_of_month(d: date) -> date:
    """Last day of ``d``'s calendar month."""
    result: date = d + relativedelta(day=31)
    return result


def plural(n: int, unit: str) -> str:
    """``"1 month"``, ``"12 months"``: for the human ``basis`` strings."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
