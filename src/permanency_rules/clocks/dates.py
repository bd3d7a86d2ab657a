"""Calendar arithmetic for legal clocks.

Statutes count calendar months ("within 12 months", "15 of the most recent 22 months"), not
blocks of 30 days. A month step clamps to the month end, as ``dateutil.relativedelta`` does:
Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year). Differences use the same rule, so
``months_between(d, add_months(d, n)) == n`` for every ``d`` and ``n >= 0``.

The arithmetic is written out on year, month and day (a relativedelta costs ~20 us to build and
a case asks dozens of these questions); ``tests/clocks/test_dates.py`` checks every function
against ``relativedelta`` over wide random ranges, so dateutil stays the definition.
"""

from __future__ import annotations

from datetime import date, timedelta

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
