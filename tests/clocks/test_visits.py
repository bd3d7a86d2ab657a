"""Monthly caseworker visits (42 USC 624(f)(1)(A))."""

from __future__ import annotations

from datetime import date

import pytest

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.model.case import CaseworkerVisit

from .builders import get, make_case

VISIT = DeadlineName.CASEWORKER_VISIT


@pytest.mark.parametrize(
    ("removal", "due"),
    [
        (date(2025, 1, 15), date(2025, 1, 31)),  # on or before the 15th: this month
        (date(2025, 1, 16), date(2025, 2, 28)),  # later: by the end of next month
        (date(2024, 1, 31), date(2024, 2, 29)),
    ],
)
def test_first_visit_due(removal: date, due: date) -> None:
    assert get(make_case(removal), removal, VISIT).due_date == due


def test_next_visit_due_end_of_following_month() -> None:
    case = make_case(
        date(2025, 1, 5),
        caseworker_visits=[
            CaseworkerVisit(date=date(2025, 1, 6)),
            CaseworkerVisit(date=date(2025, 1, 31), in_residence=False),
        ],
    )
    d = get(case, date(2025, 2, 10), VISIT)
    assert (d.due_date, d.last_event, d.status) == (
        date(2025, 2, 28),
        date(2025, 1, 31),
        DeadlineStatus.PENDING,
    )
    assert d.citation == "42 USC 624(f)(1)(A)"
    assert get(case, date(2025, 2, 21), VISIT).status is DeadlineStatus.DUE_SOON  # 7-day window
    assert get(case, date(2025, 2, 20), VISIT).status is DeadlineStatus.PENDING
    assert get(case, date(2025, 3, 1), VISIT).status is DeadlineStatus.OVERDUE


def test_visit_window_is_its_own_parameter() -> None:
    case = make_case(date(2025, 1, 5))
    d = get(case, date(2025, 1, 10), VISIT, caseworker_visit_due_soon_days=30)
    assert d.status is DeadlineStatus.DUE_SOON


def test_visit_after_as_of_or_before_removal_does_not_count() -> None:
    case = make_case(
        date(2025, 1, 5),
        caseworker_visits=[
            CaseworkerVisit(date=date(2024, 12, 20)),
            CaseworkerVisit(date=date(2025, 3, 1)),
        ],
    )
    d = get(case, date(2025, 2, 1), VISIT)
    assert (d.due_date, d.last_event, d.status) == (
        date(2025, 1, 31),
        None,
        DeadlineStatus.OVERDUE,
    )
