"""Calendar arithmetic: month-end clamping, leap days, whole months and ages."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from permanency_rules.clocks import add_months, age_on
from permanency_rules.clocks.dates import birthday, end_of_month, month_parts, months_between


def test_month_end_clamps() -> None:
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2024, 10, 31), 1) == date(2024, 11, 30)


def test_leap_day_plus_years() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 48) == date(2028, 2, 29)


def test_whole_months_use_the_same_clamping() -> None:
    assert months_between(date(2023, 1, 31), date(2023, 2, 27)) == 0
    assert months_between(date(2023, 1, 31), date(2023, 2, 28)) == 1
    assert month_parts(date(2023, 1, 31), date(2023, 3, 1)) == (1, 1)
    assert months_between(date(2025, 8, 31), date(2026, 2, 28)) == 6
    assert months_between(date(2026, 1, 1), date(2025, 1, 1)) == 0  # negative -> 0


def test_age_on_feb_29_birthday() -> None:
    born = date(2008, 2, 29)
    assert age_on(born, date(2026, 2, 27)) == 17
    assert age_on(born, date(2026, 2, 28)) == 18  # [R] Feb 28 in a common year
    assert age_on(born, date(2028, 2, 28)) == 19
    assert age_on(born, date(2028, 2, 29)) == 20
    assert birthday(born, 18) == date(2026, 2, 28)
    assert age_on(born, date(2000, 1, 1)) == 0


def test_age_on_ordinary_birthday() -> None:
    assert age_on(date(2010, 6, 15), date(2024, 6, 14)) == 13
    assert age_on(date(2010, 6, 15), date(2024, 6, 15)) == 14


def test_end_of_month() -> None:
    assert end_of_month(date(2024, 2, 3)) == date(2024, 2, 29)
    assert end_of_month(date(2025, 2, 28)) == date(2025, 2, 28)
    assert end_of_month(date(2025, 12, 1)) == date(2025, 12, 31)


days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=40))
def test_months_between_inverts_add_months(start: date, n: int) -> None:
    end = add_months(start, n)
    assert months_between(start, end) == n
    assert end.day <= start.day  # clamping only ever moves back to the month end


@settings(max_examples=300, deadline=None)
@given(start=days, end=days)
def test_month_parts_rebuild_the_end_date(start: date, end: date) -> None:
    months, leftover = month_parts(start, end)
    if end <= start:
        assert (months, leftover) == (0, 0)
        return
    assert add_months(start, months) <= end < add_months(start, months + 1)
    assert (end - add_months(start, months)).days == leftover
    assert 0 <= leftover <= 30


_DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@settings(max_examples=3000)
@given(d=_DAYS, n=st.integers(-600, 600))
def test_add_months_is_relativedelta(d: date, n: int) -> None:
    from dateutil.relativedelta import relativedelta

    assert add_months(d, n) == d + relativedelta(months=n)


@settings(max_examples=3000)
@given(a=_DAYS, b=_DAYS)
def test_month_parts_and_age_are_relativedelta(a: date, b: date) -> None:
    from dateutil.relativedelta import relativedelta

    rd = relativedelta(b, a)
    expected = (rd.years * 12 + rd.months, rd.days) if b > a else (0, 0)
    assert month_parts(a, b) == expected
    assert age_on(a, b) == (rd.years if b >= a else 0)
    assert end_of_month(a) == a + relativedelta(day=31)
