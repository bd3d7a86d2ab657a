"""Probe L4: implausible dates were accepted ("transition plan due 0019-01-01, 733346 days ago").

Fixture 02 with a birth, placement, hearing or visit on 0001-01-01 must be a plausibility error
naming its path (R19's bound, ``model.checks.EARLIEST``), from ``evaluate`` and from both
caseload paths alike, instead of deadlines computed from year 1.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from permanency_rules import evaluate, evaluate_json
from permanency_rules.caseload import check_caseload
from permanency_rules.model.errors import CaseValidationError
from tests.conftest import PER_CASE_ENGINES, ROOT
from tests.reliability.test_per_case import _case

AS_OF = date(2026, 11, 1)
YEAR_1 = "0001-01-01"
#: (where in the case, the error path)
PLACES: list[tuple[tuple[str | int, ...], str]] = [
    (("child", "birth_date"), "child.birth_date"),
    (("placements", 0, "start_date"), "placements[0].start_date"),
    (("hearings", 0, "date"), "hearings[0].date"),
    (("caseworker_visits", 0, "date"), "caseworker_visits[0].date"),
]


@pytest.mark.parametrize("where, path", PLACES)
def test_a_year_1_date_is_a_plausibility_error_with_its_path(where: tuple[str | int, ...], path: str) -> None:
    case: Any = _case("l4")
    target = case
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = YEAR_1
    with pytest.raises(CaseValidationError) as info:
        evaluate(case, AS_OF)
    assert path in [e.path for e in info.value.errors], info.value.errors
    answer = json.loads(evaluate_json(json.dumps(case), AS_OF))
    assert answer["ok"] is False and path in [e["path"] for e in answer["errors"]]


@pytest.mark.parametrize(
    "table, column, path",
    [
        ("cases", "birth_date", "child.birth_date"),
        ("placements", "start_date", "placements[0].start_date"),
        ("caseworker_visits", "date", "caseworker_visits[0].date"),
    ],
)
def test_both_paths_reject_a_year_1_date(tmp_path: Path, table: str, column: str, path: str) -> None:
    src = tmp_path / "cl"
    shutil.copytree(ROOT / "fixtures" / "caseload", src)
    df = pd.read_csv(src / f"{table}.csv", dtype=str, keep_default_na=False)
    df.loc[0, column] = YEAR_1  # the first row of its case
    df.to_csv(src / f"{table}.csv", index=False)
    case_id = df.loc[0, "case_id"]
    col = check_caseload(src, AS_OF)
    for engine in PER_CASE_ENGINES:
        per_case = check_caseload(src, AS_OF, backend=engine)  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(col.cases, per_case.cases)
        pd.testing.assert_frame_equal(col.findings, per_case.findings)
    row = col.cases.set_index("case_id").loc[case_id]
    assert row["status"] == "rejected" and f"{path}:" in row["errors"], row["errors"]
    assert case_id not in set(col.findings["case_id"])
