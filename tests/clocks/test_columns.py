"""Column-wise clocks equal the per-case reference (``clocks.compute_clocks``) for every case.

Every deadline of every case the reference accepts is compared: name, status, due date, last
event, subject and basis, in order, and every case column. Caseloads: synthetic ones at several
seeds and evaluation dates, randomly drawn rich cases (prior episodes, runaway and
trial-home-visit placements, findings, scheduled events, month ends, Feb 29) and the narrated
fixtures; the hand-written edge cases are data files, run by ``test_cases.py``.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanency_rules.clocks import ClockColumns, column_clocks
from permanency_rules.clocks.care_months import DATE_COUNT, DAY_COUNT, CareHistory
from permanency_rules.clocks.dates import add_months
from permanency_rules.conventions import from_day, to_day
from permanency_rules.evaluation import plan_for, resolve_catalogue
from tests.columnar.harness import (
    DEADLINE_COLUMNS,
    Both,
    both_ways,
    reference_clocks,
    synth_folder,
    write_cases,
)
from tests.conftest import ROOT

SYNTH_AS_OF = date(2026, 11, 1)


def params_on(as_of: date, profile: str | None = None, **overrides: int) -> dict[str, int]:
    return {**plan_for(resolve_catalogue(profile=profile), as_of).params, **overrides}


def assert_same(
    both: Both, as_of: date, params: Mapping[str, int], *, all_typed: bool = True
) -> ClockColumns:
    """Column-wise clocks of every case the reference accepts equal the reference's."""
    typed_keys = set(both.typed.frames["cases"]["key"].tolist())
    keys = set(both.cases) & typed_keys
    if all_typed:
        assert keys == set(both.cases), "canonical test data: no accepted case is routed"
    got = column_clocks(both.typed, as_of, params)
    assert got.case["key"].tolist() == sorted(typed_keys)
    ref = reference_clocks({k: both.cases[k] for k in keys}, as_of, params)
    case = got.case[got.case["key"].isin(keys)].reset_index(drop=True)
    deadlines = got.deadlines[got.deadlines["key"].isin(keys)].reset_index(drop=True)
    if not keys:
        return got
    pd.testing.assert_frame_equal(case, ref.case, check_dtype=False)
    assert case.dtypes.to_dict() == {
        "key": "int64",
        "removal_day": "int64",
        "defc_day": "int64",
        "age_years": "Int64",
        "months_since_removal": "int64",
        "months_since_defc": "int64",
        "tpr_months_in_care": "int64",
        "visit_months_in_care": "int64",
        "visit_missed": "int64",
        "visit_visits": "int64",
        "visit_in_residence": "int64",
    }
    _explain(deadlines, ref.deadlines)
    pd.testing.assert_frame_equal(deadlines, ref.deadlines)
    return got


def _explain(got: pd.DataFrame, ref: pd.DataFrame) -> None:
    """On a mismatch, fail with the first differing deadline of each column (both ways)."""
    assert len(got) == len(ref), f"{len(got)} deadlines, reference {len(ref)}"
    for col in ref.columns:
        a, b = got[col], ref[col]
        same = (a == b).fillna(False).to_numpy(dtype=bool) | (a.isna() & b.isna()).to_numpy(dtype=bool)
        if not same.all():
            i = int((~same).argmax())
            raise AssertionError(f"{col}: got {got.iloc[i].to_dict()}\nreference {ref.iloc[i].to_dict()}")


# Synthetic caseloads ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    tmp = tmp_path_factory.mktemp("synth")
    return {seed: synth_folder(tmp, 3000, seed, SYNTH_AS_OF) for seed in (1, 2, 3)}


