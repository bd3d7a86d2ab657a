"""Recurring court clocks: periodic review, permanency hearing, reasonable-efforts finding."""

from __future__ import annotations

from datetime import date

import pytest

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.model.case import Hearing, Review
from permanency_rules.model.codes import HearingFinding, HearingType, ReviewType

from .builders import get, make_case

REMOVAL = date(2025, 1, 10)  # DEFC without adjudication: 2025-03-11
PH = DeadlineName.PERMANENCY_HEARING
REVIEW = DeadlineName.PERIODIC_REVIEW
REF = DeadlineName.REASONABLE_EFFORTS_FINDING


def hearing(
    day: date,
    kind: HearingType = HearingType.OTHER,
    *findings: HearingFinding,
    scheduled: bool = False,
) -> Hearing:
    return Hearing(type=kind, date=day, findings=list(findings), scheduled=scheduled)


def test_permanency_hearing_late_adjudication_runs_from_removal_plus_60() -> None:
    case = make_case(REMOVAL, adjudicated=date(2025, 4, 15))
    d = get(case, date(2025, 6, 1), PH)
    assert d.due_date == date(2026, 3, 11)  # not removal + 12 months (2026-01-10)
    assert d.basis == "DEFC 2025-03-11 + 12 months"
    assert d.citation == "42 USC 675(5)(C)"
    assert d.status is DeadlineStatus.PENDING


def test_permanency_hearing_early_adjudication_runs_from_adjudication() -> None:
    case = make_case(REMOVAL, adjudicated=date(2025, 2, 1))
    assert get(case, date(2025, 6, 1), PH).due_date == date(2026, 2, 1)


def test_permanency_hearing_then_every_12_months() -> None:
    case = make_case(
        REMOVAL,
        hearings=[
            hearing(date(2026, 2, 20), HearingType.PERMANENCY),
            hearing(date(2026, 5, 1), HearingType.REVIEW),
            hearing(date(2027, 1, 5), HearingType.PERMANENCY, scheduled=True),
        ],
    )
    d = get(case, date(2026, 6, 1), PH)
    assert (d.due_date, d.last_event) == (date(2027, 2, 20), date(2026, 2, 20))
    # calendared for 2027-01-05, not held: the clock still runs from 2026-02-20; months ahead
    # of the due date a calendared hearing leaves it pending (nothing to do yet) ...
    assert (d.status, d.scheduled_date) == (DeadlineStatus.PENDING, None)
    # ... and inside the due-soon window one calendared by the due date makes it scheduled (R1)
    later = case.model_copy(
        update={
            "hearings": [
                *case.hearings[:2],
                hearing(date(2027, 2, 10), HearingType.PERMANENCY, scheduled=True),
            ]
        }
    )
    d = get(later, date(2027, 1, 25), PH)
    assert (d.status, d.scheduled_date) == (DeadlineStatus.SCHEDULED, date(2027, 2, 10))
    assert get(case, date(2027, 1, 25), PH).status is DeadlineStatus.DUE_SOON
    assert get(case, date(2027, 2, 21), PH).status is DeadlineStatus.OVERDUE


def test_permanency_hearing_month_end_clamp() -> None:
    # adjudicated Feb 29, 2024: the hearing is due Feb 28, 2025
    case = make_case(date(2024, 2, 1), adjudicated=date(2024, 2, 29))
    assert get(case, date(2024, 6, 1), PH).due_date == date(2025, 2, 28)


def test_aggravated_circumstances_hearing_within_30_days() -> None:
    finding = HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED
    case = make_case(REMOVAL, hearings=[hearing(date(2025, 2, 15), HearingType.OTHER, finding)])
    d = get(case, date(2025, 3, 1), PH)
    assert d.due_date == date(2025, 3, 17)
    assert d.citation == "42 USC 671(a)(15)(E)(i)"
    assert d.status is DeadlineStatus.DUE_SOON
    assert get(case, date(2025, 3, 18), PH).status is DeadlineStatus.OVERDUE


def test_aggravated_hearing_answered_by_a_permanency_hearing() -> None:
    finding = HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED
    case = make_case(
        REMOVAL,
        hearings=[
            hearing(date(2025, 2, 15), HearingType.OTHER, finding),
            hearing(date(2025, 3, 10), HearingType.PERMANENCY),
        ],
    )
    d = get(case, date(2025, 4, 1), PH)
    assert (d.due_date, d.citation) == (date(2026, 3, 10), "42 USC 675(5)(C)")


