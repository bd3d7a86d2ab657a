"""Dates as epoch-day integers inside facts: both engines compare and subtract them safely."""

from __future__ import annotations

from datetime import date

_EPOCH = date(1970, 1, 1).toordinal()


def to_day(d: date) -> int:
    return d.toordinal() - _EPOCH


def from_day(n: int) -> date:
    return date.fromordinal(int(n) + _EPOCH)