@pytest.mark.parametrize(
    ("seed", "days_later"), [(1, 0), (1, 1), (1, 45), (1, 400), (2, 0), (2, 30), (2, 800), (3, 0), (3, 200)]
)
def test_synthetic_caseload(synth: dict[int, Path], seed: int, days_later: int) -> None:
    as_of = SYNTH_AS_OF + timedelta(days=days_later)
    both = both_ways(synth[seed], as_of)
    assert len(both.cases) > 2900
    got = assert_same(both, as_of, params_on(as_of))
    assert set(got.deadlines["status"]) >= {"met", "overdue", "due_soon", "pending", "not_applicable"}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    synth_as_of=st.dates(date(2001, 1, 1), date(2040, 12, 31)),
    later=st.integers(0, 900),
)
def test_random_seeds_and_dates(tmp_path: Path, seed: int, synth_as_of: date, later: int) -> None:
    folder = synth_folder(tmp_path / f"{seed}-{synth_as_of}", 150, seed, synth_as_of)
    as_of = synth_as_of + timedelta(days=later)
    assert_same(both_ways(folder, as_of), as_of, params_on(as_of))


# Randomly drawn rich cases ----------------------------------------------------------------

SETTINGS = [
    "nonrelative_foster_home",
    "relative_foster_home",
    "group_home",
    "runaway",
    "trial_home_visit",
    "trial_home_visit",
]
FINDINGS = [
    "contrary_to_welfare",
    "abuse_neglect_adjudicated",
    "reasonable_efforts_prevent_removal",
    "reasonable_efforts_finalize",
    "reasonable_efforts_not_required",
    "thv_extension_ordered",
]
HEARING_TYPES = ["removal", "adjudication", "disposition", "review", "permanency", "tpr", "other"]


def _day(rng: random.Random, lo: date, hi: date) -> date:
    """A day in [lo, hi], often a month end, a Feb 29 or the first of a month."""
    if hi <= lo:
        return lo
    d = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    pick = rng.random()
    if pick < 0.15:
        d = d + relativedelta(day=31)
    elif pick < 0.2:
        d = d.replace(day=1)
    elif pick < 0.25 and d.month <= 2:
        feb = date(d.year, 2, 1) + relativedelta(day=31)
        d = feb if feb.day == 29 else d
    return min(max(d, lo), hi)


