"""Trial home visits: 6 months unless a court extends them (45 CFR 1356.21(e))."""

from __future__ import annotations

from datetime import date

import pytest

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.model.case import Hearing, Placement, item_ids
from permanency_rules.model.codes import HearingFinding, HearingType, PlacementSetting

from .builders import clocks, make_case, one

THV = DeadlineName.TRIAL_HOME_VISIT
REMOVAL = date(2025, 1, 10)


def visit(start: date, end: date | None = None, pid: str | None = "thv-1") -> Placement:
    return Placement(id=pid, setting=PlacementSetting.TRIAL_HOME_VISIT, start_date=start, end_date=end)


def extension(day: date) -> Hearing:
    return Hearing(type=HearingType.REVIEW, date=day, findings=[HearingFinding.THV_EXTENSION_ORDERED])


@pytest.mark.parametrize(
    ("end", "hearings", "as_of", "status", "event"),
    [
        (date(2025, 8, 1), [], date(2025, 12, 1), DeadlineStatus.MET, date(2025, 8, 1)),
        (date(2025, 9, 1), [], date(2025, 12, 1), DeadlineStatus.MET, date(2025, 9, 1)),
        (date(2025, 10, 1), [], date(2025, 12, 1), DeadlineStatus.MET_LATE, date(2025, 10, 1)),
        (None, [], date(2025, 5, 1), DeadlineStatus.PENDING, None),
        (None, [], date(2025, 8, 15), DeadlineStatus.DUE_SOON, None),
        (None, [], date(2025, 9, 2), DeadlineStatus.OVERDUE, None),
        # an end after as_of has not happened yet
        (date(2026, 1, 1), [], date(2025, 9, 2), DeadlineStatus.OVERDUE, None),
        # an extension ordered in time, with no end date the court set on record: not evaluable (R9)
        (None, [date(2025, 8, 20)], date(2025, 12, 1), DeadlineStatus.NOT_EVALUABLE, None),
        # an order after the 6 months were up comes too late
        (None, [date(2025, 9, 15)], date(2025, 12, 1), DeadlineStatus.OVERDUE, None),
    ],
)
def test_trial_home_visit(
    end: date | None,
    hearings: list[date],
    as_of: date,
    status: DeadlineStatus,
    event: date | None,
) -> None:
    case = make_case(
        REMOVAL,
        placements=[visit(date(2025, 3, 1), end)],
        hearings=[extension(d) for d in hearings],
    )
    d = one(clocks(case, as_of), THV, "thv-1")
    assert (d.due_date, d.status, d.last_event) == (date(2025, 9, 1), status, event)
    assert d.citation == "45 CFR 1356.21(e)"


def test_one_deadline_per_visit_with_content_ids() -> None:
    first = visit(date(2025, 2, 28), date(2025, 3, 31), pid=None)
    second = visit(date(2025, 8, 31), pid=None)
    older = visit(date(2024, 6, 1), date(2024, 7, 1), pid=None)  # before this removal
    foster = Placement(setting=PlacementSetting.RELATIVE_FOSTER_HOME, start_date=REMOVAL)
    placements = [foster, first, second, older]
    ids = item_ids("placement", placements)
    c = clocks(make_case(REMOVAL, placements=placements), date(2025, 9, 10))
    thvs = [d for d in c.deadlines if d.name is THV]
    assert {d.subject for d in thvs} == {ids[1], ids[2]}
    assert one(c, THV, ids[1]).due_date == date(2025, 8, 28)
    assert one(c, THV, ids[2]).due_date == date(2026, 2, 28)  # Aug 31 + 6 months
    reordered = clocks(make_case(REMOVAL, placements=placements[::-1]), date(2025, 9, 10))
    assert reordered == c


def test_no_trial_home_visit_no_deadline() -> None:
    c = clocks(make_case(REMOVAL), date(2025, 9, 10))
    assert not [d for d in c.deadlines if d.name is THV]
