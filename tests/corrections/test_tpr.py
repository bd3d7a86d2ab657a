"""Legal review R4-R8: the TPR petition deadline decides exceptions, legal freedom and prior
episodes itself, so its tickler and the findings agree (42 USC 675(5)(E), 45 CFR 1356.21(i))."""

from __future__ import annotations

from datetime import date

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from tests.corrections.both import case, deadline

TPR = DeadlineName.TPR_PETITION


def test_r4_a_documented_exception_makes_the_petition_excepted_not_overdue() -> None:
    """A compelling reason documented on 2026-05-10 for a child past 15 of 22 (due 2026-04-20):
    the deadlines list said overdue while the findings said an exception applied. Now the
    clock says excepted, with the basis and its date, and stays so."""
    c = case(
        "R4",
        "2024-12-01",
        episode={"first_adjudication_date": "2025-01-20"},
        tpr={"exception": "compelling_reason", "exception_date": "2026-05-10"},
    )
    d = deadline(c, date(2026, 7, 1), TPR)
    assert d.status is DeadlineStatus.EXCEPTED
    assert (d.exception, d.exception_date, d.due_date) == (
        "compelling_reason",
        date(2026, 5, 10),
        date(2026, 4, 20),
    )
    assert "exception: compelling_reason 2026-05-10" in d.basis
    # without the documented exception the petition is overdue; a year on still excepted
    assert deadline({**c, "tpr": {}}, date(2026, 7, 1), TPR).status is DeadlineStatus.OVERDUE
    assert deadline(c, date(2027, 7, 1), TPR).status is DeadlineStatus.EXCEPTED


def test_r5_a_child_placed_with_a_relative_at_the_15_of_22_mark_is_excepted_by_default() -> None:
    """CFSR Round 4 Item 5 FAQ (5G1): placed with a relative at the 15/22 mark counts, with no
    documented exception. The state may choose the stricter reading (documented only)."""
    c = case(
        "R5",
        "2024-10-01",
        placements=[
            {"id": "p1", "setting": "relative_foster_home", "start_date": "2024-10-01", "relative": True}
        ],
        goals=[{"id": "g1", "type": "guardianship", "start_date": "2024-12-01"}],
    )
    d = deadline(c, date(2026, 3, 1), TPR)
    assert (d.status, d.exception, d.exception_date) == (DeadlineStatus.EXCEPTED, "relative_care", d.due_date)
    strict = deadline(c, date(2026, 3, 1), TPR, tpr_relative_care_at_trigger=0)
    assert strict.status is DeadlineStatus.OVERDUE and strict.exception is None


def test_r6_an_exception_applies_once_and_its_end_is_a_prompt_not_an_overdue() -> None:
    """Relative-care exception documented 2026-02-15; the child moved to a non-relative home on
    2026-08-01. The old due date came back as critical and overdue. 45 CFR 1356.21(i)(1)(i)(D):
    apply once. Now: still excepted, with the day the basis ended for an info prompt."""
    c = case(
        "R6",
        "2024-09-01",
        episode={"first_adjudication_date": "2024-10-01"},
        placements=[
            {
                "id": "p1",
                "setting": "relative_foster_home",
                "start_date": "2024-09-01",
                "end_date": "2026-08-01",
            },
            {"id": "p2", "setting": "nonrelative_foster_home", "start_date": "2026-08-01"},
        ],
        tpr={"exception": "relative_care", "exception_date": "2026-02-15"},
    )
    d = deadline(c, date(2026, 11, 13), TPR)
    assert d.status is DeadlineStatus.EXCEPTED
    assert (d.exception, d.exception_date, d.exception_ended) == (
        "relative_care",
        date(2026, 2, 15),
        date(2026, 8, 1),
    )
    # while the child was still with the relative, nothing has ended
    assert deadline(c, date(2026, 7, 1), TPR).exception_ended is None


def test_r7_a_deceased_parent_needs_no_tpr_and_the_child_is_legally_free() -> None:
    """Mother's rights terminated 2026-04-15, father deceased: legally free, so the petition is
    met (no critical for a petition nobody needs)."""
    c = case(
        "R7",
        "2024-06-01",
        parents=[
            {"id": "mother", "role": "mother", "rights_terminated_date": "2026-04-15"},
            {"id": "father", "role": "father", "deceased": True},
        ],
    )
    d = deadline(c, date(2026, 7, 1), TPR)
    assert (d.status, d.last_event) == (DeadlineStatus.MET, date(2026, 4, 15))
    assert "every living parent terminated by 2026-04-15" in d.basis
    # before the termination the mother's rights were intact: overdue
    assert deadline(c, date(2026, 4, 1), TPR).status is DeadlineStatus.OVERDUE
    orphan = case("R7b", "2024-06-01", parents=[{"id": "mother", "role": "mother", "deceased": True}])
    assert deadline(orphan, date(2026, 7, 1), TPR).status is DeadlineStatus.MET


def test_r8_a_prior_episode_counts_from_its_own_date_entered_foster_care() -> None:
    """Prior episode 2024-06-03 to 2024-12-03, current removal 2025-01-02 (DEFC 2025-03-03).
    Counted from the prior removal the 15 months fell 2025-12-03, two months early; counted
    from the prior DEFC (removal + 60 days, 2024-08-02) the prior stay is 4 months and a day, not
    6 months: 15 months fall on 2026-02-01 (4 months + 10 months 29 days, the pooled 30 days
    carrying one month), "about 2026-02-03" in the review."""
    c = case(
        "R8",
        "2025-01-02",
        prior_episodes=[
            {
                "removal_date": "2024-06-03",
                "discharge_date": "2024-12-03",
                "discharge_reason": "reunification",
            }
        ],
    )
    d = deadline(c, date(2025, 12, 10), TPR)
    assert d.status is not DeadlineStatus.OVERDUE
    assert d.due_date == date(2026, 2, 1)
