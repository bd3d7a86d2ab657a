"""Transition plan (42 USC 675(5)(H)) and yearly credit reports (42 USC 675(5)(I))."""

from __future__ import annotations

from datetime import date

import pytest

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.model.case import DatedRecord

from .builders import clocks, get, make_case

PLAN = DeadlineName.TRANSITION_PLAN
CREDIT = DeadlineName.CREDIT_REPORT
LEAP_BIRTH = date(2008, 2, 29)  # 18 on 2026-02-28; the plan window opens 2025-11-30


@pytest.mark.parametrize(
    ("plan", "as_of", "status"),
    [
        (None, date(2025, 11, 29), DeadlineStatus.NOT_APPLICABLE),  # R17: until the window opens
        (None, date(2025, 11, 30), DeadlineStatus.DUE_SOON),
        (None, date(2026, 2, 28), DeadlineStatus.DUE_SOON),
        (None, date(2026, 3, 1), DeadlineStatus.OVERDUE),
        (date(2025, 12, 15), date(2026, 1, 1), DeadlineStatus.MET),
        (date(2026, 2, 28), date(2026, 3, 1), DeadlineStatus.MET),
        (date(2026, 3, 10), date(2026, 4, 1), DeadlineStatus.MET_LATE),
        (date(2025, 10, 1), date(2026, 3, 1), DeadlineStatus.OVERDUE),  # before the window
    ],
)
def test_transition_plan(plan: date | None, as_of: date, status: DeadlineStatus) -> None:
    record = DatedRecord(date=plan) if plan else None
    case = make_case(date(2024, 1, 1), birth=LEAP_BIRTH, transition_plan=record)
    d = get(case, as_of, PLAN)
    assert (d.due_date, d.status, d.citation) == (date(2026, 2, 28), status, "42 USC 675(5)(H)")
    assert (d.last_event is not None) == (status in {DeadlineStatus.MET, DeadlineStatus.MET_LATE})


def test_transition_age_elected_by_the_state() -> None:
    case = make_case(date(2024, 1, 1), birth=LEAP_BIRTH)
    assert get(case, date(2026, 1, 1), PLAN, transition_age=21).due_date == date(2029, 2, 28)


def test_age_unknown_is_not_applicable() -> None:
    c = clocks(make_case(date(2024, 1, 1), birth=None), date(2025, 1, 1))
    assert c.age_years is None
    for name in (PLAN, CREDIT):
        d = next(x for x in c.deadlines if x.name is name)
        assert (d.status, d.due_date) == (DeadlineStatus.NOT_APPLICABLE, None)


def test_credit_report_from_the_14th_birthday() -> None:
    case = make_case(date(2023, 1, 1), birth=date(2010, 6, 15))
    assert get(case, date(2024, 6, 14), CREDIT).status is DeadlineStatus.NOT_APPLICABLE
    d = get(case, date(2024, 7, 1), CREDIT)
    assert (d.due_date, d.status, d.citation) == (
        date(2025, 6, 15),
        DeadlineStatus.PENDING,
        "42 USC 675(5)(I)",
    )
    assert get(case, date(2025, 6, 16), CREDIT).status is DeadlineStatus.OVERDUE


def test_credit_report_then_yearly() -> None:
    reports = [DatedRecord(date=date(2024, 3, 1)), DatedRecord(date=date(2024, 9, 1))]
    case = make_case(date(2023, 1, 1), birth=date(2010, 6, 15), credit_reports=reports)
    d = get(case, date(2025, 8, 10), CREDIT)  # the March report predates the 14th birthday
    assert (d.due_date, d.last_event, d.status) == (
        date(2025, 9, 1),
        date(2024, 9, 1),
        DeadlineStatus.DUE_SOON,
    )


def test_credit_report_runs_from_removal_for_an_older_child() -> None:
    case = make_case(date(2025, 1, 10), birth=date(2009, 6, 15))
    assert get(case, date(2025, 3, 1), CREDIT).due_date == date(2026, 1, 10)


def test_credit_report_age_from_parameters() -> None:
    case = make_case(date(2023, 1, 1), birth=date(2010, 6, 15))
    d = get(case, date(2025, 7, 1), CREDIT, credit_report_age=16)
    assert d.status is DeadlineStatus.NOT_APPLICABLE
