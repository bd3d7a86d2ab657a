"""Legal review R2 and R18: the IV-E judicial findings of a removal are one-time duties that
cannot be cured, decided by the clocks as missed or not evaluable, never overdue for ever."""

from __future__ import annotations

from datetime import date

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from tests.corrections.both import case, deadline

PREVENT = DeadlineName.PREVENT_REMOVAL_FINDING
CONTRARY = DeadlineName.CONTRARY_TO_WELFARE_FINDING
BEST = DeadlineName.BEST_INTEREST_DETERMINATION


def _hearing(hid: str, day: str, *findings: str, kind: str = "removal") -> dict[str, object]:
    return {"id": hid, "type": kind, "date": day, "findings": list(findings)}


def test_r2_a_finding_missed_in_2020_is_missed_not_critical_overdue_for_2151_days() -> None:
    """Removed 2020-02-10; the first order (2020-02-12) holds no finding on efforts to prevent
    removal. Seen @2026-03-01 as critical, 2,151 days overdue. 45 CFR 1356.21(b)(1)(ii), (d)(2):
    the child is not IV-E eligible for the stay and nothing can cure it. Now: missed, with no
    growing day count; up to day 60 it was a due-soon tickler."""
    c = case("R2", "2020-02-10", hearings=[_hearing("h1", "2020-02-12", "contrary_to_welfare")])
    d = deadline(c, date(2026, 3, 1), PREVENT)
    assert (d.status, d.due_date, d.last_event) == (DeadlineStatus.MISSED, date(2020, 4, 10), None)
    assert deadline(c, date(2020, 4, 1), PREVENT).status is DeadlineStatus.DUE_SOON


def test_r2c_no_court_order_from_the_first_60_days_is_not_evaluable() -> None:
    """The record's first hearing is in 2025: it cannot show what the 2020 orders said."""
    c = case("R2c", "2020-02-10", hearings=[_hearing("h1", "2025-01-15", kind="review")])
    d = deadline(c, date(2026, 3, 1), PREVENT)
    assert d.status is DeadlineStatus.NOT_EVALUABLE
    assert deadline(c, date(2026, 3, 1), CONTRARY).status is DeadlineStatus.NOT_EVALUABLE


def test_r2d_contrary_to_the_welfare_must_be_in_the_first_order() -> None:
    """1356.21(c): the finding in the first order that sanctions the removal; a later order
    cannot supply it."""
    first_lacks = case(
        "R2d",
        "2025-01-10",
        hearings=[
            _hearing("h1", "2025-01-12", "reasonable_efforts_prevent_removal"),
            _hearing("h2", "2025-02-01", "contrary_to_welfare", kind="adjudication"),
        ],
    )
    assert deadline(first_lacks, date(2025, 6, 1), CONTRARY).status is DeadlineStatus.MISSED
    has_it = case("R2d2", "2025-01-10", hearings=[_hearing("h1", "2025-01-12", "contrary_to_welfare")])
    d = deadline(has_it, date(2025, 6, 1), CONTRARY)
    assert (d.status, d.last_event) == (DeadlineStatus.MET, date(2025, 1, 12))
    assert deadline(case("R2d3", "2025-01-10"), date(2025, 1, 20), CONTRARY).status is DeadlineStatus.PENDING


def test_r18_a_voluntary_placement_skips_the_60_day_findings_and_needs_a_180_day_determination() -> None:
    """45 CFR 1356.22(a): 1356.21(b)-(c) do not apply to voluntary placements (AFCARS MANREM 1);
    472(e) and 1356.22(b): a judicial best-interest determination within 180 days instead."""
    c = case("R18", "2025-01-10", episode={"manner_of_removal": "voluntary"})
    assert deadline(c, date(2025, 6, 1), PREVENT).status is DeadlineStatus.NOT_APPLICABLE
    assert deadline(c, date(2025, 6, 1), CONTRARY).status is DeadlineStatus.NOT_APPLICABLE
    d = deadline(c, date(2025, 6, 15), BEST)
    assert (d.status, d.due_date) == (DeadlineStatus.DUE_SOON, date(2025, 7, 9))
    assert deadline(c, date(2025, 8, 1), BEST).status is DeadlineStatus.NOT_EVALUABLE  # no order on record
    found = case(
        "R18b",
        "2025-01-10",
        episode={"manner_of_removal": "voluntary"},
        hearings=[_hearing("h1", "2025-05-01", "voluntary_best_interest", kind="review")],
    )
    assert deadline(found, date(2025, 8, 1), BEST).status is DeadlineStatus.MET
    court = case("R18c", "2025-01-10", episode={"manner_of_removal": "court_ordered"})
    assert deadline(court, date(2025, 6, 1), BEST).status is DeadlineStatus.NOT_APPLICABLE
