"""Column-wise calendar arithmetic (``clocks.dates.*_columns``) agrees with ``relativedelta``
and the scalar functions beside it.

Days are drawn from two ranges: 1900-2199, where the column functions use look-up tables, and
the whole range of ``datetime.date``, where it falls back to datetime64 casts; month ends and
Feb 29 are drawn far more often than chance would draw them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from permanency_rules.clocks import dates as cal
from permanency_rules.conventions import from_day, to_day
from tests.conftest import ROOT, load_yaml


def days_in(first_year: int, last_year: int) -> st.SearchStrategy[date]:
    """Any day of the years, a day near a month end, or a Feb 29."""
    month_ends = st.builds(
        lambda y, m, back: cal.end_of_month(date(y, m, 1)) - timedelta(days=back),
        st.integers(first_year, last_year),
        st.integers(1, 12),
        st.integers(0, 3),
    )
    leap_days = (
        st.integers(first_year, last_year)
        .map(lambda y: y - y % 4 if y - y % 4 >= first_year else y - y % 4 + 4)
        .filter(lambda y: y <= last_year and (y % 100 != 0 or y % 400 == 0))
        .map(lambda y: date(y, 2, 29))
    )
    return st.one_of(st.dates(date(first_year, 1, 1), date(last_year, 12, 31)), month_ends, leap_days)


WIDE = days_in(1, 9990)
TABLED = days_in(1900, 2199)
MONTHS = st.integers(-300, 300)


def lists_of(element: st.SearchStrategy[object]) -> st.SearchStrategy[list[object]]:
    return st.lists(element, min_size=1, max_size=60)


def either(make: object) -> st.SearchStrategy[list[object]]:
    """Lists drawn wholly from the tabled range, or from the whole range."""
    assert callable(make)
    return st.one_of(lists_of(make(TABLED)), lists_of(make(WIDE)))


def arr(values: list[date]) -> np.ndarray:
    return cal.as_days([to_day(d) for d in values])


def back(values: np.ndarray) -> list[date]:
    return [from_day(int(v)) for v in values]


def fits(d: date, n: int) -> bool:
    """``d`` + ``n`` months stays within the years a ``date`` can hold."""
    year = d.year + n // 12
    return year >= 1 and year + 1 <= 9999


@settings(max_examples=80)
@given(either(lambda days: st.tuples(days, MONTHS)))
def test_add_months_is_relativedelta(pairs: list[tuple[date, int]]) -> None:
    pairs = [(d, n) for d, n in pairs if fits(d, n)]
    days = arr([d for d, _ in pairs])
    ns = np.array([n for _, n in pairs], dtype=np.int64)
    assert back(cal.add_months_columns(days, ns)) == [d + relativedelta(months=n) for d, n in pairs]
    for n in (-22, 1, 12, 15, 216):  # scalar n, as the clocks use it
        ok = [d for d, _ in pairs if fits(d, n)]
        assert back(cal.add_months_columns(arr(ok), n)) == [d + relativedelta(months=n) for d in ok]


@settings(max_examples=80)
@given(either(lambda days: st.tuples(days, days)))
def test_month_parts_is_relativedelta(pairs: list[tuple[date, date]]) -> None:
    starts, ends = arr([a for a, _ in pairs]), arr([b for _, b in pairs])
    months, days = cal.month_parts_columns(starts, ends)
    expected = [cal.month_parts(a, b) for a, b in pairs]
    assert list(zip(months.tolist(), days.tolist(), strict=True)) == expected
    assert cal.months_between_columns(starts, ends).tolist() == [m for m, _ in expected]


@settings(max_examples=80)
@given(either(lambda days: st.tuples(days, st.integers(0, 800))))
def test_months_between_is_the_most_months_that_fit(pairs: list[tuple[date, int]]) -> None:
    """max m with add_months(start, m) <= end, and 0 when end <= start."""
    starts = arr([a for a, _ in pairs])
    ends = starts + np.array([k for _, k in pairs], dtype=np.int64) - 30
    m = cal.months_between_columns(starts, ends)
    assert np.all(cal.add_months_columns(starts, m) <= np.maximum(ends, starts))
    assert np.all((cal.add_months_columns(starts, m + 1) > ends) | (ends <= starts))
    assert np.all(m[ends <= starts] == 0)


@settings(max_examples=80)
@given(either(lambda days: st.tuples(days, days)))
def test_age_on_is_the_reference(pairs: list[tuple[date, date]]) -> None:
    got = cal.age_on_columns(arr([b for b, _ in pairs]), arr([o for _, o in pairs])).tolist()
    assert got == [cal.age_on(b, o) for b, o in pairs]


@settings(max_examples=80)
@given(either(lambda days: days))
def test_end_of_month_day_of_month_and_iso(days: list[date]) -> None:
    a = arr(days)
    assert back(cal.end_of_month_columns(a)) == [cal.end_of_month(d) for d in days]
    assert cal.day_of_month_columns(a).tolist() == [d.day for d in days]
    assert cal.iso(a).to_pylist() == [d.isoformat() for d in days]


def test_iso_of_spread_and_empty_columns() -> None:
    spread = arr([date(1, 1, 1), date(1970, 1, 1), date(999, 12, 31), date(9999, 12, 31)])
    assert cal.iso(spread).to_pylist() == ["0001-01-01", "1970-01-01", "0999-12-31", "9999-12-31"]
    assert cal.iso(cal.as_days([])).to_pylist() == []
    assert cal.add_months_columns(cal.as_days([]), 3).tolist() == []


DATE_FILES = sorted((ROOT / "tests" / "cases" / "dates").glob("*.yaml"))
EXAMPLES = [(p.stem, i, ex) for p in DATE_FILES for i, ex in enumerate(load_yaml(p)["examples"])]


@pytest.mark.parametrize(("file", "i", "example"), EXAMPLES, ids=[f"{f}-{i}" for f, i, _ in EXAMPLES])
def test_date_examples_on_both_forms(file: str, i: int, example: dict[str, Any]) -> None:
    """``tests/cases/dates``: each example on the scalar function and on its column twin."""
    (name,) = set(example) - {"expect"}
    a, b = example[name]
    expect = example["expect"]
    scalar = getattr(cal, name)(a, b)
    assert (list(scalar) if isinstance(scalar, tuple) else scalar) == expect
    second = arr([b]) if isinstance(b, date) else b
    column = getattr(cal, f"{name}_columns")(arr([a]), second)
    if isinstance(column, tuple):
        assert [int(c[0]) for c in column] == expect
    elif isinstance(expect, date):
        assert back(column) == [expect]
    else:
        assert column.tolist() == [expect]


def test_every_day_of_four_years() -> None:
    """Exhaustively, for the steps the clocks take (and their scalar twins)."""
    days = [date(2023, 1, 1) + timedelta(days=k) for k in range(4 * 366)]
    a = arr(days)
    for n in (-22, -1, 1, 6, 12, 15, 16):
        expected = [d + relativedelta(months=n) for d in days]
        assert back(cal.add_months_columns(a, n)) == expected
        assert [from_day(cal.day_add_months(to_day(d), n)) for d in days] == expected
    for k in (1, 27, 28, 29, 30, 31, 59, 365, 456):
        ends = [d + timedelta(days=k) for d in days]
        expected_parts = [cal.month_parts(d, e) for d, e in zip(days, ends, strict=True)]
        m, left = cal.month_parts_columns(a, arr(ends))
        assert list(zip(m.tolist(), left.tolist(), strict=True)) == expected_parts
        assert [
            cal.day_month_parts(to_day(d), to_day(e)) for d, e in zip(days, ends, strict=True)
        ] == expected_parts


@settings(max_examples=300)
@given(st.one_of(st.tuples(TABLED, MONTHS, TABLED), st.tuples(WIDE, MONTHS, WIDE)))
def test_scalar_twins(drawn: tuple[date, int, date]) -> None:
    a, n, b = drawn
    da, db = to_day(a), to_day(b)
    if fits(a, n):
        assert from_day(cal.day_add_months(da, n)) == a + relativedelta(months=n)
    assert cal.day_month_parts(da, db) == cal.month_parts(a, b)
    assert cal.day_span(da, db) == (b - a).days
    if date(2, 1, 1) <= a <= date(9998, 1, 1):
        assert from_day(cal.day_add_days(da, n)) == cal.add_days(a, n)


def test_scalar_twins_beyond_the_dates_python_holds() -> None:
    """Outside ``datetime.date`` the scalar steps still answer (cases with such dates are
    rejected later; the clocks must not fail on them first)."""
    last = to_day(date(9999, 12, 31))
    assert cal.day_add_months(last, 16) > last
    # 9998-11-26 to 10001-02-03 (10000 is a leap year): 26 months to 10001-01-26, then 8 days
    assert cal.day_month_parts(last - 400, last + 400) == (26, 8)
