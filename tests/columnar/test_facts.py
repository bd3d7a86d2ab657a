"""``facts.build.column_facts`` against the per-case reference ``facts.build.build_facts``.

Every frame must equal ``facts_to_frames`` of the reference facts (same columns, dtypes, values,
missing values and ids), with ``case_key`` being the typed key; rows are compared sorted by
(case_key, id).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanency_rules.clocks import ClockColumns, compute_clocks
from permanency_rules.conventions import KEY
from permanency_rules.engines.frames import empty_frame, facts_to_frames
from permanency_rules.facts.build import build_facts, column_facts
from permanency_rules.facts.schema import FACT_TYPES
from permanency_rules.language.parameters import ParameterSet, load_parameters
from permanency_rules.model.case import Case
from permanency_rules.model.io import parse_case

from .harness import both_ways, reference_clocks, synth_folder, write_cases

SYNTH_AS_OF = date(2026, 11, 1)
PARAMS: dict[str, int] = ParameterSet(load_parameters()).resolve(SYNTH_AS_OF)
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values([KEY, "id"], kind="stable").reset_index(drop=True)


def assert_same_facts(
    cases: Mapping[int, Case], typed_frames: Mapping[str, pd.DataFrame], as_of: date
) -> None:
    """``typed_frames`` (from ``column_facts``) hold exactly the reference facts of ``cases``."""
    keys = sorted(cases)
    reference = facts_to_frames(
        [build_facts(cases[k], compute_clocks(cases[k], as_of, PARAMS)) for k in keys]
    )
    assert set(typed_frames) == set(FACT_TYPES)
    positions = np.asarray(keys, dtype=np.int64)
    for name, want in reference.items():
        want = want.assign(**{KEY: positions[want[KEY].to_numpy()]})
        got = typed_frames[name]
        got = got[got[KEY].isin(keys)]
        pd.testing.assert_frame_equal(_sorted(got), _sorted(want), obj=f"{name} facts")


def check_folder(folder: Path, as_of: date) -> int:
    """Compare every case of ``folder`` both paths accept; returns how many were compared."""
    both = both_ways(folder, as_of)
    cases = {k: c for k, c in both.cases.items() if not both.typed.routed[k]}
    frames = column_facts(both.typed, reference_clocks(cases, as_of, PARAMS), as_of)
    assert_same_facts(cases, frames, as_of)
    return len(cases)


# --- synthetic caseloads ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def synth_folders(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    tmp = tmp_path_factory.mktemp("synth")
    return {seed: synth_folder(tmp, 3000, seed, SYNTH_AS_OF) for seed in (11, 12, 13)}


@pytest.mark.parametrize(("seed", "days_later"), [(11, 0), (11, 45), (12, 1), (12, 400), (13, 0), (13, 45)])
def test_synthetic_caseload_matches_reference(
    synth_folders: dict[int, Path], seed: int, days_later: int
) -> None:
    as_of = SYNTH_AS_OF + timedelta(days=days_later)
    assert check_folder(synth_folders[seed], as_of) == 3000


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    days_later=st.one_of(st.just(0), st.integers(0, 900)),
    synth_as_of=st.dates(date(2019, 1, 1), date(2030, 12, 31)),
)
def test_random_caseloads_match_reference(
    tmp_path: Path, seed: int, days_later: int, synth_as_of: date
) -> None:
    folder = synth_folder(tmp_path / f"h{seed}_{days_later}_{synth_as_of}", 40, seed, synth_as_of, fmt="csv")
    assert check_folder(folder, synth_as_of + timedelta(days=days_later)) == 40


# --- hand-written edge cases -----------------------------------------------------------------


def _case(case_id: str, removal: str, **parts: Any) -> dict[str, Any]:
    child = parts.pop("child", {"id": f"child-{case_id}", "birth_date": "2012-06-15"})
    episode = {"removal_date": removal, **parts.pop("episode", {})}
    return {"case_id": case_id, "child": child, "episode": episode, **parts}


def _edge_cases() -> list[dict[str, Any]]:
    return [
        _case(
            "closed",
            "2024-03-10",
            episode={"discharge_date": "2026-06-01", "discharge_reason": "reunification"},
            placements=[
                {"id": "p1", "setting": "relative_foster_home", "start_date": "2024-03-10", "relative": True},
                {"id": "p2", "setting": "group_home", "start_date": "2024-01-31", "end_date": "2024-03-10"},
            ],
            goals=[{"id": "g1", "type": "reunification", "start_date": "2024-04-01"}],
            parents=[{"role": "mother"}, {"id": "dad", "role": "father"}],
            parent_visits=[{"parent": "mother", "date": "2025-01-05"}, {"date": "2025-02-05"}],
            tpr={"exception": "relative_care"},
        ),
        _case(
            "closed_today",
            "2025-01-31",
            episode={"discharge_date": "2026-11-01", "discharge_reason": "adoption"},
        ),
        _case(
            "bare",
            "2026-10-01",
            child={},
            episode={"removal_reasons": ["neglect", "inadequate_housing"]},
            case_plans=[
                {"id": "cp", "date": "2026-10-15", "participants": ["child_advisor", "child_advisor"]}
            ],
        ),
        _case(
            "primaries",
            "2024-01-15",
            child={"birth_date": "2008-02-29"},
            goals=[
                {
                    "id": "a",
                    "type": "reunification",
                    "role": "primary",
                    "start_date": "2024-02-01",
                    "end_date": "2025-06-01",
                    "target_date": "2025-01-01",
                },
                {
                    "id": "z",
                    "type": "adoption",
                    "role": "primary",
                    "start_date": "2025-06-01",
                    "end_date": "2025-06-01",
                },
                {
                    "id": "b",
                    "type": "adoption",
                    "role": "primary",
                    "start_date": "2025-06-01",
                    "target_date": "2027-06-01",
                },
                {"id": "c", "type": "guardianship", "role": "concurrent", "start_date": "2025-07-01"},
                {"id": "d", "type": "not_established", "role": "concurrent", "start_date": "2024-01-20"},
            ],
            case_plans=[
                {
                    "id": "cp2",
                    "date": "2025-02-28",
                    "components": ["services", "needs"],
                    "participants": ["mother", "child"],
                },
                {"id": "cp1", "date": "2025-02-28", "components": [], "participants": ["father"]},
                {
                    "id": "cp0",
                    "date": "2024-02-28",
                    "components": [
                        "progress_measures",
                        "needs",
                        "services",
                        "intervention_strategies",
                        "timelines_and_goals",
                    ],
                    "participants": ["caregiver"],
                },
            ],
            parents=[{"id": "m", "role": "mother"}, {"id": "f", "role": "father"}],
        ),
        _case(
            "concurrent",
            "2025-05-05",
            goals=[
                {"type": "reunification", "start_date": "2025-06-01", "id": "r"},
                {"type": "adoption", "role": "concurrent", "start_date": "2025-06-01", "id": "ad"},
                {"type": "appla", "role": "concurrent", "start_date": "2025-07-01", "id": "ap"},
            ],
        ),
        _case(
            "appla",
            "2020-05-05",
            child={"birth_date": "2009-11-01"},
            goals=[
                {"id": "g0", "type": "reunification", "start_date": "2020-06-01", "end_date": "2022-01-10"},
                {"id": "g1", "type": "appla", "start_date": "2022-01-10", "end_date": "2024-03-01"},
                {"id": "g2", "type": "emancipation", "role": "concurrent", "start_date": "2022-01-10"},
                {
                    "id": "g3",
                    "type": "long_term_foster_care",
                    "role": "concurrent",
                    "start_date": "2023-01-10",
                },
                {"id": "g4", "type": "guardianship", "start_date": "2024-03-01"},
            ],
            hearings=[
                {"id": "h1", "type": "permanency", "date": "2022-01-09"},
                {
                    "id": "h2",
                    "type": "permanency",
                    "date": "2022-01-10",
                    "appla_documentation": {"child_asked": True, "normalcy": True},
                },
                {
                    "id": "h3",
                    "type": "permanency",
                    "date": "2024-03-01",
                    "findings": ["reasonable_efforts_finalize"],
                    "appla_documentation": {"intensive_family_finding": True, "compelling_reasons": True},
                },
                {"id": "h4", "type": "permanency", "date": "2024-03-01"},
                {"id": "h5", "type": "permanency", "date": "2027-01-01", "scheduled": True},
                {"id": "h6", "type": "review", "date": "2020-04-01"},
                {"id": "h7", "type": "permanency", "date": "2020-04-01"},
            ],
            mentor={"start_date": "2023-01-01", "end_date": "2026-11-01"},
            adult_connections=[{"kind": "teacher"}, {"kind": "mentor", "since": "2023-01-01"}],
        ),
        _case(
            "only_appla_concurrent",
            "2022-05-05",
            goals=[
                {
                    "id": "g1",
                    "type": "long_term_foster_care",
                    "role": "concurrent",
                    "start_date": "2023-01-10",
                },
                {"id": "g2", "type": "emancipation", "role": "concurrent", "start_date": "2023-01-10"},
                {"id": "g3", "type": "not_established", "start_date": "2022-06-01"},
            ],
            mentor={"start_date": "2024-01-01"},
        ),
        _case(
            "appla_primary_first",
            "2022-05-05",
            goals=[
                {"id": "c1", "type": "emancipation", "role": "concurrent", "start_date": "2023-01-10"},
                {"id": "p1", "type": "long_term_foster_care", "start_date": "2023-01-10"},
                {"id": "c2", "type": "appla", "role": "concurrent", "start_date": "2023-02-10"},
            ],
        ),
        _case(
            "visits",
            "2025-01-10",
            parents=[
                {"role": "mother"},
                {"id": "f1", "role": "father", "incarcerated": True},
                {"id": "f2", "role": "father", "deceased": True},
            ],
            parent_visits=[
                {"parent": "mother", "date": "2025-01-09"},
                {"parent": "mother", "date": "2025-03-01"},
                {"parent": "mother", "date": "2025-02-01"},
                {"parent": "f1", "date": "2025-01-10"},
                {"id": "v-any", "date": "2025-04-01"},
                {"date": "2024-12-01"},
            ],
            case_plans=[{"id": "p", "date": "2025-02-01", "participants": ["father", "mother"]}],
        ),
        _case(
            "tpr",
            "2023-02-01",
            parents=[
                {"role": "mother", "rights_terminated_date": "2025-08-01"},
                {
                    "role": "father",
                    "rights_terminated_date": "2026-11-01",
                    "whereabouts_unknown_since": "2024-01-01",
                    "diligent_search_completed_date": "2024-03-01",
                },
            ],
            tpr={
                "petition_date": "2025-01-15",
                "exception": "compelling_reason",
                "exception_date": "2024-12-01",
            },
            placements=[{"id": "p", "setting": "group_home", "start_date": "2023-02-01", "relative": True}],
        ),
        _case(
            "exception_later",
            "2023-02-01",
            tpr={"exception": "services_not_provided", "exception_date": "2026-11-01"},
        ),
        _case(
            "relative_care",
            "2023-02-01",
            tpr={"exception": "relative_care"},
            placements=[
                {
                    "id": "p1",
                    "setting": "relative_foster_home",
                    "start_date": "2023-02-01",
                    "end_date": "2024-01-31",
                },
                {"id": "p2", "setting": "nonrelative_foster_home", "start_date": "2024-01-31"},
                {"id": "p0", "setting": "relative_foster_home", "start_date": "2024-01-31"},
            ],
        ),
        _case(
            "thv",
            "2025-01-31",
            placements=[
                {
                    "id": "p1",
                    "setting": "pre_adoptive_home",
                    "start_date": "2025-01-31",
                    "end_date": "2026-10-01",
                },
                {"id": "p2", "setting": "trial_home_visit", "start_date": "2026-10-01"},
                {"id": "p3", "setting": "runaway", "start_date": "2025-03-31", "end_date": "2025-04-30"},
            ],
            hearings=[
                {"id": "h", "type": "review", "date": "2026-10-20", "findings": ["thv_extension_ordered"]}
            ],
        ),
        _case(
            "no_birth",
            "2025-01-10",
            child={"id": "kid"},
            case_plans=[{"id": "cp", "date": "2025-02-01", "components": ["needs"]}],
        ),
        _case(
            "plan_before_birth",
            "2011-06-01",
            child={"birth_date": "2011-05-31"},
            case_plans=[
                {"id": "early", "date": "2010-03-31", "components": ["timelines_and_goals"]},
                {"id": "feb", "date": "2012-02-29"},
            ],
        ),
        _case(
            "services",
            "2025-01-10",
            needs=[
                {"id": "n1", "whose": "mother", "domain": "housing", "identified_date": "2025-01-20"},
                {
                    "id": "n2",
                    "whose": "father",
                    "domain": "employment",
                    "identified_date": "2025-01-20",
                    "resolved_date": "2025-06-01",
                },
                {
                    "id": "n3",
                    "whose": "caregiver",
                    "domain": "caregiver_support",
                    "identified_date": "2025-02-01",
                    "resolved_date": "2026-11-01",
                },
                {"id": "n4", "whose": "child", "domain": "trauma", "identified_date": "2025-02-01"},
            ],
            services=[
                {
                    "id": "s1",
                    "need": "n1",
                    "type": "housing_assistance",
                    "status": "active",
                    "referred_date": "2025-01-21",
                    "started_date": "2025-02-01",
                },
                {
                    "id": "s2",
                    "need": "n1",
                    "type": "income_support",
                    "status": "declined",
                    "referred_date": "2025-01-21",
                },
                {
                    "id": "s3",
                    "need": "n2",
                    "type": "employment_services",
                    "status": "completed",
                    "referred_date": "2025-01-21",
                    "started_date": "2025-01-22",
                    "ended_date": "2025-05-01",
                },
                {
                    "id": "s4",
                    "need": "n3",
                    "type": "post_permanency_support",
                    "status": "referred",
                    "referred_date": "2025-03-01",
                    "trauma_informed": True,
                },
                {
                    "id": "s5",
                    "need": "n4",
                    "type": "trauma_therapy",
                    "status": "waitlisted",
                    "referred_date": "2025-03-01",
                },
                {
                    "id": "s6",
                    "need": "n4",
                    "type": "post_permanency_support",
                    "status": "declined",
                    "referred_date": "2025-03-01",
                },
            ],
        ),
        _case(
            "siblings",
            "2025-01-10",
            siblings=[
                {"id": "s1"},
                {
                    "id": "s2",
                    "in_care": False,
                    "placed_together": True,
                    "contact_plan": True,
                    "contact_contraindicated": True,
                },
            ],
        ),
    ]


@pytest.mark.parametrize(
    "as_of", [date(2026, 11, 1), date(2027, 2, 28), date(2028, 2, 29), date(2031, 1, 31)]
)
def test_edge_cases_match_reference(tmp_path: Path, as_of: date) -> None:
    cases = _edge_cases()
    assert check_folder(write_cases(tmp_path, cases), as_of) == len(cases)


def test_future_dated_items_are_left_out_like_the_reference(tmp_path: Path) -> None:
    """Items dated after as_of make a case invalid, but the facts of such a case still follow
    the reference: goals, placements, plans, needs, services and held hearings after as_of are
    skipped; parents and siblings are not dated."""
    as_of = date(2026, 11, 1)
    data = [
        _case(
            "future",
            "2025-01-10",
            episode={"discharge_date": "2027-01-01"},
            goals=[
                {"id": "g1", "type": "reunification", "start_date": "2025-02-01", "end_date": "2026-12-01"},
                {"id": "g2", "type": "adoption", "start_date": "2026-12-01"},
                {"id": "g3", "type": "appla", "role": "concurrent", "start_date": "2026-12-01"},
            ],
            placements=[
                {"id": "p1", "setting": "group_home", "start_date": "2025-01-10", "end_date": "2026-12-01"},
                {"id": "p2", "setting": "trial_home_visit", "start_date": "2026-12-01"},
            ],
            case_plans=[{"id": "c1", "date": "2025-02-01"}, {"id": "c2", "date": "2026-12-01"}],
            needs=[
                {"id": "n1", "whose": "mother", "domain": "housing", "identified_date": "2025-01-20"},
                {"id": "n2", "whose": "father", "domain": "housing", "identified_date": "2026-12-20"},
            ],
            services=[
                {
                    "id": "s1",
                    "need": "n2",
                    "type": "housing_assistance",
                    "status": "active",
                    "referred_date": "2026-12-21",
                    "started_date": "2026-12-22",
                },
                {
                    "id": "s2",
                    "need": "n1",
                    "type": "counseling",
                    "status": "active",
                    "referred_date": "2026-10-21",
                    "started_date": "2026-12-22",
                },
            ],
            hearings=[
                {"id": "h1", "type": "permanency", "date": "2026-12-01"},
                {"id": "h2", "type": "permanency", "date": "2026-10-01"},
            ],
            parents=[{"role": "mother", "rights_terminated_date": "2027-01-01"}],
            parent_visits=[{"date": "2026-12-01"}, {"parent": "mother", "date": "2026-12-02"}],
            tpr={
                "petition_date": "2026-12-01",
                "exception": "compelling_reason",
                "exception_date": "2026-12-01",
            },
            mentor={"start_date": "2026-12-01"},
        ),
    ]
    both = both_ways(write_cases(tmp_path, data), as_of)
    assert both.rejected == {0} and not both.typed.routed[0]
    cases = {0: parse_case(data[0])}
    frames = column_facts(both.typed, reference_clocks(cases, as_of, PARAMS), as_of)
    assert_same_facts(cases, frames, as_of)
    assert set(frames["goal"]["id"]) == {"goal:g1"}


# --- the fixtures ----------------------------------------------------------------------------


def _fixtures() -> dict[date, list[dict[str, Any]]]:
    """The case of every fixture document, grouped by the document's as_of."""
    by_as_of: dict[date, list[dict[str, Any]]] = {}
    for path in sorted(FIXTURES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        by_as_of.setdefault(doc["as_of"], []).append(doc["case"])
    return by_as_of


@pytest.mark.parametrize("days_later", [0, 400])
def test_fixtures_match_reference(tmp_path: Path, days_later: int) -> None:
    fixtures = _fixtures()
    compared = 0
    for i, (as_of, cases) in enumerate(sorted(fixtures.items())):
        compared += check_folder(write_cases(tmp_path / str(i), cases), as_of + timedelta(days=days_later))
    assert compared == sum(len(c) for c in fixtures.values())  # all valid, all with row ids


# --- cases the column-wise path does not take, and empty tables ------------------------------


def test_routed_cases_get_no_facts(tmp_path: Path) -> None:
    as_of = date(2026, 11, 1)
    data = _edge_cases()
    no_goal_id = _case("no_goal_id", "2025-01-10", goals=[{"type": "adoption", "start_date": "2025-02-01"}])
    bad_date = _case(
        "bad_date", "2025-01-10", placements=[{"id": "p", "setting": "runaway", "start_date": "1/2/2025"}]
    )
    data[3:3] = [no_goal_id, bad_date]
    both = both_ways(write_cases(tmp_path, data), as_of)
    assert set(np.flatnonzero(both.typed.routed)) == {3, 4}
    cases = {k: c for k, c in both.cases.items() if not both.typed.routed[k]}
    frames = column_facts(both.typed, reference_clocks(cases, as_of, PARAMS), as_of)
    assert_same_facts(cases, frames, as_of)
    for frame in frames.values():
        assert not frame[KEY].isin([3, 4]).any()


def test_case_without_items(tmp_path: Path) -> None:
    """Only the cases table has rows: every other fact frame is empty but typed."""
    case = _case("alone", "2026-01-01", child={})
    assert check_folder(write_cases(tmp_path, [case]), date(2026, 11, 1)) == 1


def test_no_cases(tmp_path: Path) -> None:
    as_of = date(2026, 11, 1)
    both = both_ways(write_cases(tmp_path, []), as_of)
    ints = [
        "key",
        "removal_day",
        "defc_day",
        "months_since_removal",
        "months_since_defc",
        "tpr_months_in_care",
    ]
    clocks = ClockColumns(  # (the harness's reference_clocks needs at least one case)
        pd.DataFrame({c: pd.Series(dtype="int64") for c in ints}).assign(age_years=pd.Series(dtype="Int64")),
        pd.DataFrame(
            {
                "key": pd.Series(dtype="int64"),
                **{c: pd.Series(dtype="string") for c in ("name", "status")},
                **{c: pd.Series(dtype="Int64") for c in ("due_day", "last_event_day")},
                **{c: pd.Series(dtype="string") for c in ("subject", "basis")},
            }
        ),
    )
    frames = column_facts(both.typed, clocks, as_of)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, empty_frame(name))
