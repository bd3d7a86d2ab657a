"""Clocks that run from removal, not DEFC: case plan, prevent-removal finding, relative notice."""

from __future__ import annotations

from datetime import date

import pytest

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.model.case import CasePlan, DatedRecord, Hearing
from permanency_rules.model.codes import HearingFinding, HearingType

from .builders import get, make_case

REMOVAL = date(2025, 1, 10)
PLAN = DeadlineName.CASE_PLAN


@pytest.mark.parametrize(
    ("plans", "as_of", "status", "event"),
    [
        ([], date(2025, 1, 20), DeadlineStatus.PENDING, None),
        ([], date(2025, 2, 9), DeadlineStatus.DUE_SOON, None),  # 30 days before 2025-03-11
        ([], date(2025, 3, 11), DeadlineStatus.DUE_SOON, None),  # due today
        ([], date(2025, 3, 12), DeadlineStatus.OVERDUE, None),
        ([date(2025, 3, 11)], date(2025, 6, 1), DeadlineStatus.MET, date(2025, 3, 11)),
        ([date(2025, 3, 12)], date(2025, 6, 1), DeadlineStatus.MET_LATE, date(2025, 3, 12)),
        # the earliest plan decides; later revisions do not
        (
            [date(2025, 5, 1), date(2025, 2, 1)],
            date(2025, 6, 1),
            DeadlineStatus.MET,
            date(2025, 2, 1),
        ),
        # a plan from before this removal belongs to an earlier episode
        ([date(2024, 12, 1)], date(2025, 6, 1), DeadlineStatus.OVERDUE, None),
        # a plan dated after as_of has not happened yet
        ([date(2025, 7, 1)], date(2025, 6, 1), DeadlineStatus.OVERDUE, None),
    ],
)
def test_case_plan(plans: list[date], as_of: date, status: DeadlineStatus, event: date | None) -> None:
    case = make_case(REMOVAL, case_plans=[CasePlan(date=d) for d in plans])
    d = get(case, as_of, PLAN)
    assert d.due_date == date(2025, 3, 11)
    assert (d.status, d.last_event) == (status, event)
    assert d.basis == "removal 2025-01-10 + 60 days"
    assert d.citation == "45 CFR 1356.21(g)(2)"


def test_case_plan_runs_from_removal_even_with_early_adjudication() -> None:
    case = make_case(REMOVAL, adjudicated=date(2025, 1, 20))
    assert get(case, date(2025, 2, 1), PLAN).due_date == date(2025, 3, 11)


def test_profile_override_shortens_case_plan() -> None:
    case = make_case(REMOVAL, case_plans=[CasePlan(date=date(2025, 2, 20))])
    federal = get(case, date(2025, 3, 1), PLAN)
    state = get(case, date(2025, 3, 1), PLAN, case_plan_days=30)
    assert (federal.status, federal.due_date) == (DeadlineStatus.MET, date(2025, 3, 11))
    assert (state.status, state.due_date) == (DeadlineStatus.MET_LATE, date(2025, 2, 9))
    assert state.basis == "removal 2025-01-10 + 30 days"


def _finding(day: date, finding: HearingFinding, *, scheduled: bool = False) -> Hearing:
    return Hearing(type=HearingType.REMOVAL, date=day, findings=[finding], scheduled=scheduled)


@pytest.mark.parametrize(
    "finding",
    [
        HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL,
        HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED,
    ],
)
def test_prevent_removal_finding_met(finding: HearingFinding) -> None:
    case = make_case(REMOVAL, hearings=[_finding(date(2025, 1, 13), finding)])
    d = get(case, date(2025, 6, 1), DeadlineName.PREVENT_REMOVAL_FINDING)
    assert (d.status, d.last_event, d.due_date) == (
        DeadlineStatus.MET,
        date(2025, 1, 13),
        date(2025, 3, 11),
    )
    assert d.citation == "45 CFR 1356.21(b)(1)"


def test_prevent_removal_other_findings_and_scheduled_hearings_do_not_count() -> None:
    case = make_case(
        REMOVAL,
        hearings=[
            _finding(date(2025, 1, 13), HearingFinding.CONTRARY_TO_WELFARE),
            _finding(date(2025, 2, 1), HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL, scheduled=True),
        ],
    )
    d = get(case, date(2025, 3, 20), DeadlineName.PREVENT_REMOVAL_FINDING)
    # the window has passed and the order of 2025-01-13 lacks the finding: missed, not overdue (R2)
    assert (d.status, d.last_event) == (DeadlineStatus.MISSED, None)


def test_prevent_removal_finding_late() -> None:
    case = make_case(
        REMOVAL,
        hearings=[_finding(date(2025, 4, 1), HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL)],
    )
    d = get(case, date(2025, 6, 1), DeadlineName.PREVENT_REMOVAL_FINDING)
    # a late finding cannot cure the 60-day one (45 CFR 1356.21(d)); with no court order from
    # the window on record, the record cannot tell (R2(c)) ...
    assert d.status is DeadlineStatus.NOT_EVALUABLE
    # ... and with one, the finding was missed
    order = Hearing(type=HearingType.REMOVAL, date=date(2025, 1, 12), findings=[])
    missed = get(
        case.model_copy(update={"hearings": [*case.hearings, order]}),
        date(2025, 6, 1),
        DeadlineName.PREVENT_REMOVAL_FINDING,
    )
    assert (missed.status, missed.last_event) == (DeadlineStatus.MISSED, None)


def test_relative_notice_30_days() -> None:
    name = DeadlineName.RELATIVE_NOTICE
    assert get(make_case(REMOVAL), date(2025, 1, 11), name).status is DeadlineStatus.DUE_SOON
    on_time = make_case(REMOVAL, relative_notice=DatedRecord(date=date(2025, 2, 9)))
    late = make_case(REMOVAL, relative_notice=DatedRecord(date=date(2025, 2, 10)))
    d = get(on_time, date(2025, 3, 1), name)
    assert (d.status, d.due_date, d.citation) == (
        DeadlineStatus.MET,
        date(2025, 2, 9),
        "42 USC 671(a)(29)",
    )
    assert get(late, date(2025, 3, 1), name).status is DeadlineStatus.MET_LATE
    # past the window without a notice: missed, no growing day count (R16)
    assert get(make_case(REMOVAL), date(2025, 2, 10), name).status is DeadlineStatus.MISSED
