"""The 15-of-22 months TPR clock (42 USC 675(5)(E))."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.clocks.care_months import first_reach, months_in_window, union
from permanency_rules.model.case import Episode, Parent, Placement, Tpr
from permanency_rules.model.codes import ParentRole, PlacementSetting, TprException

from .builders import clocks, get, make_case, one

TPR = DeadlineName.TPR_PETITION


def test_continuous_care_reaches_15_months_from_defc_not_removal() -> None:
    case = make_case(date(2024, 1, 10))  # DEFC 2024-03-10
    before = clocks(case, date(2025, 6, 9))
    assert before.tpr_months_in_care == 14
    d = one(before, TPR)
    assert (d.due_date, d.status) == (date(2025, 6, 10), DeadlineStatus.DUE_SOON)
    assert "projected" in d.basis
    on = clocks(case, date(2025, 6, 10))
    assert on.tpr_months_in_care == 15
    d = one(on, TPR)
    assert (d.due_date, d.status, d.citation) == (
        date(2025, 6, 10),
        DeadlineStatus.DUE_SOON,
        "42 USC 675(5)(E)",
    )
    assert "reached 2025-06-10" in d.basis
    assert get(case, date(2025, 6, 11), TPR).status is DeadlineStatus.OVERDUE
    assert get(case, date(2025, 3, 1), TPR).status is DeadlineStatus.PENDING


def test_month_end_defc() -> None:
    case = make_case(date(2024, 1, 1), adjudicated=date(2024, 1, 31))
    assert get(case, date(2025, 5, 1), TPR).due_date == date(2025, 4, 30)


def test_before_defc_nothing_counts_yet() -> None:
    case = make_case(date(2025, 1, 10))
    c = clocks(case, date(2025, 2, 1))
    assert c.tpr_months_in_care == 0
    assert one(c, TPR).due_date == date(2026, 6, 11)  # DEFC 2025-03-11 + 15 months


def test_reentry_counts_the_prior_episode() -> None:
    prior = Episode(
        removal_date=date(2022, 1, 1),
        first_adjudication_date=date(2022, 1, 1),
        discharge_date=date(2022, 9, 1),
    )  # 8 months
    case = make_case(date(2022, 12, 1), adjudicated=date(2022, 12, 1), prior_episodes=[prior])
    c = clocks(case, date(2023, 3, 1))
    assert c.tpr_months_in_care == 11
    assert one(c, TPR).due_date == date(2023, 7, 1)  # projected: 8 + 7
    assert clocks(case, date(2023, 6, 30)).tpr_months_in_care == 14
    d = get(case, date(2023, 8, 1), TPR)
    assert (d.due_date, d.status) == (date(2023, 7, 1), DeadlineStatus.OVERDUE)
    alone = make_case(date(2022, 12, 1), adjudicated=date(2022, 12, 1))
    assert get(alone, date(2023, 8, 1), TPR).due_date == date(2024, 3, 1)


def test_prior_time_slides_out_of_the_22_month_window() -> None:
    prior = Episode(
        removal_date=date(2020, 1, 1),
        first_adjudication_date=date(2020, 1, 1),
        discharge_date=date(2021, 1, 1),
    )  # 12 months
    case = make_case(date(2022, 1, 1), adjudicated=date(2022, 1, 1), prior_episodes=[prior])
    # window on 2022-06-01 starts 2020-08-01: 5 prior months + 5 current months
    assert clocks(case, date(2022, 6, 1)).tpr_months_in_care == 10
    assert clocks(case, date(2022, 12, 1)).tpr_months_in_care == 11
    # the prior months leave as fast as current ones arrive: 15 only from current care
    d = get(case, date(2023, 5, 1), TPR)
    assert (d.due_date, d.status) == (date(2023, 4, 1), DeadlineStatus.OVERDUE)


def test_gap_longer_than_lookback_is_not_counted() -> None:
    prior = Episode(
        removal_date=date(2019, 1, 1),
        first_adjudication_date=date(2019, 1, 1),
        discharge_date=date(2020, 6, 1),
    )  # 17 months
    case = make_case(date(2022, 6, 1), adjudicated=date(2022, 6, 1), prior_episodes=[prior])
    assert clocks(case, date(2022, 7, 1)).tpr_months_in_care == 1
    assert get(case, date(2022, 7, 1), TPR).due_date == date(2023, 9, 1)


def test_prior_episode_alone_over_15_at_reentry() -> None:
    prior = Episode(
        removal_date=date(2021, 1, 1),
        first_adjudication_date=date(2021, 1, 1),
        discharge_date=date(2022, 5, 1),
    )  # 16 months, adjudicated on removal
    case = make_case(date(2022, 6, 1), adjudicated=date(2022, 6, 1), prior_episodes=[prior])
    d = get(case, date(2022, 7, 1), TPR)
    assert (d.due_date, d.status) == (date(2022, 6, 1), DeadlineStatus.OVERDUE)


@pytest.mark.parametrize("setting", [PlacementSetting.TRIAL_HOME_VISIT, PlacementSetting.RUNAWAY])
def test_trial_home_visit_and_runaway_days_do_not_count(setting: PlacementSetting) -> None:
    placements = [
        Placement(setting=PlacementSetting.NONRELATIVE_FOSTER_HOME, start_date=date(2024, 1, 10)),
        Placement(setting=setting, start_date=date(2024, 6, 10), end_date=date(2024, 8, 10)),
    ]
    case = make_case(date(2024, 1, 10), adjudicated=date(2024, 1, 10), placements=placements)
    assert clocks(case, date(2024, 9, 10)).tpr_months_in_care == 6  # 8 months less 2
    d = get(case, date(2025, 7, 1), TPR)
    assert (d.due_date, d.status) == (date(2025, 6, 10), DeadlineStatus.OVERDUE)


def test_not_accruing_while_on_the_run() -> None:
    placements = [Placement(setting=PlacementSetting.RUNAWAY, start_date=date(2024, 6, 10))]
    case = make_case(date(2024, 1, 10), adjudicated=date(2024, 1, 10), placements=placements)
    c = clocks(case, date(2024, 12, 1))
    assert c.tpr_months_in_care == 5
    d = one(c, TPR)
    assert (d.due_date, d.status) == (None, DeadlineStatus.PENDING)


@pytest.mark.parametrize(
    ("petition", "status"),
    [
        (date(2024, 5, 1), DeadlineStatus.MET),  # early: before the trigger
        (date(2025, 4, 10), DeadlineStatus.MET),
        (date(2025, 4, 11), DeadlineStatus.MET_LATE),
        (date(2023, 12, 1), DeadlineStatus.OVERDUE),  # before this removal: another episode
    ],
)
def test_petition(petition: date, status: DeadlineStatus) -> None:
    case = make_case(date(2024, 1, 10), adjudicated=date(2024, 1, 10), tpr=Tpr(petition_date=petition))
    d = get(case, date(2025, 6, 1), TPR)
    assert (d.due_date, d.status) == (date(2025, 4, 10), status)
    assert d.last_event == (petition if status is not DeadlineStatus.OVERDUE else None)


def test_early_petition_meets_a_projected_deadline() -> None:
    case = make_case(
        date(2024, 1, 10), adjudicated=date(2024, 1, 10), tpr=Tpr(petition_date=date(2024, 5, 1))
    )
    d = get(case, date(2024, 6, 1), TPR)
    assert (d.status, d.due_date, d.last_event) == (
        DeadlineStatus.MET,
        date(2025, 4, 10),
        date(2024, 5, 1),
    )


def test_a_documented_exception_is_decided_by_the_clock() -> None:
    tpr = Tpr(exception=TprException.RELATIVE_CARE, exception_date=date(2024, 3, 1))
    case = make_case(date(2024, 1, 10), adjudicated=date(2024, 1, 10), tpr=tpr)
    assert (
        get(case, date(2025, 6, 1), TPR).status is DeadlineStatus.EXCEPTED
    )  # R4: no longer left to the rules


def test_rights_of_every_parent_terminated() -> None:
    mother = Parent(role=ParentRole.MOTHER, rights_terminated_date=date(2025, 5, 1))
    father = Parent(role=ParentRole.FATHER, rights_terminated_date=date(2025, 5, 20))
    case = make_case(date(2024, 1, 10), adjudicated=date(2024, 1, 10), parents=[mother, father])
    d = get(case, date(2025, 6, 1), TPR)
    assert (d.status, d.last_event) == (DeadlineStatus.MET, date(2025, 5, 20))
    # one parent keeps rights, or a termination after as_of: still overdue
    assert get(case, date(2025, 5, 10), TPR).status is DeadlineStatus.OVERDUE
    only_mother = make_case(
        date(2024, 1, 10),
        adjudicated=date(2024, 1, 10),
        parents=[mother, Parent(role=ParentRole.FATHER)],
    )
    assert get(only_mother, date(2025, 6, 1), TPR).status is DeadlineStatus.OVERDUE


def test_shorter_lookback_parameter() -> None:
    prior = Episode(
        removal_date=date(2022, 1, 1),
        first_adjudication_date=date(2022, 1, 1),
        discharge_date=date(2022, 9, 1),
    )
    case = make_case(date(2022, 12, 1), adjudicated=date(2022, 12, 1), prior_episodes=[prior])
    assert clocks(case, date(2023, 8, 1)).tpr_months_in_care == 16  # 8 prior + 8 current
    # a 12-month window on 2023-08-01 starts 2022-08-01: one prior month is left
    assert clocks(case, date(2023, 8, 1), tpr_lookback_months=12).tpr_months_in_care == 9


def test_leftover_days_of_separate_stretches_pool_into_months() -> None:
    placements = [
        Placement(setting=PlacementSetting.RUNAWAY, start_date=date(2024, 1, 21), end_date=date(2024, 2, 5)),
        Placement(setting=PlacementSetting.GROUP_HOME, start_date=date(2024, 2, 5)),
    ]
    case = make_case(date(2024, 1, 1), adjudicated=date(2024, 1, 1), placements=placements)
    # 20 days + (1 month 9 days): 29 pooled days are not a month
    assert clocks(case, date(2024, 3, 14)).tpr_months_in_care == 1
    # 20 days + (1 month 15 days): 35 pooled days carry one month
    assert clocks(case, date(2024, 3, 20)).tpr_months_in_care == 2


def test_single_stretch_counts_calendar_months_exactly() -> None:
    case = make_case(date(2024, 1, 1), adjudicated=date(2024, 1, 1))
    assert clocks(case, date(2024, 1, 31)).tpr_months_in_care == 0  # 30 days, not a month
    assert clocks(case, date(2024, 2, 1)).tpr_months_in_care == 1


def test_trigger_never_moves_while_prior_care_slides_out() -> None:
    # 10.5 prior months, a 7-month gap, then continuous care: prior days leave the window as
    # current ones arrive, so the sliding count hovers at 14-15 for months after first reaching 15
    prior = Episode(  # adjudicated on removal: its DEFC is its removal date
        removal_date=date(2021, 1, 31),
        first_adjudication_date=date(2021, 1, 31),
        discharge_date=date(2021, 12, 15),
    )
    case = make_case(date(2022, 7, 17), adjudicated=date(2022, 7, 17), prior_episodes=[prior])
    trigger = date(2022, 12, 30)
    assert clocks(case, trigger - timedelta(days=1)).tpr_months_in_care == 14
    assert clocks(case, trigger).tpr_months_in_care == 15
    rank = {DeadlineStatus.PENDING: 0, DeadlineStatus.DUE_SOON: 1, DeadlineStatus.OVERDUE: 2}
    seen, dipped = 0, False
    day = date(2022, 10, 1)
    while day <= date(2023, 12, 31):
        c = clocks(case, day)
        d = one(c, TPR)
        assert rank[d.status] >= seen, day
        seen = rank[d.status]
        if day >= trigger:
            assert d.due_date == trigger, day
            dipped = dipped or c.tpr_months_in_care < 15
        day += timedelta(days=1)
    assert seen == 2
    assert dipped  # the obligation stands although the sliding count fell back to 14


intervals = st.lists(
    st.tuples(
        st.dates(min_value=date(2018, 1, 1), max_value=date(2024, 12, 31)),
        st.integers(min_value=1, max_value=500),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(raw=intervals, threshold=st.integers(min_value=1, max_value=20))
def test_first_reach_matches_a_day_by_day_scan(raw: list[tuple[date, int]], threshold: int) -> None:
    pieces = union((s, s + timedelta(days=n)) for s, n in raw)
    ranges = [(s, e) for s, e in pieces]
    expected = None
    for lo, hi in ranges:
        day = lo
        while expected is None and day <= hi:
            if months_in_window(pieces, day, 22)[0] >= threshold:
                expected = day
            day += timedelta(days=1)
    assert first_reach(pieces, ranges, 22, threshold) == expected
