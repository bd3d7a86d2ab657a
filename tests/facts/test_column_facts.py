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
from tests.columnar.harness import both_ways, reference_clocks, synth_folder, write_cases

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


# --- no cases at all (the hand-written edge cases are data: tests/cases/facts) ----------------


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
        "visit_months_in_care",
        "visit_missed",
        "visit_visits",
        "visit_in_residence",
    ]
    clocks = ClockColumns(  # (the harness's reference_clocks needs at least one case)
        pd.DataFrame({c: pd.Series(dtype="int64") for c in ints}).assign(age_years=pd.Series(dtype="Int64")),
        pd.DataFrame(
            {
                "key": pd.Series(dtype="int64"),
                **{c: pd.Series(dtype="string") for c in ("name", "status")},
                **{c: pd.Series(dtype="Int64") for c in ("due_day", "last_event_day")},
                **{c: pd.Series(dtype="string") for c in ("subject", "basis", "exception")},
                **{
                    c: pd.Series(dtype="Int64")
                    for c in ("scheduled_day", "exception_day", "exception_ended_day", "applies_day")
                },
            }
        ),
    )
    frames = column_facts(both.typed, clocks, as_of)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, empty_frame(name))
