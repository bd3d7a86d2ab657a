"""compute_clocks as a whole: summary numbers, ordering, closed cases."""

from __future__ import annotations

from datetime import date

from permanency_rules.clocks import DeadlineName, DeadlineStatus, compute_clocks
from permanency_rules.clocks.deadline import OPEN_STATUSES
from permanency_rules.model.case import CasePlan, Hearing, Placement, Review
from permanency_rules.model.codes import HearingFinding, HearingType, PlacementSetting, ReviewType

from .builders import PARAMS, clocks, make_case, one

DONE = {DeadlineStatus.MET, DeadlineStatus.MET_LATE}


def test_summary_numbers() -> None:
    case = make_case(date(2024, 1, 31), birth=date(2012, 2, 29), adjudicated=date(2024, 2, 20))
    c = clocks(case, date(2025, 2, 28))
    assert c.as_of == date(2025, 2, 28)
    assert c.removal_date == date(2024, 1, 31)
    assert c.defc == date(2024, 2, 20)
    assert c.age_years == 13  # Feb 29 birthday falls on Feb 28 in 2025
    assert c.months_since_removal == 13  # Jan 31 + 13 months = Feb 28
    assert c.months_since_defc == 12
    assert c.tpr_months_in_care == 12


def test_months_are_zero_before_the_clock_starts() -> None:
    c = clocks(make_case(date(2025, 1, 10)), date(2025, 1, 5))
    assert (c.months_since_removal, c.months_since_defc, c.tpr_months_in_care) == (0, 0, 0)


def test_every_deadline_once_and_sorted() -> None:
    thv = Placement(setting=PlacementSetting.TRIAL_HOME_VISIT, start_date=date(2025, 2, 1))
    c = clocks(make_case(date(2025, 1, 10), placements=[thv]), date(2025, 3, 1))
    names = [d.name for d in c.deadlines]
    assert sorted(names, key=lambda n: n.value) == names
    assert set(names) == set(DeadlineName)
    assert len(names) == len(set(names))


def test_closed_case_has_no_open_deadlines() -> None:
    case = make_case(
        date(2025, 1, 10),
        discharged=date(2025, 6, 1),
        case_plans=[CasePlan(date=date(2025, 2, 1))],
        hearings=[
            Hearing(
                type=HearingType.REMOVAL,
                date=date(2025, 4, 1),
                findings=[HearingFinding.REASONABLE_EFFORTS_PREVENT_REMOVAL],
            )
        ],
    )
    c = clocks(case, date(2026, 6, 1))
    assert not {d.status for d in c.deadlines} & OPEN_STATUSES
    assert one(c, DeadlineName.CASE_PLAN).status is DeadlineStatus.MET
    # the only court order is from day 81: the record cannot show the 60-day finding (R2(c));
    # a final status, which closing the episode leaves as it is
    assert one(c, DeadlineName.PREVENT_REMOVAL_FINDING).status is DeadlineStatus.NOT_EVALUABLE
    assert one(c, DeadlineName.PERMANENCY_HEARING).status is DeadlineStatus.NOT_APPLICABLE
    visit = one(c, DeadlineName.CASEWORKER_VISIT)
    assert visit.status is DeadlineStatus.NOT_APPLICABLE
    assert "episode closed 2025-06-01" in visit.basis
    assert c.tpr_months_in_care == 2  # DEFC 2025-03-11 to discharge 2025-06-01


def test_events_after_discharge_do_not_meet_deadlines() -> None:
    case = make_case(
        date(2025, 1, 10), discharged=date(2025, 2, 1), case_plans=[CasePlan(date=date(2025, 3, 1))]
    )
    d = one(clocks(case, date(2025, 6, 1)), DeadlineName.CASE_PLAN)
    assert (d.status, d.last_event) == (DeadlineStatus.NOT_APPLICABLE, None)


def test_discharge_after_as_of_has_not_happened() -> None:
    case = make_case(date(2025, 1, 10), discharged=date(2025, 12, 1))
    c = clocks(case, date(2025, 6, 1))
    assert one(c, DeadlineName.CASE_PLAN).status is DeadlineStatus.OVERDUE


def test_list_order_does_not_matter() -> None:
    reviews = [
        Review(type=ReviewType.COURT, date=date(2025, 5, 1)),
        Review(type=ReviewType.ADMINISTRATIVE, date=date(2025, 9, 1)),
    ]
    plans = [CasePlan(date=date(2025, 4, 1)), CasePlan(date=date(2025, 2, 1))]
    a = make_case(date(2025, 1, 10), reviews=reviews, case_plans=plans)
    b = make_case(date(2025, 1, 10), reviews=reviews[::-1], case_plans=plans[::-1])
    assert compute_clocks(a, date(2025, 10, 1), PARAMS) == compute_clocks(b, date(2025, 10, 1), PARAMS)
