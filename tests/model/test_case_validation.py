"""Cross-field (structural) and as_of checks, one rule at a time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from permanency_rules.model import (
    Case,
    CaseError,
    check_case,
    date_errors,
    structural_errors,
)

AS_OF = date(2021, 1, 1)


def _case(data: dict[str, Any]) -> Case:
    return Case.model_validate(data)


def _paths(errors: list[CaseError]) -> set[str]:
    return {e.path for e in errors}


def test_minimal_and_full_cases_have_no_errors(minimal: dict[str, Any], full: dict[str, Any]) -> None:
    for data in (minimal, full):
        case = _case(data)
        assert structural_errors(case) == []
        assert date_errors(case, AS_OF) == []


def test_birth_on_removal_day_is_fine(minimal: dict[str, Any]) -> None:
    minimal["child"]["birth_date"] = minimal["episode"]["removal_date"]
    assert structural_errors(_case(minimal)) == []


def test_unknown_birth_date_skips_birth_checks(minimal: dict[str, Any]) -> None:
    minimal["child"] = {}
    minimal["parents"] = [{"role": "mother", "rights_terminated_date": "1990-01-01"}]
    assert structural_errors(_case(minimal)) == []


def test_same_day_discharge_is_fine(minimal: dict[str, Any]) -> None:
    minimal["episode"]["discharge_date"] = minimal["episode"]["removal_date"]
    minimal["episode"]["discharge_reason"] = "reunification"
    assert structural_errors(_case(minimal)) == []


def test_prior_episode_removal_before_birth(minimal: dict[str, Any]) -> None:
    minimal["prior_episodes"] = [
        {"removal_date": "2014-01-01", "discharge_date": "2015-06-01"},
    ]
    assert _paths(structural_errors(_case(minimal))) == {"prior_episodes[0].removal_date"}


def test_prior_episode_discharge_reason_checked_like_current(minimal: dict[str, Any]) -> None:
    minimal["prior_episodes"] = [
        {"removal_date": "2017-01-01", "discharge_date": "2016-01-01"},
        {"removal_date": "2018-01-01", "discharge_reason": "relative"},
    ]
    assert _paths(structural_errors(_case(minimal))) == {
        "prior_episodes[0].discharge_date",
        "prior_episodes[1].discharge_reason",
        "prior_episodes[1].discharge_date",  # also: a prior episode must be closed
    }


def test_prior_episodes_touching_do_not_overlap(minimal: dict[str, Any]) -> None:
    minimal["prior_episodes"] = [
        {"removal_date": "2018-01-01", "discharge_date": "2019-01-01"},
        {"removal_date": "2016-01-01", "discharge_date": "2018-01-01"},
    ]
    assert structural_errors(_case(minimal)) == []


def test_prior_episode_overlap_is_reported_once_at_later_index(minimal: dict[str, Any]) -> None:
    minimal["prior_episodes"] = [
        {"removal_date": "2016-01-01", "discharge_date": "2018-06-01"},
        {"removal_date": "2018-01-01", "discharge_date": "2019-01-01"},
    ]
    errors = structural_errors(_case(minimal))
    assert errors == [CaseError("prior_episodes[1]", "episode overlaps prior_episodes[0]")]


@pytest.mark.parametrize(
    ("goals", "bad"),
    [
        # adjacent: [a, b) then [b, ...) does not overlap
        ([("2020-01-10", "2020-05-01"), ("2020-05-01", None)], set()),
        # an open goal overlaps anything starting after it
        ([("2020-01-10", None), ("2021-05-01", "2021-06-01")], {"goals[1]"}),
        # listed out of order: still found, at the later list index
        ([("2020-06-01", None), ("2020-01-10", "2020-07-01")], {"goals[1]"}),
        # three at once: each later one against each earlier one
        (
            [("2020-01-10", None), ("2020-02-01", None), ("2020-03-01", None)],
            {"goals[1]", "goals[2]"},
        ),
    ],
)
def test_overlapping_primary_goals(
    minimal: dict[str, Any], goals: list[tuple[str, str | None]], bad: set[str]
) -> None:
    minimal["goals"] = [
        {"type": "reunification", "start_date": s, **({"end_date": e} if e else {})} for s, e in goals
    ]
    assert _paths(structural_errors(_case(minimal))) == bad


def test_concurrent_goals_may_overlap_primaries(minimal: dict[str, Any]) -> None:
    minimal["goals"] = [
        {"type": "reunification", "start_date": "2020-01-10"},
        {"type": "adoption", "role": "concurrent", "start_date": "2020-01-10"},
        {"type": "guardianship", "role": "concurrent", "start_date": "2020-01-10"},
    ]
    assert structural_errors(_case(minimal)) == []


def test_inverted_goal_reports_its_dates_not_an_overlap(minimal: dict[str, Any]) -> None:
    minimal["goals"] = [
        {"type": "reunification", "start_date": "2020-01-10"},
        {"type": "adoption", "start_date": "2020-06-01", "end_date": "2020-03-01"},
    ]
    assert _paths(structural_errors(_case(minimal))) == {"goals[1].end_date"}


@pytest.mark.parametrize(
    ("service", "bad"),
    [
        ({"started_date": "2020-01-31"}, {"services[0].started_date"}),
        ({"started_date": "2020-02-10", "ended_date": "2020-02-05"}, {"services[0].ended_date"}),
        ({"ended_date": "2020-01-15"}, {"services[0].ended_date"}),  # never started
        ({"started_date": "2020-02-01", "ended_date": "2020-02-01"}, set()),
    ],
)
def test_service_dates(minimal: dict[str, Any], service: dict[str, str], bad: set[str]) -> None:
    minimal["needs"] = [
        {"id": "n1", "whose": "child", "domain": "education", "identified_date": "2020-01-20"}
    ]
    minimal["services"] = [
        {
            "need": "n1",
            "type": "education_support",
            "status": "active",
            "referred_date": "2020-02-01",
            **service,
        }
    ]
    assert _paths(structural_errors(_case(minimal))) == bad


@pytest.mark.parametrize(
    ("field", "items"),
    [
        ("placements", [{"id": "x", "setting": "group_home", "start_date": "2020-01-10"}] * 2),
        ("hearings", [{"id": "x", "type": "removal", "date": "2020-01-12"}] * 2),
        ("caseworker_visits", [{"id": "x", "date": "2020-02-01"}] * 2),
        ("siblings", [{"id": "x"}, {"id": "x", "in_care": False}]),
    ],
)
def test_duplicate_ids_in_any_list(minimal: dict[str, Any], field: str, items: list[Any]) -> None:
    minimal[field] = items
    errors = structural_errors(_case(minimal))
    assert errors == [CaseError(f"{field}[1].id", f"duplicate id (first used at {field}[0])")]


def test_missing_ids_are_not_duplicates(minimal: dict[str, Any]) -> None:
    """Without given ids, content ids are derived (and suffixed when repeated)."""
    minimal["caseworker_visits"] = [{"date": "2020-02-01"}, {"date": "2020-02-01"}]
    assert structural_errors(_case(minimal)) == []


def test_parent_ids_default_to_role(minimal: dict[str, Any]) -> None:
    minimal["parents"] = [{"role": "mother"}, {"id": "mother", "role": "father"}]
    errors = structural_errors(_case(minimal))
    assert errors == [CaseError("parents[1].id", "duplicate id (first used at parents[0])")]


def test_parent_visit_may_name_an_explicit_id_or_the_default(minimal: dict[str, Any]) -> None:
    minimal["parents"] = [{"role": "mother"}, {"id": "f-2", "role": "father"}]
    minimal["parent_visits"] = [
        {"parent": "mother", "date": "2020-02-01"},
        {"parent": "f-2", "date": "2020-02-01"},
        {"parent": "father", "date": "2020-02-01"},  # the father has an explicit id
    ]
    assert _paths(structural_errors(_case(minimal))) == {"parent_visits[2].parent"}


def test_structural_reasons_do_not_echo_ids(minimal: dict[str, Any]) -> None:
    marker = "ZQX-secret-ref"
    minimal["services"] = [
        {"need": marker, "type": "other", "status": "referred", "referred_date": "2020-02-01"}
    ]
    minimal["parent_visits"] = [{"parent": marker, "date": "2020-02-01"}]
    errors = structural_errors(_case(minimal))
    assert len(errors) == 2
    assert all(marker not in str(e) for e in errors)


# --- dates after as_of ---------------------------------------------------------------------


def test_date_on_as_of_is_fine(minimal: dict[str, Any]) -> None:
    assert date_errors(_case(minimal), date(2020, 1, 10)) == []
    # a day later is the future as of that date, not an error (R19); beyond two years it is
    assert date_errors(_case(minimal), date(2020, 1, 9)) == []
    errors = date_errors(_case(minimal), date(2018, 1, 9))
    assert errors == [CaseError("episode.removal_date", "date is more than 2 years after as_of 2018-01-09")]


def _shift_dates(obj: Any, days: int) -> Any:
    """Every ISO date string in a plain-data case moved by ``days``."""
    if isinstance(obj, dict):
        return {k: _shift_dates(v, days) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_shift_dates(v, days) for v in obj]
    if isinstance(obj, str) and len(obj) == 10 and obj[4] == "-" and obj[7] == "-":
        return (date.fromisoformat(obj) + timedelta(days=days)).isoformat()
    return obj


def test_every_date_field_is_walked(full: dict[str, Any]) -> None:
    """Push the whole full case into the future: every date is reported, bar the exempt ones."""
    case = _case(_shift_dates(full, 7305))
    paths = _paths(date_errors(case, AS_OF))
    expected = {
        "child.birth_date",
        "episode.removal_date",
        "episode.first_adjudication_date",
        "prior_episodes[0].removal_date",
        "prior_episodes[0].discharge_date",
        "prior_episodes[1].removal_date",
        "prior_episodes[1].discharge_date",
        "placements[0].start_date",
        "placements[0].end_date",
        "placements[1].start_date",
        "goals[0].start_date",
        "goals[0].end_date",
        "goals[1].start_date",
        "goals[2].start_date",
        "case_plans[0].date",
        "parents[0].whereabouts_unknown_since",
        "parents[0].diligent_search_completed_date",
        "parents[1].rights_terminated_date",
        "needs[0].identified_date",
        "needs[1].identified_date",
        "needs[1].resolved_date",
        "services[0].referred_date",
        "services[0].started_date",
        "services[1].referred_date",
        "services[1].started_date",
        "services[1].ended_date",
        "hearings[0].date",
        "hearings[1].date",
        "reviews[0].date",
        "tpr.petition_date",
        "tpr.exception_date",
        "caseworker_visits[0].date",
        "caseworker_visits[1].date",
        "parent_visits[0].date",
        "parent_visits[1].date",
        "parent_visits[2].date",
        "relative_notice.date",
        "transition_plan.date",
        "credit_reports[0].date",
        "mentor.start_date",
        "mentor.end_date",
        "adult_connections[0].since",
    }
    assert paths == expected  # no goals[*].target_date, no scheduled hearing or review


def test_scheduled_items_and_goal_targets_may_be_future(minimal: dict[str, Any]) -> None:
    minimal["hearings"] = [{"type": "permanency", "date": "2030-01-01", "scheduled": True}]
    minimal["reviews"] = [{"type": "court", "date": "2030-01-01", "scheduled": True}]
    minimal["goals"] = [{"type": "reunification", "start_date": "2020-01-10", "target_date": "2030-01-01"}]
    assert date_errors(_case(minimal), AS_OF) == []
    minimal["hearings"][0]["scheduled"] = False
    minimal["reviews"][0]["scheduled"] = False
    assert _paths(date_errors(_case(minimal), AS_OF)) == {"hearings[0].date", "reviews[0].date"}


def test_check_case_combines_structural_and_date_errors(minimal: dict[str, Any]) -> None:
    minimal["episode"]["discharge_date"] = "2030-01-01"
    minimal["placements"] = [{"setting": "group_home", "start_date": "2020-03-01", "end_date": "2020-02-01"}]
    case = _case(minimal)
    assert _paths(check_case(case, AS_OF)) == {"episode.discharge_date", "placements[0].end_date"}