def test_aggravated_finding_after_the_last_permanency_hearing() -> None:
    finding = HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED
    case = make_case(
        REMOVAL,
        hearings=[
            hearing(date(2025, 3, 10), HearingType.PERMANENCY),
            hearing(date(2025, 6, 1), HearingType.OTHER, finding),
            hearing(date(2025, 6, 20), HearingType.OTHER, finding),  # does not extend it
        ],
    )
    assert get(case, date(2025, 6, 25), PH).due_date == date(2025, 7, 1)


def test_aggravated_finding_at_the_permanency_hearing_itself() -> None:
    finding = HearingFinding.REASONABLE_EFFORTS_NOT_REQUIRED
    case = make_case(REMOVAL, hearings=[hearing(date(2025, 3, 1), HearingType.PERMANENCY, finding)])
    assert get(case, date(2025, 4, 1), PH).due_date == date(2026, 3, 1)


def test_periodic_review_from_defc_then_last_review() -> None:
    case = make_case(REMOVAL)
    d = get(case, date(2025, 5, 1), REVIEW)
    assert (d.due_date, d.basis) == (date(2025, 9, 11), "DEFC 2025-03-11 + 6 months")
    assert d.citation == "42 USC 675(5)(B)"
    reviewed = make_case(
        REMOVAL,
        reviews=[
            Review(type=ReviewType.ADMINISTRATIVE, date=date(2025, 8, 31)),
            Review(type=ReviewType.COURT, date=date(2026, 1, 15), scheduled=True),
        ],
    )
    d = get(reviewed, date(2025, 12, 1), REVIEW)
    assert (d.due_date, d.last_event) == (date(2026, 2, 28), date(2025, 8, 31))  # Aug 31 + 6


@pytest.mark.parametrize("kind", [HearingType.REVIEW, HearingType.PERMANENCY])
def test_review_and_permanency_hearings_count_as_reviews(kind: HearingType) -> None:
    case = make_case(REMOVAL, hearings=[hearing(date(2025, 7, 1), kind)])
    assert get(case, date(2025, 8, 1), REVIEW).due_date == date(2026, 1, 1)


def test_other_hearings_are_not_reviews() -> None:
    case = make_case(REMOVAL, hearings=[hearing(date(2025, 7, 1), HearingType.DISPOSITION)])
    assert get(case, date(2025, 8, 1), REVIEW).due_date == date(2025, 9, 11)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2025, 8, 11), DeadlineStatus.PENDING),
        (date(2025, 8, 12), DeadlineStatus.DUE_SOON),
        (date(2025, 9, 11), DeadlineStatus.DUE_SOON),
        (date(2025, 9, 12), DeadlineStatus.OVERDUE),
    ],
)
def test_recurring_status_window(as_of: date, status: DeadlineStatus) -> None:
    assert get(make_case(REMOVAL), as_of, REVIEW).status is status


def test_reasonable_efforts_finding_from_defc_then_last_finding() -> None:
    finding = HearingFinding.REASONABLE_EFFORTS_FINALIZE
    case = make_case(REMOVAL, adjudicated=date(2025, 2, 1))
    d = get(case, date(2025, 6, 1), REF)
    assert (d.due_date, d.citation) == (date(2026, 2, 1), "45 CFR 1356.21(b)(2)")
    found = make_case(
        REMOVAL,
        adjudicated=date(2025, 2, 1),
        hearings=[hearing(date(2025, 12, 1), HearingType.REVIEW, finding)],  # any hearing
    )
    d = get(found, date(2026, 3, 1), REF)
    assert (d.due_date, d.last_event, d.status) == (
        date(2026, 12, 1),
        date(2025, 12, 1),
        DeadlineStatus.PENDING,
    )
    assert get(case, date(2026, 3, 1), REF).status is DeadlineStatus.OVERDUE


def test_events_before_removal_belong_to_an_earlier_episode() -> None:
    case = make_case(REMOVAL, hearings=[hearing(date(2024, 12, 1), HearingType.PERMANENCY)])
    assert get(case, date(2025, 2, 1), PH).due_date == date(2026, 3, 11)