def rich_case(rng: random.Random, i: int, as_of: date) -> dict[str, Any]:
    """A valid case on ``as_of`` with every feature the clocks read, drawn at random."""
    d = _day
    removal = d(rng, as_of - timedelta(days=6 * 365), as_of)
    birth = None if rng.random() < 0.1 else d(rng, removal - timedelta(days=21 * 365), removal)
    if rng.random() < 0.05 and birth is not None:
        birth = date(2008, 2, 29) if removal >= date(2008, 2, 29) else birth
    episode: dict[str, Any] = {"removal_date": removal.isoformat()}
    if rng.random() < 0.7:
        episode["first_adjudication_date"] = d(
            rng, removal - timedelta(days=30), min(as_of, removal + timedelta(days=120))
        ).isoformat()
    if rng.random() < 0.2:
        episode["discharge_date"] = d(rng, removal, as_of).isoformat()
        episode["discharge_reason"] = "reunification"
    case: dict[str, Any] = {
        "case_id": f"R{i:05d}",
        "child": {"birth_date": birth.isoformat()} if birth else {},
        "episode": episode,
    }
    earliest = birth or removal - timedelta(days=8 * 365)
    priors, end = [], removal
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        p_end = d(rng, end - timedelta(days=500), end)
        p_start = d(rng, p_end - timedelta(days=600), p_end)
        if p_start < earliest or p_start >= removal:
            break
        priors.append({"removal_date": p_start.isoformat(), "discharge_date": p_end.isoformat()})
        end = p_start - timedelta(days=rng.randint(0, 60))
    if priors:
        case["prior_episodes"] = priors
    placements = []
    for j in range(rng.choice([0, 1, 2, 3, 4])):
        start = d(rng, removal - timedelta(days=90), as_of)
        p = {
            "id": rng.choice(["p", "a", "b10", "b9", "z"]) + str(j),
            "setting": rng.choice(SETTINGS),
            "start_date": start.isoformat(),
        }
        if rng.random() < 0.6:
            p["end_date"] = d(rng, start, min(as_of, start + timedelta(days=400))).isoformat()
        placements.append(p)
    case["placements"] = placements
    hearings = []
    for j in range(rng.choice([0, 1, 3, 6, 9])):
        scheduled = rng.random() < 0.15
        hi = as_of + timedelta(days=90) if scheduled else as_of
        h: dict[str, Any] = {
            "id": f"h{j}",
            "type": rng.choice(HEARING_TYPES),
            "date": d(rng, removal - timedelta(days=60), hi).isoformat(),
            "findings": rng.sample(FINDINGS, rng.choice([0, 1, 1, 2, 3])),
        }
        if scheduled:
            h["scheduled"] = True
        hearings.append(h)
    case["hearings"] = hearings
    reviews = []
    for j in range(rng.choice([0, 1, 2, 4])):
        scheduled = rng.random() < 0.15
        r: dict[str, Any] = {
            "id": f"r{j}",
            "type": rng.choice(["court", "administrative"]),
            "date": d(
                rng, removal - timedelta(days=30), as_of + timedelta(days=60) if scheduled else as_of
            ).isoformat(),
        }
        if scheduled:
            r["scheduled"] = True
        reviews.append(r)
    case["reviews"] = reviews
    case["case_plans"] = [
        {"id": f"cp{j}", "date": d(rng, removal - timedelta(days=20), as_of).isoformat()}
        for j in range(rng.choice([0, 1, 2]))
    ]
    case["caseworker_visits"] = [
        {"id": f"v{j}", "date": d(rng, removal - timedelta(days=10), as_of).isoformat()}
        for j in range(rng.choice([0, 1, 3]))
    ]
    if rng.random() < 0.6:
        case["relative_notice"] = {"date": d(rng, removal - timedelta(days=10), as_of).isoformat()}
    if birth is not None:
        eighteen = birth + relativedelta(years=18)
        if rng.random() < 0.5 and eighteen - timedelta(days=200) <= as_of:
            case["transition_plan"] = {
                "date": d(
                    rng, eighteen - timedelta(days=200), min(as_of, eighteen + timedelta(days=30))
                ).isoformat()
            }
        case["credit_reports"] = [
            {"date": d(rng, max(birth, removal - timedelta(days=400)), as_of).isoformat()}
            for _ in range(rng.choice([0, 1, 2]))
        ]
    parents = []
    for role in rng.sample(["mother", "father"], rng.choice([0, 1, 2])):
        parent: dict[str, Any] = {"id": role, "role": role}
        if rng.random() < 0.4:
            parent["rights_terminated_date"] = d(
                rng, max(birth or removal, removal - timedelta(days=100)), as_of
            ).isoformat()
        parents.append(parent)
    case["parents"] = parents
    if rng.random() < 0.4:
        case["tpr"] = {"petition_date": d(rng, removal - timedelta(days=100), as_of).isoformat()}
    return case


def rich_caseload(seed: int, n: int, as_of: date) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [rich_case(rng, i, as_of) for i in range(n)]


@pytest.mark.parametrize("seed", [1, 2])
def test_rich_cases(tmp_path: Path, seed: int) -> None:
    made_on = date(2025, 2, 28) if seed == 1 else date(2024, 2, 29)
    folder = write_cases(tmp_path, rich_caseload(seed, 1500, made_on))
    for later in (0, 1, 29, 31, 366):
        as_of = made_on + timedelta(days=later)
        both = both_ways(folder, as_of)
        assert len(both.cases) > 1400
        assert_same(both, as_of, params_on(as_of))


@pytest.mark.parametrize(
    "overrides",
    [
        {"caseworker_visit_months": 2, "defc_days_after_removal": 30, "due_soon_days": 10},
        {"tpr_months_in_care": 12, "tpr_lookback_months": 24, "trial_home_visit_months": 3},
        {"tpr_months_in_care": 22, "tpr_lookback_months": 22, "credit_report_age": 16, "transition_age": 21},
        {"tpr_months_in_care": 23, "tpr_lookback_months": 22},  # never reached: counted one by one
        {"caseworker_visit_months": 1, "periodic_review_months": 1, "aggravated_hearing_days": 400},
    ],
)
def test_other_parameters(tmp_path: Path, overrides: dict[str, int]) -> None:
    made_on = date(2025, 7, 31)
    folder = write_cases(tmp_path, rich_caseload(7, 500, made_on))
    both = both_ways(folder, made_on)
    assert_same(both, made_on, params_on(made_on, **overrides))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 100_000),
    made_on=st.dates(date(1995, 1, 1), date(2045, 12, 31)),
    later=st.integers(0, 700),
)
def test_random_rich_cases(tmp_path: Path, seed: int, made_on: date, later: int) -> None:
    folder = write_cases(tmp_path / f"{seed}-{made_on}-{later}", rich_caseload(seed, 60, made_on))
    as_of = made_on + timedelta(days=later)
    assert_same(both_ways(folder, as_of), as_of, params_on(as_of))


