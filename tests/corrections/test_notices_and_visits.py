"""Legal review R9, R16, R17: a trial home visit runs to the end the court set; relative notice
is missed, not overdue for ever, and may be excepted; a transition plan is no tickler item for
an infant."""

from __future__ import annotations

from datetime import date

from permanency_rules.clocks import DeadlineName, DeadlineStatus
from tests.corrections.both import case, deadline


def test_r16_relative_notice_missed_after_its_window_and_excepted_for_family_violence() -> None:
    """42 USC 671(a)(29): notice within 30 days, except where family or domestic violence makes
    it unsafe. Seen: overdue for 2,181 days. Now missed once the window passed (the finding
    reads "relative search not documented", CFSR Item 10); excepted when documented."""
    c = case("R16", "2020-03-01")
    d = deadline(c, date(2026, 3, 1), DeadlineName.RELATIVE_NOTICE)
    assert (d.status, d.due_date) == (DeadlineStatus.MISSED, date(2020, 3, 31))
    dv = case("R16b", "2020-03-01", relative_notice_exception={"date": "2020-03-10"})
    d = deadline(dv, date(2026, 3, 1), DeadlineName.RELATIVE_NOTICE)
    assert (d.status, d.exception, d.exception_date) == (
        DeadlineStatus.EXCEPTED,
        "family_or_domestic_violence",
        date(2020, 3, 10),
    )


def test_r17_a_transition_plan_is_not_applicable_until_its_window() -> None:
    """675(5)(H) runs in the 90 days before 18: for an infant it was "pending, due 2042"."""
    c = case("R17", "2024-11-20", child={"birth_date": "2024-11-01"})
    d = deadline(c, date(2025, 3, 1), DeadlineName.TRANSITION_PLAN)
    assert (d.status, d.due_date, d.applies_from) == (
        DeadlineStatus.NOT_APPLICABLE,
        date(2042, 11, 1),
        date(2042, 8, 3),
    )
    teen = case("R17b", "2024-10-01", child={"birth_date": "2008-01-20"})
    assert deadline(teen, date(2025, 11, 1), DeadlineName.TRANSITION_PLAN).status is DeadlineStatus.DUE_SOON


def test_r9_a_trial_home_visit_may_not_outrun_the_end_the_court_set() -> None:
    """1356.21(e): at most 6 months or the period the court set. Home since 2025-05-01, one
    extension order 2025-10-15: shown as met for good. Now the visit runs to the court's end
    date (2026-02-01) and is overdue after it; without that date on record, not evaluable."""
    placements = [{"id": "t1", "setting": "trial_home_visit", "start_date": "2025-05-01"}]
    hearings = [{"id": "h1", "type": "review", "date": "2025-10-15", "findings": ["thv_extension_ordered"]}]
    unknown = case("R9", "2025-01-10", placements=placements, hearings=hearings)
    d = deadline(unknown, date(2026, 6, 1), DeadlineName.TRIAL_HOME_VISIT, "t1")
    assert d.status is DeadlineStatus.NOT_EVALUABLE
    set_end = case(
        "R9b", "2025-01-10", placements=[{**placements[0], "extended_until": "2026-02-01"}], hearings=hearings
    )
    d = deadline(set_end, date(2026, 6, 1), DeadlineName.TRIAL_HOME_VISIT, "t1")
    assert (d.status, d.due_date) == (DeadlineStatus.OVERDUE, date(2026, 2, 1))
    assert (
        deadline(set_end, date(2026, 1, 20), DeadlineName.TRIAL_HOME_VISIT, "t1").status
        is DeadlineStatus.DUE_SOON
    )
