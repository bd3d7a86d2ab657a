"""DEFC: the earlier of the first adjudication and removal + 60 days (42 USC 675(5)(F))."""

from __future__ import annotations

from datetime import date

from permanency_rules.clocks import date_entered_foster_care
from permanency_rules.model.case import Episode, Hearing
from permanency_rules.model.codes import HearingFinding, HearingType

from .builders import clocks, make_case

REMOVAL = date(2025, 3, 1)


def test_unknown_adjudication_is_removal_plus_60_days() -> None:
    assert date_entered_foster_care(Episode(removal_date=REMOVAL), 60) == date(2025, 4, 30)


def test_early_adjudication_starts_defc() -> None:
    ep = Episode(removal_date=REMOVAL, first_adjudication_date=date(2025, 3, 20))
    assert date_entered_foster_care(ep, 60) == date(2025, 3, 20)


def test_late_adjudication_does_not_delay_defc() -> None:
    ep = Episode(removal_date=REMOVAL, first_adjudication_date=date(2025, 7, 1))
    assert date_entered_foster_care(ep, 60) == date(2025, 4, 30)


def test_adjudication_before_removal_starts_at_removal() -> None:
    ep = Episode(removal_date=REMOVAL, first_adjudication_date=date(2024, 12, 1))
    assert date_entered_foster_care(ep, 60) == REMOVAL


def test_profile_can_shorten_the_60_days() -> None:
    assert date_entered_foster_care(Episode(removal_date=REMOVAL), 30) == date(2025, 3, 31)


def test_adjudication_finding_at_a_hearing_counts() -> None:
    hearing = Hearing(
        type=HearingType.ADJUDICATION,
        date=date(2025, 3, 15),
        findings=[HearingFinding.ABUSE_NEGLECT_ADJUDICATED],
    )
    case = make_case(REMOVAL, adjudicated=date(2025, 4, 10), hearings=[hearing])
    assert clocks(case, date(2025, 6, 1)).defc == date(2025, 3, 15)


def test_scheduled_adjudication_hearing_does_not_count() -> None:
    hearing = Hearing(
        type=HearingType.ADJUDICATION,
        date=date(2025, 3, 15),
        scheduled=True,
        findings=[HearingFinding.ABUSE_NEGLECT_ADJUDICATED],
    )
    case = make_case(REMOVAL, hearings=[hearing])
    assert clocks(case, date(2025, 6, 1)).defc == date(2025, 4, 30)


def test_adjudication_after_as_of_is_not_yet_known() -> None:
    case = make_case(REMOVAL, adjudicated=date(2025, 3, 20))
    assert clocks(case, date(2025, 3, 10)).defc == date(2025, 4, 30)
    assert clocks(case, date(2025, 3, 20)).defc == date(2025, 3, 20)