# Hand-written edge cases: the files of tests/cases/clocks (test_cases.py); here only the shapes


def case(case_id: str, removal: str, **parts: Any) -> dict[str, Any]:
    episode = {"removal_date": removal, **parts.pop("episode", {})}
    child = parts.pop("child", {"birth_date": "2010-06-15"})
    return {"case_id": case_id, "child": child, "episode": episode, **parts}


def test_no_cases(tmp_path: Path) -> None:
    folder = write_cases(tmp_path, [case("only", "2025-01-10")])
    both = both_ways(folder, date(2026, 1, 1))
    empty = dataclasses.replace(
        both.typed, frames={name: f.iloc[0:0] for name, f in both.typed.frames.items()}
    )
    got = column_clocks(empty, date(2026, 1, 1), params_on(date(2026, 1, 1)))
    assert len(got.case) == 0 and len(got.deadlines) == 0
    assert list(got.deadlines.columns) == list(DEADLINE_COLUMNS)


def test_routed_cases_are_left_out(tmp_path: Path) -> None:
    """Keys of routed cases are missing from the typed frames: rows still line up by key."""
    cases = [
        case("a", "2025-01-10"),
        case("b", "2025-02-10", child={"birth_date": " 2010-01-01"}),
        case("c", "2025-03-31"),
    ]
    as_of = date(2026, 1, 1)
    both = both_ways(write_cases(tmp_path, cases), as_of)
    assert both.typed.routed.tolist() == [False, True, False]
    got = assert_same(both, as_of, params_on(as_of), all_typed=False)
    assert got.case["key"].tolist() == [0, 2]


# Fixtures ----------------------------------------------------------------------------------


def test_fixture_cases(tmp_path: Path) -> None:
    docs = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
    ]
    groups: dict[tuple[date, str | None], list[dict[str, Any]]] = {}
    for doc in docs:
        groups.setdefault((doc["as_of"], doc.get("profile")), []).append(doc["case"])
    for i, ((as_of, profile), cases) in enumerate(
        sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or ""))
    ):
        both = both_ways(write_cases(tmp_path / str(i), cases), as_of)
        assert len(both.cases) == len(cases)
        assert_same(both, as_of, params_on(as_of, profile))


# The one-stretch shortcut ------------------------------------------------------------------


@pytest.mark.parametrize(("threshold", "lookback"), [(15, 22), (1, 1), (12, 12), (6, 24)])
def test_one_stretch_reaches_the_threshold_on_defc_plus_threshold_months(
    threshold: int, lookback: int
) -> None:
    """The shortcut ``care_months.tpr_counts`` takes: checked against the interval count for
    every DEFC over four years (leap year and month ends included)."""
    start = date(2023, 1, 1)
    for k in range(0, 4 * 366, 1 if (threshold, lookback) == (15, 22) else 7):
        defc = start + timedelta(days=k)
        until = add_months(defc, threshold) + timedelta(days=3)
        history = CareHistory(removal=defc, discharge=None, prior_episodes=[], not_in_care=[])
        day = to_day(defc)
        reached, _ = DAY_COUNT.trigger(
            CareHistory(removal=day, discharge=None, prior_episodes=[], not_in_care=[]),
            day,
            to_day(until),
            threshold,
            lookback,
        )
        assert reached is not None and from_day(reached) == add_months(defc, threshold)
        if k % 61 == 0:  # the date calendar agrees (slower: relativedelta)
            assert DATE_COUNT.trigger(history, defc, until, threshold, lookback)[0] == add_months(
                defc, threshold
            )
